// The accept path of a receiver with dedupe: one Redis round trip per delivery (a MULTI holding the
// claim and BullMQ's add), exactly one job however many copies arrive at once or later, and the claims
// an earlier version of this package wrote still honoured.
import { deliveryKey } from "@octo-webhooks/core";
import { bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import { Redis } from "ioredis";
import { expect, it } from "vitest";
import { jobIdOf } from "../src/index.ts";
import { describeWithRedis, redisUrl, waitFor } from "./helpers.ts";
import { auth, credentials, queueTests } from "./setup.ts";

const t = queueTests();

/** The commands every client sends (Lua's own calls left out) while `run` runs, as MONITOR shows them. */
async function commandsDuring(run: () => Promise<unknown>) {
  const monitor = await new Redis(redisUrl).monitor();
  const seen: Array<{ source: string; args: string[] }> = [];
  monitor.on("monitor", (_time: string, args: string[], source: string) => {
    if (source !== "lua") seen.push({ source, args });
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 50));
    await run();
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    monitor.disconnect();
  }
  return seen;
}

describeWithRedis("the accept path (dedupe on)", () => {
  it("costs one round trip per delivery: MULTI, the claim script, BullMQ's add script, EXEC", async () => {
    const queue = t.queue();
    const receiver = await t.receiver(queue);
    // the first delivery also connects and loads BullMQ's scripts
    expect((await sendWebhook(receiver.url, bookingUpdate({ seed: "warm-up" }), credentials)).status).toBe(
      200,
    );

    const body = bookingUpdate({ seed: "one-round-trip" });
    const fromReceiver = async (send: () => Promise<unknown>) => {
      const seen = await commandsDuring(send);
      // the receiver's connection: the one that named this delivery's claim key
      const claimed = seen.find((command) =>
        command.args.some((arg) => arg.includes(`:claim:${deliveryKey(body)}`)),
      );
      expect(claimed).toBeDefined();
      return seen
        .filter((command) => command.source === claimed?.source)
        .map(({ args }) => args[0]?.toLowerCase());
    };
    const scripts = ["evalsha", "eval"];
    let answer: Awaited<ReturnType<typeof sendWebhook>> | undefined;
    const accepted = await fromReceiver(async () => {
      answer = await sendWebhook(receiver.url, body, credentials);
    });
    expect(answer?.json()).toEqual({ ok: true });
    expect(accepted).toHaveLength(4);
    expect(accepted[0]).toBe("multi");
    expect(scripts).toContain(accepted[1]);
    expect(scripts).toContain(accepted[2]);
    expect(accepted[3]).toBe("exec");
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
    expect(await first.queue.getJobCounts("waiting", "delayed", "active", "completed")).toEqual({
      waiting: 1,
      delayed: 0,
      active: 0,
      completed: 0,
    });
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
    expect(await queue.queue.getJobCounts("waiting", "delayed", "active", "completed")).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: 0,
    });
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
    expect(await queue.queue.getJobCounts("waiting", "delayed", "active", "completed")).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: 0,
    });
    // and what this version writes is what an earlier one reads as processed
    const accepted = bookingUpdate({ seed: "claimed-now" });
    expect((await sendWebhook(receiver.url, accepted, credentials)).json()).toEqual({ ok: true });
    expect(await redis.get(claimKey(accepted))).toBe("done");
    expect(await redis.pttl(claimKey(accepted))).toBeGreaterThan(23 * 60 * 60 * 1000);
  });
});
