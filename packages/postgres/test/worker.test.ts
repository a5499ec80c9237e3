// The worker: core's handlers run for each job with its delivery key, retries then a dead letter (seen
// once by onDeadLetter, re-driven by the queue), refusals at once, and the stale guard across workers.
import {
  type BookingUpdateEvent,
  deliveryKey,
  NonRetryableError,
  type StaleCheckedEvent,
} from "@octo-webhooks/core";
import { tcpProxy } from "@octo-webhooks/test-helpers/tcp-proxy";
import { bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import { expect, it } from "vitest";
import { type DeadLetter, jobIdOf } from "../src/index.ts";
import { capturingLogger, describeWithPostgres, postgresUrl, sql, waitFor } from "./helpers.ts";
import { credentials, queueTests } from "./setup.ts";

const t = queueTests();

describeWithPostgres("createPostgresWorker()", () => {
  it("runs core's handlers for each job with its delivery key, and the job leaves the queue", async () => {
    const queue = t.queue();
    const receiver = await t.receiver(queue);
    const seen: string[] = [];
    const cancelled: string[] = [];
    t.worker(queue, {
      onBookingUpdate: ({ booking }, { deliveryKey: key }) => void seen.push(`${booking.uuid}:${key}`),
      onBookingCancelled: ({ booking }) => void cancelled.push(booking.uuid),
    });
    const bodies = [bookingUpdate({ seed: "w1" }), bookingUpdate({ seed: "w2", status: "CANCELLED" })];
    for (const body of bodies) expect((await sendWebhook(receiver.url, body, credentials)).status).toBe(200);
    await waitFor(() => seen.length === 2 && cancelled.length === 1, "both jobs handled");
    expect(seen.sort()).toEqual(bodies.map((body) => `${body.booking.uuid}:${deliveryKey(body)}`).sort());
    expect(cancelled).toEqual([bodies[1]?.booking.uuid]);
    await waitFor(async () => (await t.jobs(queue)).length === 0, "the jobs to leave the queue");
  });

  it("retries a failing handler, then makes a dead letter that onDeadLetter sees once and redrive() puts back", async () => {
    const queue = t.queue({ attempts: 2 });
    const receiver = await t.receiver(queue);
    let failing = true;
    let calls = 0;
    const handled: string[] = [];
    const letters: Array<[DeadLetter, Error]> = [];
    t.worker(queue, {
      onBookingUpdate: ({ booking }) => {
        calls++;
        if (failing) throw new Error("the CRM is down");
        handled.push(booking.uuid);
      },
      onDeadLetter: (letter, error) => void letters.push([letter, error]),
    });
    const body = bookingUpdate({ seed: "doomed" });
    expect((await sendWebhook(receiver.url, body, credentials)).status).toBe(200);
    // graphile-worker retries after e^1 s
    await waitFor(() => letters.length === 1, "the dead letter", 15_000);
    expect(calls).toBe(2);
    const [letter, error] = letters[0] as [DeadLetter, Error];
    expect(letter).toMatchObject({
      jobId: jobIdOf(deliveryKey(body)),
      deliveryKey: deliveryKey(body),
      event: "booking_update",
      body: JSON.stringify(body),
      attemptsMade: 2,
    });
    expect(letter.failedReason).toMatch(/the CRM is down/);
    expect(error.message).toMatch(/the CRM is down/);
    expect(await queue.deadLetters()).toEqual([letter]);
    expect(await t.jobs(queue)).toEqual([]);

    failing = false;
    expect(await queue.redrive(letter.jobId)).toBe(1);
    await waitFor(() => handled.length === 1, "the re-driven job");
    expect(handled).toEqual([body.booking.uuid]);
    expect(await queue.deadLetters()).toEqual([]);
    expect(letters).toHaveLength(1);
    await expect(queue.redrive("octo-nothing")).rejects.toThrow(/no dead letter octo-nothing/);
  });

  it("makes a dead letter at once of a NonRetryableError, and redrive() without an id re-drives every letter", async () => {
    const queue = t.queue();
    const receiver = await t.receiver(queue);
    let refusing = true;
    let calls = 0;
    t.worker(queue, {
      onBookingUpdate: () => {
        calls++;
        if (refusing) throw new NonRetryableError("unknown product");
      },
    });
    const bodies = [bookingUpdate({ seed: "refused-1" }), bookingUpdate({ seed: "refused-2" })];
    for (const body of bodies) await sendWebhook(receiver.url, body, credentials);
    const letters = await waitFor(async () => {
      const found = await queue.deadLetters();
      return found.length === 2 ? found : undefined;
    }, "two dead letters");
    expect(calls).toBe(2);
    expect(letters.map((letter) => letter.attemptsMade)).toEqual([1, 1]);
    expect(letters[0]?.failedReason).toMatch(/^refused: /);
    refusing = false;
    expect(await queue.redrive()).toBe(2);
    await waitFor(() => calls === 4, "the re-driven jobs");
    // a handler's return comes before its job's completion is committed
    await waitFor(async () => (await queue.deadLetters({ limit: 10 })).length === 0, "no dead letter left");
    expect(calls).toBe(4);
  });

  it("skips out-of-order updates with staleGuard, in PostgreSQL for every worker", async () => {
    const queue = t.queue();
    const receiver = await t.receiver(queue);
    const seen: string[] = [];
    const stale: string[] = [];
    const options = {
      staleGuard: true,
      onBookingUpdate: ({ booking }: BookingUpdateEvent) => void seen.push(String(booking.status)),
      onStale: (payload: StaleCheckedEvent) =>
        void stale.push("booking" in payload ? String(payload.booking.status) : "?"),
    };
    const worker = t.worker(queue, options);
    const newer = bookingUpdate({ seed: "stale", status: "CANCELLED" });
    const older = bookingUpdate({ seed: "stale", status: "CONFIRMED" });
    await sendWebhook(receiver.url, newer, credentials);
    await waitFor(() => seen.length === 1, "the newer update");
    await worker.close();
    t.worker(queue, options); // another worker, same state
    await sendWebhook(receiver.url, older, credentials);
    await waitFor(() => stale.length === 1, "the older update skipped");
    expect(seen).toEqual(["CANCELLED"]);
    expect(stale).toEqual(["CONFIRMED"]);
  });

  it("carries forwardHeaders to the handlers, and with dedupe off collapses a copy into its waiting job", async () => {
    const queue = t.queue({ dedupe: false, forwardHeaders: ["x-supplier-id"] });
    const receiver = await t.receiver(queue);
    const body = bookingUpdate({ seed: "headers" });
    const headers = { "x-supplier-id": "ventrata-7" };
    for (let i = 0; i < 3; i++) {
      const answer = await sendWebhook(receiver.url, body, { ...credentials, headers });
      expect(answer.json()).toEqual({ ok: true });
    }
    expect((await t.jobs(queue)).map((job) => job.key)).toEqual([jobIdOf(deliveryKey(body))]);
    const seen: Array<string | null> = [];
    t.worker(queue, {
      onBookingUpdate: (_, context) => void seen.push(context.headers.get("x-supplier-id")),
    });
    await waitFor(() => seen.length === 1, "the job");
    expect(seen).toEqual(["ventrata-7"]);
  });

  it("refuses options that belong elsewhere", () => {
    const queue = t.queue();
    expect(() => t.worker(queue, { dedupe: true } as never)).toThrow(
      /^\[@octo-webhooks\/postgres\] createPostgresWorker\(\) does not take `dedupe`: duplicates are suppressed when enqueued/,
    );
    expect(() => t.worker(queue, { concurrency: 0 })).toThrow(/`concurrency` must be a positive integer/);
    expect(() => t.worker(queue, { onDeadLetter: "alert" as never })).toThrow(
      /`onDeadLetter` must be a function/,
    );
  });
});

describeWithPostgres("a worker process that died", () => {
  it("leaves its jobs locked only until the others see it stopped renewing: then they run again", async () => {
    const queue = t.queue({ ordering: true });
    const receiver = await t.receiver(queue);
    const body = bookingUpdate({ seed: "orphan" });
    await sendWebhook(receiver.url, body, credentials);
    // the state a killed worker leaves: its job and the job's named queue locked by it, for good
    const jobs = `"${t.ns.jobs}"`;
    await sql(
      `with j as (
         update ${jobs}._private_jobs set locked_by = 'killed-worker', locked_at = now() - interval '5 seconds', attempts = 1
         returning job_queue_id)
       update ${jobs}._private_job_queues set locked_by = 'killed-worker', locked_at = now() - interval '5 seconds'
       where id in (select job_queue_id from j)`,
    );
    const seen: string[] = [];
    const logger = capturingLogger();
    t.worker(queue, {
      lockDurationMs: 600,
      logger,
      onBookingUpdate: ({ booking }) => void seen.push(booking.uuid),
    });
    await waitFor(() => seen.length === 1, "the orphaned job to run again", 10_000);
    expect(seen).toEqual([body.booking.uuid]);
    expect(logger.lines.some((line) => /unlocked the jobs of 1 worker\(s\)/.test(line))).toBe(true);
  });

  it("keeps the jobs of a live worker: a slow handler is not run twice", async () => {
    const queue = t.queue();
    const receiver = await t.receiver(queue);
    let calls = 0;
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => (release = resolve));
    t.worker(queue, {
      lockDurationMs: 300,
      onBookingUpdate: async () => {
        calls++;
        await slow;
      },
    });
    t.worker(queue, { lockDurationMs: 300, onBookingUpdate: () => void calls++ });
    await sendWebhook(receiver.url, bookingUpdate({ seed: "slow" }), credentials);
    await waitFor(() => calls === 1, "the job to start");
    await new Promise((resolve) => setTimeout(resolve, 1500)); // five lock durations
    expect(calls).toBe(1);
    release();
    await waitFor(async () => (await t.jobs(queue)).length === 0, "the job to finish");
    expect(calls).toBe(1);
  });
});

describeWithPostgres("a worker whose PostgreSQL went away mid-job", () => {
  it("replaces the graphile-worker workers that stopped (their outcome not recorded), and their jobs run again", async () => {
    const queue = t.queue();
    const receiver = await t.receiver(queue);
    const target = new URL(postgresUrl);
    const proxy = await tcpProxy(Number(target.port), target.hostname);
    t.closeLater(() => proxy.close());
    target.port = String(proxy.port);
    const logger = capturingLogger();
    const started: string[] = [];
    const done: string[] = [];
    let release: () => void = () => {};
    let held: Promise<void> | undefined = new Promise<void>((resolve) => (release = resolve));
    t.worker(queue, {
      connection: target.href,
      concurrency: 2,
      lockDurationMs: 600,
      logger,
      onBookingUpdate: async ({ booking }) => {
        started.push(booking.uuid);
        await held;
        done.push(booking.uuid);
      },
    });
    const first = [bookingUpdate({ seed: "held-1" }), bookingUpdate({ seed: "held-2" })];
    for (const body of first) expect((await sendWebhook(receiver.url, body, credentials)).status).toBe(200);
    await waitFor(() => started.length === 2, "both workers busy");
    // PostgreSQL goes away while both jobs run: neither outcome can be recorded, and both workers stop
    await proxy.cut();
    held = undefined;
    release();
    await waitFor(() => done.length === 2, "both handlers to end");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await proxy.restore();
    await waitFor(
      () => logger.lines.some((line) => /replaced 2 graphile-worker worker\(s\)/.test(line)),
      "the lost workers replaced",
    );
    // their jobs, still locked by them, end: run again once lockDurationMs passed, or (when graphile-worker's
    // own retry of the completion got through once PostgreSQL was back) recorded as they were; never lost
    await waitFor(async () => (await t.jobs(queue)).length === 0, "the held jobs to end");
    for (const body of first) {
      const runs = done.filter((uuid) => uuid === body.booking.uuid).length;
      expect(runs === 1 || runs === 2, `${body.booking.uuid} ran ${runs} times`).toBe(true);
    }
    // and the worker has its two workers: two new jobs run at once
    let running = 0;
    let most = 0;
    const both = new Promise<void>((resolve) => (release = resolve));
    held = both;
    const more = [bookingUpdate({ seed: "after-1" }), bookingUpdate({ seed: "after-2" })];
    const before = done.length;
    const counting = setInterval(() => {
      running = started.length - done.length;
      most = Math.max(most, running);
      if (most === 2) release();
    }, 10);
    t.closeLater(async () => clearInterval(counting));
    for (const body of more) expect((await sendWebhook(receiver.url, body, credentials)).status).toBe(200);
    await waitFor(() => done.length === before + 2, "both new jobs");
    expect(most).toBe(2);
  });
});
