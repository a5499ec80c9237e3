// The accept path of a receiver with dedupe: one Redis round trip per delivery (one script: the claim,
// and BullMQ's add run inside it), exactly one job however many copies arrive at once or later, and the
// claims an earlier version of this package wrote still honoured.
import { randomUUID } from "node:crypto";
import { createOctoWebhooks, deliveryKey } from "@octo-webhooks/core";
import { bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { expect, it } from "vitest";
import { acceptingStore } from "../src/accept-store.ts";
import { toDeliveryJob } from "../src/enqueue.ts";
import { jobIdOf, type OctoJobData, type OctoJobResult } from "../src/index.ts";
import { describeWithRedis, jobs, liveJobs, redisUrl, waitFor } from "./helpers.ts";
import { auth, credentials, queueTests } from "./setup.ts";

const t = queueTests();

/** The commands every client sends (Lua's own calls left out) while `run` runs, as MONITOR shows them. */
async function commandsDuring(run: () => Promise<unknown>) {
  const monitor = await new Redis(redisUrl).monitor();
  const seen: Array<{ source: string; args: string[] }> = [];
  monitor.on("monitor", (_time: string, args: string[], source: string) => {
    if (source !== "lua") seen.push({ source, args });
  });
  // MONITOR shows commands in the order Redis ran them: once a marker sent after `run` is seen, so is
  // everything `run` made Redis do, however slow the machine (a fixed wait was not enough under load)
  // (a first marker shows MONITOR is on before `run` starts)
  const marker = `commands-during-${randomUUID()}`;
  const marking = new Redis(redisUrl);
  const mark = async (which: string) => {
    await marking.echo(`${marker}-${which}`);
    await waitFor(
      () => seen.some(({ args }) => args.includes(`${marker}-${which}`)),
      `MONITOR showing ${which}`,
    );
  };
  try {
    await mark("start");
    await run();
    await mark("end");
  } finally {
    monitor.disconnect();
    marking.disconnect();
  }
  return seen.filter(({ args }) => !args.some((arg) => arg.startsWith(marker)));
}

/** The commands of the connection that named `key`'s claim while `run` ran (their names). */
async function commandsClaiming(key: string, run: () => Promise<unknown>) {
  const seen = await commandsDuring(run);
  const claimed = seen.find((command) => command.args.some((arg) => arg.includes(`:claim:${key}`)));
  expect(claimed).toBeDefined();
  return seen
    .filter((command) => command.source === claimed?.source)
    .map(({ args }) => args[0]?.toLowerCase());
}

describeWithRedis("the accept path (dedupe on)", () => {
  it("costs one round trip per delivery: one script call, the claim and BullMQ's add in it", async () => {
    const queue = t.queue();
    const receiver = await t.receiver(queue);
    // the first delivery also connects and loads BullMQ's scripts
    expect((await sendWebhook(receiver.url, bookingUpdate({ seed: "warm-up" }), credentials)).status).toBe(
      200,
    );

    const body = bookingUpdate({ seed: "one-round-trip" });
    const fromReceiver = (send: () => Promise<unknown>) => commandsClaiming(deliveryKey(body), send);
    const scripts = ["evalsha", "eval"];
    let answer: Awaited<ReturnType<typeof sendWebhook>> | undefined;
    const accepted = await fromReceiver(async () => {
      answer = await sendWebhook(receiver.url, body, credentials);
    });
    expect(answer?.json()).toEqual({ ok: true });
    expect(accepted).toHaveLength(1);
    expect(scripts).toContain(accepted[0]);
    expect(await queue.queue.getJob(jobIdOf(deliveryKey(body)))).toBeDefined();

    // a duplicate costs the same round trip, and enqueues nothing
    const duplicate = await fromReceiver(async () => {
      answer = await sendWebhook(receiver.url, body, credentials);
    });
    expect(answer?.json()).toEqual({ ok: true, duplicate: true });
    expect(duplicate).toEqual(accepted);
    expect((await queue.queue.getJobCounts("waiting")).waiting).toBe(2);
  });

  it("N identical deliveries at once on two receivers of one queue: one job, one 200, the others 200 duplicate (onDuplicate sees each)", async () => {
    const first = t.queue();
    const second = t.queue({ name: first.queue.name });
    const duplicates: string[] = [];
    const onDuplicate = (_payload: unknown, context: { deliveryKey: string; state: string }) =>
      void duplicates.push(`${context.deliveryKey} ${context.state}`);
    const receivers = [
      await t.receiver(first, { auth, onDuplicate }),
      await t.receiver(second, { auth, onDuplicate }),
    ];
    const body = bookingUpdate({ seed: "stampede" });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sendWebhook((receivers[i % 2] as (typeof receivers)[number]).url, body, credentials),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    const bodies = answers.map((answer) => JSON.stringify(answer.json()));
    expect(bodies.filter((b) => b === '{"ok":true}')).toHaveLength(1);
    expect(bodies.filter((b) => b === '{"ok":true,"duplicate":true}')).toHaveLength(19);
    expect(duplicates).toEqual(Array(19).fill(`${deliveryKey(body)} done`));
    expect(await liveJobs(first.queue)).toEqual(jobs({ waiting: 1 }));
  });

  it("a duplicate after its job was processed and removed, or removed by hand, is 200 duplicate and no new job", async () => {
    const queue = t.queue({ keepCompleted: 0 });
    const receiver = await t.receiver(queue);
    const processed = bookingUpdate({ seed: "processed-then-removed" });
    const removed = bookingUpdate({ seed: "removed-by-hand" });
    for (const body of [processed, removed]) {
      expect((await sendWebhook(receiver.url, body, credentials)).json()).toEqual({ ok: true });
    }
    // removing a job by hand also removes BullMQ's own deduplication key of it
    await (await queue.queue.getJob(jobIdOf(deliveryKey(removed))))?.remove();
    const runs: string[] = [];
    t.worker(queue, { onBookingUpdate: ({ booking }) => void runs.push(booking.uuid) });
    await waitFor(
      async () =>
        runs.length === 1 && (await queue.queue.getJob(jobIdOf(deliveryKey(processed)))) === undefined,
      "the job run and removed",
    );
    for (const body of [processed, removed]) {
      expect((await sendWebhook(receiver.url, body, credentials)).json()).toEqual({
        ok: true,
        duplicate: true,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runs).toEqual([processed.booking.uuid]);
    expect(await liveJobs(queue.queue)).toEqual(jobs());
  });

  it("honours the claims an earlier version wrote: done is a duplicate, one in progress a 409, neither enqueues", async () => {
    const queue = t.queue();
    const receiver = await t.receiver(queue);
    const done = bookingUpdate({ seed: "claimed-before-done" });
    const inProgress = bookingUpdate({ seed: "claimed-before-in-progress" });
    const redis = new Redis(redisUrl);
    t.closeLater(() => redis.quit());
    const claimKey = (body: object) => `${t.ns.prefix}:${queue.queue.name}:octo:claim:${deliveryKey(body)}`;
    await redis.set(claimKey(done), "done", "PX", 60_000);
    await redis.set(claimKey(inProgress), "processing:an-earlier-receiver", "PX", 60_000);
    expect((await sendWebhook(receiver.url, done, credentials)).json()).toEqual({
      ok: true,
      duplicate: true,
    });
    const answer = await sendWebhook(receiver.url, inProgress, credentials);
    expect(answer.status).toBe(409);
    expect(answer.headers["retry-after"]).toBeDefined();
    expect(await liveJobs(queue.queue)).toEqual(jobs());
    // and what this version writes is what an earlier one reads as processed
    const accepted = bookingUpdate({ seed: "claimed-now" });
    expect((await sendWebhook(receiver.url, accepted, credentials)).json()).toEqual({ ok: true });
    expect(await redis.get(claimKey(accepted))).toBe("done");
    expect(await redis.pttl(claimKey(accepted))).toBeGreaterThan(23 * 60 * 60 * 1000);
  });
});

describeWithRedis("the accept path's fallback: one MULTI (a BullMQ whose add script is out of reach)", () => {
  it("claims and enqueues in one MULTI: one job for concurrent copies, duplicates after removal, the same answers", async () => {
    const client = new Redis(redisUrl);
    const name = t.ns.name();
    const queue = new Queue<OctoJobData, OctoJobResult>(name, { connection: client, prefix: t.ns.prefix });
    t.closeLater(async () => {
      await queue.close();
      await client.quit();
    });
    const store = acceptingStore({
      queue,
      client,
      scripts: new Map(), // BullMQ's scripts unknown: the fallback
      claimPrefix: `${t.ns.prefix}:${name}:octo`,
      jobOptions: {},
      jobOf: ({ payload, context }) => toDeliveryJob(payload, context, () => undefined),
      ttlMs: 60_000,
      timeoutMs: 3000,
      ready: async () => {},
    });
    const webhooks = createOctoWebhooks({
      dedupe: true,
      store,
      logger: {},
      // enqueued by its claim: nothing left for a handler
    });
    const parsed = bookingUpdate({ seed: "fallback" });
    const body = JSON.stringify(parsed);
    const results = await Promise.all(Array.from({ length: 10 }, () => webhooks.receive(body)));
    expect(results.filter((result) => result.skipped === undefined)).toHaveLength(1);
    expect(results.filter((result) => result.skipped === "duplicate")).toHaveLength(9);
    expect(await queue.getJobCounts("waiting")).toEqual({ waiting: 1 });
    const job = await queue.getJob(jobIdOf(deliveryKey(parsed)));
    expect(job).toBeDefined();
    await job?.remove();
    expect((await webhooks.receive(body)).skipped).toBe("duplicate");
    expect(await queue.getJobCounts("waiting")).toEqual({ waiting: 0 });

    const otherParsed = bookingUpdate({ seed: "fallback-round-trip" });
    const other = JSON.stringify(otherParsed);
    const key = deliveryKey(otherParsed);
    const commands = await commandsClaiming(key, () => webhooks.receive(other));
    expect(commands[0]).toBe("multi");
    expect(commands.slice(1, 3).every((command) => command === "evalsha" || command === "eval")).toBe(true);
    expect(commands.slice(3)).toEqual(["exec"]);
    expect((await queue.getJob(jobIdOf(key)))?.data).toEqual({ body: other, key });
  });
});
