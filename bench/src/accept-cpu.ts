// `tsx --conditions=@octo-webhooks/source src/accept-cpu.ts [--deliveries=N]`: the CPU a queue receiver
// spends per accepted delivery, in one process and without HTTP: `queue.receiver().receive()` with
// `dedupe` on (the default), 32 deliveries at a time against a local Redis, after a warm-up. What it
// isolates is what bench:scale's receivers do besides HTTP: validation, the delivery key, the job and
// its Redis round trips. CPU time is the process's own (`process.cpuUsage()`).
import { randomBytes, randomUUID } from "node:crypto";
import { createOctoQueue } from "@octo-webhooks/bullmq";
import { deleteKeysUnder, localRedis } from "@octo-webhooks/test-helpers/redis";
import { bookingUpdate } from "@octo-webhooks/testing";
import { Redis } from "ioredis";

const found = process.argv.find((a) => a.startsWith("--deliveries="));
const DELIVERIES = found ? Number(found.slice("--deliveries=".length)) : 10_000;
const WARM_UP = 2000;
const IN_FLIGHT = 32;

const bodies = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify(bookingUpdate({ seed: i, booking: { uuid: randomUUID() } })),
  );

const redisServer = await localRedis();
const prefix = `octo-bench-${randomBytes(4).toString("hex")}`;
const queue = createOctoQueue({ connection: redisServer.url, prefix, name: "accept", logger: {} });
const receiver = queue.receiver({ logger: {} });
const run = async (list: string[]) => {
  let next = 0;
  const one = async () => {
    while (next < list.length) await receiver.receive(list[next++] as string);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, one));
};
try {
  await run(bodies(WARM_UP));
  const list = bodies(DELIVERIES);
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run(list);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  console.log(
    `${DELIVERIES} accepted deliveries: ${((used.user + used.system) / 1000 / DELIVERIES).toFixed(3)} ms of CPU each, ` +
      `${Math.round(DELIVERIES / (ms / 1000))} deliveries/s`,
  );
} finally {
  await queue.close();
  const redis = new Redis(redisServer.url);
  await deleteKeysUnder(redis, prefix);
  await redis.quit();
  await redisServer.stop();
}
