import { createServer } from "node:http";
import { type BookingUpdateEvent, deliveryKey, NonRetryableError } from "@octo-webhooks/core";
import { octoWebhooks } from "@octo-webhooks/express";
import { closeServer, listen } from "@octo-webhooks/test-helpers";
import { availabilityUpdate, bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import express from "express";
import { expect, it } from "vitest";
import { createOctoQueue, createOctoWorker, jobIdOf } from "../src/index.ts";
import {
  capturingLogger,
  describeWithRedis,
  jobs,
  liveJobs,
  redisProxy,
  redisUrl,
  waitFor,
} from "./helpers.ts";
import { auth, credentials, queueTests } from "./setup.ts";

const t = queueTests();

describeWithRedis("createOctoQueue() + createOctoWorker()", () => {
  it("answers 200 only once the job is in Redis, and the worker runs each delivery exactly once", async () => {
    const queue = t.queue();
    const receiver = await t.receiver(queue);
    const bodies = Array.from({ length: 12 }, (_, i) =>
      bookingUpdate({ seed: `once-${i}`, status: i % 3 === 0 ? "CANCELLED" : "CONFIRMED" }),
    );
    for (const body of bodies) {
      const answer = await sendWebhook(receiver.url, body, credentials);
      expect(answer.status).toBe(200);
      // no worker runs yet: the job the 200 stands for is already in Redis
      const job = await queue.queue.getJob(jobIdOf(deliveryKey(body)));
      expect(job?.data).toEqual({ body: JSON.stringify(body), key: deliveryKey(body) });
      expect(job?.name).toBe("booking_update");
    }
    expect((await sendWebhook(receiver.url, bodies[0], { username: "octo", password: "wrong" })).status).toBe(
      401,
    );

    const calls: Array<{ uuid: string; key: string; rawBody: string | undefined }> = [];
    const cancelled: string[] = [];
    t.worker(queue, {
      onBookingUpdate: ({ booking }, context) =>
        void calls.push({ uuid: booking.uuid, key: context.deliveryKey, rawBody: context.rawBody }),
      onBookingCancelled: ({ booking }) => void cancelled.push(booking.uuid),
    });
    await waitFor(
      async () => (await queue.queue.getJobCounts("completed")).completed === 12,
      "12 completed jobs",
    );
    expect(calls.map((c) => c.uuid).sort()).toEqual(bodies.map((b) => b.booking.uuid).sort());
    for (const body of bodies) {
      const call = calls.find((c) => c.uuid === body.booking.uuid);
      expect(call).toEqual({
        uuid: body.booking.uuid,
        key: deliveryKey(body),
        rawBody: JSON.stringify(body),
      });
    }
    expect(cancelled.sort()).toEqual(
      bodies
        .filter((b) => b.booking.status === "CANCELLED")
        .map((b) => b.booking.uuid)
        .sort(),
    );
  });

  it("carries availability updates, orders and events this version does not model to the same handlers as core", async () => {
    const queue = t.queue();
    const receiver = await t.receiver(queue);
    const availability = availabilityUpdate({ seed: "avail", vacancies: 0, idsIn: "availability" });
    const order = { webhook: { event: "order_update" }, order: { id: "o-1" } };
    const transfer = { webhook: { event: "transfer_update" }, transfer: { id: "t-1" } };
    for (const body of [availability, order, transfer]) {
      expect((await sendWebhook(receiver.url, body, credentials)).status).toBe(200);
    }
    expect((await queue.queue.getJob(jobIdOf(deliveryKey(order))))?.name).toBe("order_update");
    const seen: string[] = [];
    t.worker(queue, {
      onAvailabilityUpdate: ({ productId }, { event }) => void seen.push(`${event} ${productId}`),
      onOrderUpdate: ({ order }, { event }) => void seen.push(`${event} ${order.id}`),
      onUnknownEvent: (_body, { event }) => void seen.push(event),
    });
    await waitFor(() => seen.length === 3, "the three events");
    expect(seen.sort()).toEqual([
      `availability_update ${availability.availability.productId}`,
      "order_update o-1",
      "transfer_update",
    ]);
  });

  it("collapses duplicates: concurrent, re-sent, re-serialised, and after the job was processed and removed", async () => {
    const queue = t.queue({ keepCompleted: 0 });
    const receiver = await t.receiver(queue);
    const body = bookingUpdate({ seed: "dup" });
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => sendWebhook(receiver.url, body, credentials)),
    );
    // a duplicate arriving while the original is being enqueued is told to come back (409), never lost
    expect(concurrent.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    expect(concurrent.some((a) => a.status === 200)).toBe(true);
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(body).reverse()));
    for (const again of [JSON.stringify(body), reordered]) {
      const answer = await sendWebhook(receiver.url, again, credentials);
      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({ ok: true, duplicate: true });
    }
    expect(await queue.queue.getJobCounts("waiting", "delayed", "active")).toEqual({
      waiting: 1,
      delayed: 0,
      active: 0,
    });

    let runs = 0;
    t.worker(queue, { onBookingUpdate: () => void runs++ });
    await waitFor(
      async () => runs === 1 && (await queue.queue.getJob(jobIdOf(deliveryKey(body)))) === undefined,
      "the job run and removed",
    );
    const late = await sendWebhook(receiver.url, body, credentials);
    expect(late.json()).toEqual({ ok: true, duplicate: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runs).toBe(1);
    expect(await liveJobs(queue.queue)).toEqual(jobs());
  });

  it("without dedupe, duplicates still collapse into one job while it exists (job id = delivery key)", async () => {
    const queue = t.queue({ dedupe: false });
    const receiver = await t.receiver(queue);
    const body = bookingUpdate({ seed: "jobid" });
    for (let i = 0; i < 3; i++) {
      const answer = await sendWebhook(receiver.url, body, credentials);
      expect(answer.json()).toEqual({ ok: true });
    }
    expect((await queue.queue.getJobCounts("waiting")).waiting).toBe(1);
  });

  it("retries a failing handler with exponential backoff until it succeeds", async () => {
    const queue = t.queue({ attempts: 4, backoffMs: 100 });
    const receiver = await t.receiver(queue);
    const calls: number[] = [];
    const effects: string[] = [];
    const errors: unknown[] = [];
    t.worker(queue, {
      onBookingUpdate: ({ booking }) => {
        calls.push(Date.now());
        if (calls.length <= 2) throw new Error(`CRM timeout ${calls.length}`);
        effects.push(booking.uuid);
      },
      onError: (error) => void errors.push(error),
    });
    const body = bookingUpdate({ seed: "retry" });
    expect((await sendWebhook(receiver.url, body, credentials)).status).toBe(200);
    await waitFor(
      async () => (await queue.queue.getJobCounts("completed")).completed === 1,
      "the job to complete",
    );
    expect(calls).toHaveLength(3);
    // 100 ms, then 200 ms, each minus at most 20% of jitter
    expect((calls[1] as number) - (calls[0] as number)).toBeGreaterThanOrEqual(80);
    expect((calls[2] as number) - (calls[1] as number)).toBeGreaterThanOrEqual(160);
    expect(effects).toEqual([body.booking.uuid]);
    expect(errors).toHaveLength(2);
    expect(await queue.deadLetters()).toEqual([]);
  });

  it("keeps a job that failed every attempt as a dead letter, reports it once, and re-drives it", async () => {
    const queue = t.queue({ attempts: 2 });
    const receiver = await t.receiver(queue);
    let crmUp = false;
    let effects = 0;
    const letters: Array<{ jobId: string; failedReason: string; attemptsMade: number }> = [];
    t.worker(queue, {
      onBookingUpdate: () => {
        if (!crmUp) throw new Error("CRM down");
        effects++;
      },
      onDeadLetter: ({ jobId, failedReason, attemptsMade }) =>
        void letters.push({ jobId, failedReason, attemptsMade }),
    });
    const body = bookingUpdate({ seed: "dead" });
    expect((await sendWebhook(receiver.url, body, credentials)).status).toBe(200);
    await waitFor(() => letters.length === 1, "the dead letter");
    const jobId = jobIdOf(deliveryKey(body));
    expect(letters).toEqual([{ jobId, failedReason: expect.stringContaining("CRM down"), attemptsMade: 2 }]);
    const [letter, ...others] = await queue.deadLetters();
    expect(others).toEqual([]);
    expect(letter).toMatchObject({
      jobId,
      deliveryKey: deliveryKey(body),
      event: "booking_update",
      body: JSON.stringify(body),
      attemptsMade: 2,
    });
    expect(letter?.failedAt).toBeInstanceOf(Date);
    // the sender's duplicate does not bypass the dead letter
    expect((await sendWebhook(receiver.url, body, credentials)).json()).toEqual({
      ok: true,
      duplicate: true,
    });

    crmUp = true;
    expect(await queue.redrive()).toBe(1);
    await waitFor(() => effects === 1, "the re-driven job to succeed");
    await waitFor(async () => (await queue.deadLetters()).length === 0, "no dead letter left");
    expect(letters).toHaveLength(1);
    await expect(queue.redrive(jobId)).rejects.toThrow(/has not failed; only dead letters can be re-driven/);
    await expect(queue.redrive("octo-nope")).rejects.toThrow(/no job octo-nope/);
  });

  it("does not retry a delivery a handler refuses on purpose (NonRetryableError): a dead letter after one attempt", async () => {
    const queue = t.queue({ attempts: 5 });
    const receiver = await t.receiver(queue);
    let calls = 0;
    t.worker(queue, {
      onBookingUpdate: () => {
        calls++;
        throw new NonRetryableError("we do not sell this product");
      },
    });
    expect((await sendWebhook(receiver.url, bookingUpdate({ seed: "refused" }), credentials)).status).toBe(
      200,
    );
    const [letter] = await waitFor(async () => {
      const letters = await queue.deadLetters();
      return letters.length > 0 && letters;
    }, "the dead letter");
    expect(letter).toMatchObject({ attemptsMade: 1, failedReason: "refused: we do not sell this product" });
    expect(calls).toBe(1);
  });

  it("skips out-of-order updates in the worker with staleGuard (checked when the job runs)", async () => {
    const queue = t.queue();
    const receiver = await t.receiver(queue);
    const newer = bookingUpdate({ seed: "stale", status: "CANCELLED" });
    const older = bookingUpdate({ seed: "stale", status: "CONFIRMED" });
    for (const body of [newer, older])
      expect((await sendWebhook(receiver.url, body, credentials)).status).toBe(200);
    const seen: string[] = [];
    const stale: string[] = [];
    t.worker(queue, {
      concurrency: 1,
      staleGuard: true,
      onBookingUpdate: ({ booking }) => void seen.push(booking.status ?? ""),
      // onStale may see an order or a product too; this queue only carries bookings
      onStale: (payload) => void stale.push((payload as BookingUpdateEvent).booking.status ?? ""),
    });
    await waitFor(async () => (await queue.queue.getJobCounts("completed")).completed === 2, "both jobs");
    expect(seen).toEqual(["CANCELLED"]);
    expect(stale).toEqual(["CONFIRMED"]);
  });

  it("carries the headers named in forwardHeaders to the worker, and never credentials", async () => {
    const queue = t.queue({ forwardHeaders: ["X-Supplier-Id"] });
    const receiver = await t.receiver(queue);
    const body = bookingUpdate({ seed: "headers" });
    await sendWebhook(receiver.url, body, { ...credentials, headers: { "x-supplier-id": "ventrata-7" } });
    const job = await queue.queue.getJob(jobIdOf(deliveryKey(body)));
    expect(job?.data.headers).toEqual({ "x-supplier-id": "ventrata-7" });
    expect(JSON.stringify(job?.data)).not.toContain(
      Buffer.from(`octo:${credentials.password}`).toString("base64"),
    );
    const seen: Array<string | null> = [];
    t.worker(queue, {
      onBookingUpdate: (_b, context) => void seen.push(context.headers.get("x-supplier-id")),
    });
    await waitFor(() => seen.length === 1, "the job");
    expect(seen).toEqual(["ventrata-7"]);
    expect(() => createOctoQueue({ connection: redisUrl, forwardHeaders: ["Authorization"] })).toThrow(
      /^\[@octo-webhooks\/bullmq\] `forwardHeaders` cannot carry authorization/,
    );
  });

  it("bullmq: forwardHeaders in the queue never stores the header credentials auth.header checks", async () => {
    const queue = t.queue({ forwardHeaders: ["X-Api-Key", "x-supplier-id"] });
    expect(() => queue.receiver({ auth: { header: { name: "x-api-key", value: "key-1" } } })).toThrow(
      /^\[@octo-webhooks\/bullmq\] `forwardHeaders` cannot carry x-api-key: `auth.header` checks it/,
    );
    const receiver = await t.receiver(queue, {
      auth: () => ({ header: [{ name: "X-API-KEY", value: "resolved-key-7f3e" }] }),
    });
    const body = bookingUpdate({ seed: "auth-headers" });
    const answer = await sendWebhook(receiver.url, body, {
      headers: { "x-api-key": "resolved-key-7f3e", "x-supplier-id": "ventrata-7" },
    });
    expect(answer.status).toBe(200);
    const job = await queue.queue.getJob(jobIdOf(deliveryKey(body)));
    expect(job?.data.headers).toEqual({ "x-supplier-id": "ventrata-7" });
    expect(JSON.stringify(job?.data)).not.toContain("resolved-key-7f3e");
  });

  it("plugs into a framework adapter as its `webhooks` (Express)", async () => {
    const queue = t.queue();
    const app = express();
    app.use(octoWebhooks({ path: "/webhooks/octo", webhooks: queue.receiver({ auth }) }));
    const server = createServer(app);
    const port = await listen(server);
    t.closeLater(() => closeServer(server));
    const body = bookingUpdate({ seed: "express" });
    const answer = await sendWebhook(`http://127.0.0.1:${port}/webhooks/octo`, body, credentials);
    expect(answer.status).toBe(200);
    expect(await queue.queue.getJob(jobIdOf(deliveryKey(body)))).toBeDefined();
  });

  it("refuses receiver options that belong elsewhere, with a message that says where", () => {
    const queue = t.queue();
    expect(() => queue.receiver({ onBookingUpdate: () => {} } as never)).toThrow(
      /^\[@octo-webhooks\/bullmq\] receiver\(\) does not take `onBookingUpdate`: handlers and `staleGuard` belong to createOctoWorker\(\)/,
    );
    expect(() => queue.receiver({ ackFirst: true } as never)).toThrow(/`ackFirst`/);
    expect(() => t.queue({ attempts: 0 })).toThrow(/`attempts` must be a positive integer/);
    expect(() => createOctoWorker({ connection: redisUrl, lockDurationMs: 0.5 })).toThrow(
      /^\[@octo-webhooks\/bullmq\] .*`lockDurationMs` must be a positive integer/,
    );
    expect(() => createOctoWorker({ connection: redisUrl, dedupe: true } as never)).toThrow(
      /^\[@octo-webhooks\/bullmq\] createOctoWorker\(\) does not take `dedupe`: duplicates are suppressed when enqueued/,
    );
  });
});

describeWithRedis("a Redis outage", () => {
  it("answers 503 + Retry-After, and the supplier's retry is enqueued once Redis is back", async () => {
    const proxy = await redisProxy();
    t.closeLater(() => proxy.close());
    const logger = capturingLogger();
    const queue = t.queue({ connection: proxy.url, timeoutMs: 500, logger });
    const receiver = await t.receiver(queue);
    const supplier = await t.supplier(receiver.url, [100, 300, 600, 1000, 2000, 2000]);
    const [first] = await supplier.simulate.bookingUpdate({ status: "CONFIRMED" });
    expect(first?.attempts.map((a) => a.status)).toEqual([200]);

    await proxy.cut();
    const delivering = supplier.simulate.bookingUpdate({ status: "CANCELLED" });
    await waitFor(() => (supplier.deliveries[1]?.attempts.length ?? 0) >= 2, "two refused attempts");
    await proxy.restore();
    const [second] = await delivering;
    const statuses = second?.attempts.map((a) => a.status) ?? [];
    expect(statuses.slice(0, 2)).toEqual([503, 503]);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.every((s) => s === 503 || s === 200)).toBe(true);
    expect(JSON.parse(second?.attempts[0]?.answer ?? "{}").error.code).toBe("STORE_UNAVAILABLE");
    expect(logger.lines.some((line) => /^error .*answered 503 so that the sender retries/.test(line))).toBe(
      true,
    );
    expect(logger.lines.join("\n")).not.toContain(credentials.password);

    const effects: string[] = [];
    t.worker(queue, { onBookingUpdate: ({ booking }) => void effects.push(booking.status ?? "") });
    await waitFor(() => effects.length === 2, "both deliveries processed");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(effects.sort()).toEqual(["CANCELLED", "CONFIRMED"]);
  });

  it("answers 503 from the enqueue itself when the queue fails (dedupe off: no store in front)", async () => {
    const proxy = await redisProxy();
    t.closeLater(() => proxy.close());
    const queue = t.queue({
      connection: proxy.url,
      timeoutMs: 500,
      dedupe: false,
      logger: capturingLogger(),
    });
    const receiver = await t.receiver(queue);
    expect((await sendWebhook(receiver.url, bookingUpdate({ seed: "up" }), credentials)).status).toBe(200);
    await proxy.cut();
    const answer = await sendWebhook(receiver.url, bookingUpdate({ seed: "down" }), credentials);
    expect(answer.status).toBe(503);
    expect(answer.headers["retry-after"]).toBe("5");
    expect(answer.json()).toMatchObject({ ok: false, error: { code: "STORE_UNAVAILABLE" } });
    expect(answer.body).not.toContain("127.0.0.1");
  });
});

describeWithRedis("many suppliers through the queue", () => {
  it("the same body from two suppliers is two jobs, and the worker's handlers see each supplier", async () => {
    const queue = t.queue();
    const peek = { username: "peek", password: "peek-queue-pass" };
    const bokun = { username: "bokun", password: "bokun-queue-pass" };
    const receiver = await t.receiver(queue, {
      suppliers: { peek: { auth: { basic: peek } }, bokun: { auth: { basic: bokun } } },
    });
    const body = bookingUpdate({ seed: "two-suppliers" });
    for (const who of [peek, bokun]) expect((await sendWebhook(receiver.url, body, who)).status).toBe(200);
    const key = deliveryKey(body);
    expect((await queue.queue.getJob(jobIdOf(key, "peek")))?.data.supplier).toBe("peek");
    expect((await queue.queue.getJob(jobIdOf(key, "bokun")))?.data.supplier).toBe("bokun");
    const seen: Array<string | undefined> = [];
    t.worker(queue, { onBookingUpdate: (_booking, { supplier }) => void seen.push(supplier) });
    await waitFor(() => seen.length === 2, "both suppliers' jobs");
    expect(seen.sort()).toEqual(["bokun", "peek"]);
  });

  it("a dead letter says which supplier sent it", async () => {
    const queue = t.queue({ attempts: 1 });
    const peek = { username: "peek", password: "peek-queue-pass" };
    const receiver = await t.receiver(queue, { suppliers: { peek: { auth: { basic: peek } } } });
    const reported: Array<string | undefined> = [];
    t.worker(queue, {
      onBookingUpdate: () => {
        throw new Error("CRM down");
      },
      onDeadLetter: ({ supplier }) => void reported.push(supplier),
    });
    const body = bookingUpdate({ seed: "dead-from-peek" });
    expect((await sendWebhook(receiver.url, body, peek)).status).toBe(200);
    await waitFor(() => reported.length === 1, "the dead letter");
    expect(reported).toEqual(["peek"]);
    const [letter] = await queue.deadLetters();
    expect(letter).toMatchObject({ jobId: jobIdOf(deliveryKey(body), "peek"), supplier: "peek" });
  });

  it("bullmq: forwardHeaders in the queue never stores the header credentials a supplier's auth.header checks", async () => {
    const queue = t.queue({ forwardHeaders: ["X-Api-Key", "x-supplier-id"] });
    const peek = { username: "peek", password: "peek-queue-pass" };
    // a record: refused up front, naming the supplier (never its secret)
    const record = {
      peek: { auth: { basic: peek } },
      bokun: { auth: { header: [{ name: "X-API-KEY", value: "bokun-key-51c2" }] } },
    };
    expect(() => queue.receiver({ suppliers: record })).toThrow(
      /^\[@octo-webhooks\/bullmq\] `forwardHeaders` cannot carry x-api-key: the `auth.header` of supplier bokun checks it/,
    );
    expect(() => queue.receiver({ suppliers: record })).not.toThrow(/bokun-key-51c2/);
    // a lookup function: its answers' header names are never forwarded
    const looked: string[] = [];
    const app = express();
    app.use(
      octoWebhooks({
        path: "/webhooks/octo/:supplier",
        webhooks: queue.receiver({
          suppliers: (id) => {
            looked.push(id);
            return id === "bokun"
              ? { auth: { header: { name: "x-api-key", value: "looked-up-key-9d0a" } } }
              : undefined;
          },
        }),
      }),
    );
    const server = createServer(app);
    const port = await listen(server);
    t.closeLater(() => closeServer(server));
    const body = bookingUpdate({ seed: "supplier-auth-headers" });
    const answer = await sendWebhook(`http://127.0.0.1:${port}/webhooks/octo/bokun`, body, {
      headers: { "x-api-key": "looked-up-key-9d0a", "x-supplier-id": "bokun-7" },
    });
    expect(answer.status).toBe(200);
    expect(looked).toEqual(["bokun"]);
    const job = await queue.queue.getJob(jobIdOf(deliveryKey(body), "bokun"));
    expect(job?.data.headers).toEqual({ "x-supplier-id": "bokun-7" });
    expect(JSON.stringify(job?.data)).not.toContain("looked-up-key-9d0a");
  });
});
