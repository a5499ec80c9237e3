// Per-resource ordering (`ordering: "resource"`): the updates of one booking run one at a time and in
// arrival order across several workers, different bookings in parallel; a dead letter, a removed job
// and a worker killed mid-job do not stop a booking's updates; and what it costs in events/s.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { type BookingUpdateEvent, createOctoWebhooks, NonRetryableError } from "@octo-webhooks/core";
import { bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { expect, it } from "vitest";
import { acceptingStore } from "../src/accept-store.ts";
import { toDeliveryJob } from "../src/enqueue.ts";
import {
  createOctoQueue,
  type OctoJobData,
  type OctoJobResult,
  type OctoQueue,
  type OctoWorkerOptions,
} from "../src/index.ts";
import { describeWithRedis, redisUrl, waitFor } from "./helpers.ts";
import { credentials, queueTests } from "./setup.ts";

const t = queueTests();
const root = join(import.meta.dirname, "../../..");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Update `n` of booking `uuid`: its notes say which. */
const update = (uuid: string, n: number) =>
  bookingUpdate({ seed: `${uuid}-${n}`, booking: { uuid, notes: `update ${n}` } });
const numberOf = (booking: BookingUpdateEvent["booking"]) => Number(booking.notes?.split(" ")[1]);

/**
 * A handler that records, per booking, the updates it ran in order (`runs`: each call, a failed one
 * too; `applied`: those that succeeded), how often two of its calls overlapped, and how often an update
 * started after a later one (an order violation).
 */
function recorder(work: (n: number, uuid: string) => unknown = () => sleep(Math.random() * 3)) {
  const running = new Map<string, number>();
  const runs = new Map<string, number[]>();
  const applied = new Map<string, number[]>();
  const stats = { calls: 0, overlaps: 0, violations: 0 };
  // the most handler calls at once, all bookings together
  const parallel = { now: 0, peak: 0 };
  const onBookingUpdate = async ({ booking }: BookingUpdateEvent) => {
    const n = numberOf(booking);
    const ran = runs.get(booking.uuid) ?? [];
    runs.set(booking.uuid, ran);
    stats.calls++;
    if ((running.get(booking.uuid) ?? 0) > 0) stats.overlaps++;
    if (ran.length > 0 && n < (ran.at(-1) as number)) stats.violations++;
    ran.push(n);
    running.set(booking.uuid, (running.get(booking.uuid) ?? 0) + 1);
    parallel.peak = Math.max(parallel.peak, ++parallel.now);
    try {
      await work(n, booking.uuid);
      applied.set(booking.uuid, [...(applied.get(booking.uuid) ?? []), n]);
    } finally {
      running.set(booking.uuid, (running.get(booking.uuid) as number) - 1);
      parallel.now--;
    }
  };
  return { onBookingUpdate, runs, applied, stats, parallel };
}

/** The keys of resource orders left in Redis for `queue` (none once every job finished). */
async function ordersLeft(queue: OctoQueue): Promise<string[]> {
  const redis = new Redis(redisUrl);
  try {
    const [, keys] = await redis.scan(
      "0",
      "MATCH",
      `${t.ns.prefix}:${queue.queue.name}:octo:order:*`,
      "COUNT",
      10_000,
    );
    return keys;
  } finally {
    await redis.quit();
  }
}

describeWithRedis('ordering: "resource"', () => {
  it("100 bookings x 20 updates sent at once through 2 workers (concurrency 8), some slow, 1 in 10 failing once: no booking's calls overlap or run out of order", async () => {
    const queue = t.queue({ ordering: "resource", backoffMs: 300 });
    const receiver = await t.receiver(queue);
    // a flaky CRM: 1 call in 8 takes 200 ms, and the first call of 1 update in 10 fails, retried
    // 300 ms later; meanwhile the booking's next updates arrive: without ordering they would run
    // beside the slow one, and before the failed one
    const failed = new Set<string>();
    const { onBookingUpdate, applied, stats, parallel } = recorder(async (n, uuid) => {
      await sleep((Number(uuid.split("-")[1]) + n) % 8 === 3 ? 200 : Math.random() * 3);
      if ((Number(uuid.split("-")[1]) + n) % 10 === 0 && !failed.has(`${uuid} ${n}`)) {
        failed.add(`${uuid} ${n}`);
        throw new Error("CRM timeout");
      }
    });
    t.worker(queue, { concurrency: 8, onBookingUpdate });
    t.worker(queue, { concurrency: 8, onBookingUpdate });
    const bookings = Array.from({ length: 100 }, (_, b) => `ordered-${b}`);
    // every booking's updates one after the other (each enqueued before the next is sent), the
    // bookings all at once
    await Promise.all(
      bookings.map(async (uuid) => {
        for (let n = 0; n < 20; n++) {
          expect((await sendWebhook(receiver.url, update(uuid, n), credentials)).status).toBe(200);
        }
      }),
    );
    await waitFor(() => stats.calls >= 2200, "2,000 updates and 200 retries", 60_000);
    await sleep(200);
    expect(stats).toEqual({ calls: 2200, overlaps: 0, violations: 0 });
    for (const uuid of bookings) expect(applied.get(uuid)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(await ordersLeft(queue)).toEqual([]);
    // different bookings ran side by side, up to both workers' concurrency
    expect(parallel.peak).toBeGreaterThan(8);
  }, 90_000);

  it("a dead-lettered update and a retried one: the booking's next updates wait for them, then run at once", async () => {
    const queue = t.queue({ ordering: "resource", attempts: 2 });
    const receiver = await t.receiver(queue);
    for (let n = 0; n < 4; n++) {
      expect((await sendWebhook(receiver.url, update("dead-letter", n), credentials)).status).toBe(200);
    }
    let failOnce = true;
    const { onBookingUpdate, runs, stats } = recorder((n) => {
      if (n === 0) throw new NonRetryableError("not ours");
      if (n === 1 && failOnce) {
        failOnce = false;
        throw new Error("CRM down");
      }
    });
    const started = Date.now();
    t.worker(queue, { concurrency: 4, onBookingUpdate });
    await waitFor(() => runs.get("dead-letter")?.length === 5, "five calls");
    // each turn handed on by the job before it (not found by a parked job's periodic check)
    expect(Date.now() - started).toBeLessThan(3000);
    expect(runs.get("dead-letter")).toEqual([0, 1, 1, 2, 3]);
    expect(stats).toMatchObject({ overlaps: 0, violations: 0 });
    expect((await queue.deadLetters()).map((letter) => letter.body)).toEqual([
      JSON.stringify(update("dead-letter", 0)),
    ]);
    await waitFor(async () => (await ordersLeft(queue)).length === 0, "the order emptied");
  });

  it("a job removed by hand does not hold its booking's turn", async () => {
    const queue = t.queue({ ordering: "resource" });
    const receiver = await t.receiver(queue);
    for (let n = 0; n < 3; n++) {
      expect((await sendWebhook(receiver.url, update("removed", n), credentials)).status).toBe(200);
    }
    const [first] = await queue.queue.getJobs(["waiting"], 0, 0, true);
    expect(first?.data.body).toBe(JSON.stringify(update("removed", 0)));
    await first?.remove();
    const { onBookingUpdate, runs } = recorder();
    const started = Date.now();
    t.worker(queue, { concurrency: 4, onBookingUpdate });
    await waitFor(() => runs.get("removed")?.length === 2, "the two other updates");
    expect(runs.get("removed")).toEqual([1, 2]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("a worker killed mid-update: its lock expires, another worker runs that update again, then the next ones in order", async () => {
    const queue = t.queue({ ordering: "resource" });
    const receiver = await t.receiver(queue);
    for (let n = 0; n < 3; n++) {
      expect((await sendWebhook(receiver.url, update("crash", n), credentials)).status).toBe(200);
    }
    const child = spawn(
      process.execPath,
      [
        "--conditions=@octo-webhooks/source",
        "--import",
        "tsx",
        join(import.meta.dirname, "fixtures/ordered-worker.ts"),
        redisUrl,
        t.ns.prefix,
        queue.queue.name,
      ],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    t.closeLater(async () => {
      child.kill("SIGKILL");
      await exited;
    });
    await waitFor(() => output.includes("started 0"), "the killed worker running update 0", 15_000);
    // it has taken the other two as well (concurrency 4), and parked them: not their turn
    await waitFor(
      async () => (await queue.queue.getJobCounts("delayed")).delayed === 2,
      "the next updates parked",
    );
    child.kill("SIGKILL");
    await exited;
    expect(output).not.toContain("started 1");

    const { onBookingUpdate, runs, stats } = recorder();
    t.worker(queue, { concurrency: 4, lockDurationMs: 1000, onBookingUpdate });
    await waitFor(() => runs.get("crash")?.length === 3, "the three updates", 15_000);
    expect(runs.get("crash")).toEqual([0, 1, 2]);
    expect(stats).toMatchObject({ overlaps: 0, violations: 0 });
  }, 30_000);

  it("orders a booking by its uuid (its notifications too), an order and a product by id, per supplier; availability not at all", async () => {
    for (const dedupe of [true, false]) {
      // dedupe: the accept script; without it, `enqueue`'s MULTI
      const queue = t.queue({ ordering: "resource", dedupe });
      const receiver = queue.receiver({ auth: "none" });
      const bodies: Array<[unknown, string | undefined, string | undefined]> = [
        [update("b-1", 0), undefined, "booking:b-1"],
        [update("b-1", 1), "peek", "peek/booking:b-1"],
        [{ type: "BOOKING_UPDATE", data: { bookingUuid: "b-1" } }, undefined, "booking:b-1"],
        [{ webhook: { event: "order_update" }, order: { id: "o-1" } }, undefined, "order:o-1"],
        [{ webhook: { event: "product_update" }, product: { id: "p-1" } }, undefined, "product:p-1"],
        [{ type: "PRODUCT_UPDATE", data: { product_id: "p-1" } }, undefined, "product:p-1"],
        [{ webhook: { event: "booking_update" }, booking: { uuid: "x".repeat(300) } }, undefined, "hashed"],
        [{ webhook: { event: "transfer_update" }, transfer: { id: "t-1" } }, undefined, undefined],
      ];
      for (const [body, supplier] of bodies) {
        await receiver.receive(body, supplier === undefined ? {} : { supplier });
      }
      const jobs = (await queue.queue.getJobs(["waiting"], 0, -1, true)).map((job) => job.data.resource);
      expect(jobs).toEqual([
        ...bodies.slice(0, 6).map(([, , resource]) => resource),
        expect.stringMatching(/^booking:sha256-[0-9a-f]{64}$/),
        undefined,
      ]);
      // the order of booking b-1 holds its two jobs (not peek's b-1), in arrival order
      const redis = new Redis(redisUrl);
      try {
        const order = await redis.zrange(
          `${t.ns.prefix}:${queue.queue.name}:octo:order:booking:b-1`,
          "0",
          "-1",
        );
        const waiting = await queue.queue.getJobs(["waiting"], 0, -1, true);
        expect(order).toEqual([waiting[0]?.id, waiting[2]?.id]);
      } finally {
        await redis.quit();
      }
    }
  });

  it("the accept path's fallback (one MULTI) puts a claimed job in its order, a duplicate not again", async () => {
    const client = new Redis(redisUrl);
    const name = t.ns.name();
    const queue = new Queue<OctoJobData, OctoJobResult>(name, { connection: client, prefix: t.ns.prefix });
    t.closeLater(async () => {
      await queue.close();
      await client.quit();
    });
    const octoPrefix = `${t.ns.prefix}:${name}:octo`;
    const store = acceptingStore({
      queue,
      client,
      scripts: new Map(), // BullMQ's scripts unknown: the fallback
      claimPrefix: octoPrefix,
      jobOptions: {},
      jobOf: ({ payload, context }) => toDeliveryJob(payload, context, () => undefined, { ordered: true }),
      ttlMs: 60_000,
      timeoutMs: 3000,
      ready: async () => {},
    });
    const webhooks = createOctoWebhooks({ dedupe: true, store, logger: {} });
    for (const body of [update("fallback", 0), update("fallback", 1), update("fallback", 0)]) {
      await webhooks.receive(body);
    }
    const waiting = await queue.getJobs(["waiting"], 0, -1, true);
    expect(waiting.map((job) => job.data.resource)).toEqual(["booking:fallback", "booking:fallback"]);
    expect(await client.zrange(`${octoPrefix}:order:booking:fallback`, "0", "-1")).toEqual(
      waiting.map((job) => job.id),
    );
  });

  it("refuses an unknown ordering", () => {
    expect(() => createOctoQueue({ connection: redisUrl, ordering: "booking" as never })).toThrow(
      /`ordering` must be "resource" or "none"/,
    );
  });

  it("what it costs: events/s through 2 workers with ordering on and off (printed), every update applied once", async () => {
    const events = Number(process.env.ORDERING_COST_EVENTS ?? 400);
    const rows: string[] = [];
    await eventsPerSecond("resource", 100, 2, 0); // warm-up: connections, scripts, JIT
    for (const [label, bookings, handlerMs] of [
      ["one update per booking, handler 0 ms", events, 0],
      ["one update per booking, handler 5 ms", events, 5],
      ["20 updates per booking, handler 0 ms", Math.max(1, Math.round(events / 20)), 0],
      ["20 updates per booking, handler 5 ms", Math.max(1, Math.round(events / 20)), 5],
    ] as const) {
      const perBooking = Math.round(events / bookings);
      // each mode twice, in the order off, on, on, off, the better run of each kept (the machine's noise)
      const best = { none: 0, resource: 0 };
      for (const ordering of ["none", "resource", "resource", "none"] as const) {
        best[ordering] = Math.max(
          best[ordering],
          await eventsPerSecond(ordering, bookings, perBooking, handlerMs),
        );
      }
      const { none: off, resource: on } = best;
      rows.push(
        `| ${label} | ${Math.round(off)} | ${Math.round(on)} | ${(((off - on) / off) * 100).toFixed(1)}% |`,
      );
    }
    console.log(
      `\nordering cost (${events} events, 2 workers x concurrency 8):\n| load | off (events/s) | on (events/s) | cost |\n|---|---|---|---|\n${rows.join("\n")}\n`,
    );
  }, 300_000);
});

/**
 * Enqueues `bookings` x `perBooking` updates (each booking's in order), then times 2 workers
 * (concurrency 8) through them; fails unless each update ran once (and, ordered, in order).
 */
async function eventsPerSecond(
  ordering: "none" | "resource",
  bookings: number,
  perBooking: number,
  handlerMs: number,
): Promise<number> {
  const queue = t.queue({ ordering });
  const receiver = queue.receiver({ auth: "none" });
  const run = `${ordering}-${bookings}-${handlerMs}`;
  await Promise.all(
    Array.from({ length: Math.min(bookings, 50) }, async (_, lane) => {
      for (let b = lane; b < bookings; b += 50) {
        for (let n = 0; n < perBooking; n++) await receiver.receive(update(`${run}-${b}`, n));
      }
    }),
  );
  const { onBookingUpdate, runs, stats } = recorder(handlerMs === 0 ? () => {} : () => sleep(handlerMs));
  const options: Partial<OctoWorkerOptions> = { concurrency: 8, autorun: false, onBookingUpdate };
  const workers = [t.worker(queue, options), t.worker(queue, options)];
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  const started = performance.now();
  for (const worker of workers) void worker.worker.run();
  const total = bookings * perBooking;
  await waitFor(() => stats.calls >= total, `${total} calls`, 120_000);
  const rate = total / ((performance.now() - started) / 1000);
  expect(stats.calls).toBe(total);
  for (let b = 0; b < bookings; b++) {
    const ran = runs.get(`${run}-${b}`) ?? [];
    if (ordering === "resource") expect(ran).toEqual(Array.from({ length: perBooking }, (_, n) => n));
    else expect([...ran].sort((x, y) => x - y)).toEqual(Array.from({ length: perBooking }, (_, n) => n));
  }
  if (ordering === "resource") expect(stats).toMatchObject({ overlaps: 0, violations: 0 });
  await Promise.all(workers.map((worker) => worker.close()));
  return rate;
}
