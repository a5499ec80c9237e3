// What the delivery log costs a receiver, in CPU per delivery: the same deliveries through a receiver
// with `dedupe` and `staleGuard` on a Redis store (what a receiver of several instances runs), without a
// log, with `createMemoryLog()` and with `createRedisLog()`, in one run. Each variant handles the same
// number of distinct bookings; the CPU this process spent (user + system) is divided by them. Needs Redis
// (OCTO_REDIS_URL); without it only the memory log is measured.
import { createRedisLog, createRedisStore } from "@octo-webhooks/bullmq";
import { createMemoryLog, createOctoWebhooks, type DeliveryLog } from "@octo-webhooks/core";
import { seedBooking } from "./bodies.ts";

export interface LogResult {
  variant: string;
  /** CPU of this process per delivery, in µs. */
  cpuMicros: number;
  /** Against the receiver without a log. */
  ratio: number;
}

const body = () => seedBooking().text;

async function cpuPerDelivery(
  log: DeliveryLog | undefined,
  redisUrl: string | undefined,
  count: number,
  round: number,
) {
  const prefix = `bench-log-${process.pid}-${round}-${Math.random().toString(36).slice(2)}`;
  const store =
    redisUrl === undefined ? undefined : createRedisStore({ connection: redisUrl, prefix, logger: {} });
  const webhooks = createOctoWebhooks({
    auth: "none",
    logger: {},
    dedupe: true,
    staleGuard: true,
    ...(store === undefined ? {} : { store }),
    ...(log === undefined ? {} : { log }),
    onBookingUpdate: () => {},
  });
  const template = body();
  const texts = Array.from({ length: count }, (_, i) =>
    template.replace(/"uuid":"[^"]+"/, `"uuid":"bench-${round}-${i}"`),
  );
  const headers = { "content-type": "application/json" };
  // warm-up, not counted
  for (let i = 0; i < 200; i++)
    await webhooks.handle({ method: "POST", headers, body: texts[i % texts.length] as string });
  const before = process.cpuUsage();
  for (const text of texts) await webhooks.handle({ method: "POST", headers, body: text });
  // the log's appends still in flight are part of its cost
  await new Promise((resolve) => setTimeout(resolve, 50));
  const used = process.cpuUsage(before);
  await store?.close();
  return (used.user + used.system) / count;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] as number;

/** Rounds of each variant, interleaved so that the machine's noise falls on all alike; medians. */
export async function benchLog(quick: boolean): Promise<LogResult[]> {
  const redisUrl = process.env.OCTO_REDIS_URL || undefined;
  const [rounds, count] = quick ? [1, 300] : [5, 3000];
  const variants: Array<[string, () => DeliveryLog | undefined]> = [
    ["no log", () => undefined],
    ["createMemoryLog()", () => createMemoryLog({ maxEntries: 10_000 })],
  ];
  const redisLogs: Array<{ close(): Promise<void> }> = [];
  if (redisUrl !== undefined) {
    variants.push([
      "createRedisLog()",
      () => {
        const log = createRedisLog({
          connection: redisUrl,
          prefix: `bench-log-${process.pid}`,
          maxEntries: 10_000,
        });
        redisLogs.push(log);
        return log;
      },
    ]);
  }
  const samples = variants.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (const [i, [, make]] of variants.entries()) {
      samples[i]?.push(await cpuPerDelivery(make(), redisUrl, count, round));
    }
  }
  for (const log of redisLogs) await log.close();
  const base = median(samples[0] as number[]);
  return variants.map(([variant], i) => {
    const cpuMicros = median(samples[i] as number[]);
    return { variant, cpuMicros, ratio: cpuMicros / base };
  });
}

export function printLog(results: LogResult[]): void {
  const redis = process.env.OCTO_REDIS_URL
    ? "dedupe + staleGuard on a Redis store"
    : "dedupe + staleGuard in memory (no Redis: OCTO_REDIS_URL)";
  console.log(`\n## The delivery log's cost (receiver CPU per delivery, ${redis}; medians)\n`);
  console.log("| variant | CPU per delivery | vs no log |");
  console.log("|---|---|---|");
  for (const r of results) {
    console.log(`| ${r.variant} | ${r.cpuMicros.toFixed(0)} µs | +${((r.ratio - 1) * 100).toFixed(1)}% |`);
  }
}
