// One worker process of the scale benchmark:
// `scale-worker.ts <url> <prefix or schema> <queue> <crmMs> <redisUrl> <effects prefix> <bullmq|postgres>`.
// Its effect is one HINCRBY per booking uuid in Redis (whatever the engine), checked by scale.ts: exactly
// 1 each means nothing lost or doubled. The first call for 5% of the deliveries (chosen by delivery key)
// throws before any effect, as a flaky CRM would; BullMQ or graphile-worker retries them.
import { createHash } from "node:crypto";
import { type BookingUpdateHandler, createOctoWorker } from "@octo-webhooks/bullmq";
import { createPostgresWorker } from "@octo-webhooks/postgres";
import { Redis } from "ioredis";

const [
  url = "",
  prefix = "",
  name = "",
  crmMs = "0",
  redisUrl = url,
  effectsPrefix = prefix,
  engine = "bullmq",
] = process.argv.slice(2);
const redis = new Redis(redisUrl);
const effects = `${effectsPrefix}:effects`;
const failing = (key: string) => createHash("sha1").update(key).digest().readUInt32BE(0) % 20 === 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const onBookingUpdate: BookingUpdateHandler = async ({ booking }, { deliveryKey }) => {
  if (Number(crmMs) > 0) await sleep(Number(crmMs)); // the CRM call
  if (
    failing(deliveryKey) &&
    (await redis.set(`${effectsPrefix}:failed:${deliveryKey}`, "1", "NX")) === "OK"
  ) {
    await redis.incr(`${effectsPrefix}:injected-failures`);
    throw new Error("CRM timeout (injected)");
  }
  await redis.hincrby(effects, booking.uuid, 1);
};
// the injected failures would flood the output; scale.ts counts them
const logger = { error: () => {} };
const worker =
  engine === "postgres"
    ? createPostgresWorker({
        connection: url,
        schema: prefix,
        name,
        concurrency: 16,
        logger,
        onBookingUpdate,
      })
    : createOctoWorker({ connection: url, prefix, name, concurrency: 16, logger, onBookingUpdate });
await worker.waitUntilReady();
console.log("READY");
process.once("SIGTERM", async () => {
  await worker.close();
  await redis.quit();
});
