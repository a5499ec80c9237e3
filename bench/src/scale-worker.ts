// One worker process of the scale benchmark: `scale-worker.ts <redisUrl> <prefix> <queue> <crmMs>`.
// Its effect is one HINCRBY per booking uuid, checked by scale.ts: exactly 1 each means nothing lost or
// doubled. The first call for 5% of the deliveries (chosen by delivery key) throws before any effect,
// as a flaky CRM would; BullMQ retries them.
import { createHash } from "node:crypto";
import { createOctoWorker } from "@octo-webhooks/bullmq";
import { Redis } from "ioredis";

const [url = "", prefix = "", name = "", crmMs = "0"] = process.argv.slice(2);
const redis = new Redis(url);
const effects = `${prefix}:effects`;
const failing = (key: string) => createHash("sha1").update(key).digest().readUInt32BE(0) % 20 === 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const worker = createOctoWorker({
  connection: url,
  prefix,
  name,
  concurrency: 16,
  logger: { error: () => {} }, // the injected failures would flood the output; scale.ts counts them
  onBookingUpdate: async ({ booking }, { deliveryKey }) => {
    if (Number(crmMs) > 0) await sleep(Number(crmMs)); // the CRM call
    if (failing(deliveryKey) && (await redis.set(`${prefix}:failed:${deliveryKey}`, "1", "NX")) === "OK") {
      await redis.incr(`${prefix}:injected-failures`);
      throw new Error("CRM timeout (injected)");
    }
    await redis.hincrby(effects, booking.uuid, 1);
  },
});
await worker.waitUntilReady();
console.log("READY");
process.once("SIGTERM", async () => {
  await worker.close();
  await redis.quit();
});
