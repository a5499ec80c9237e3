// The receiver and the consumer in Node, with stand-ins for the platform's bindings (a Queue whose send
// fails or hangs, messages that record ack() and retry()): what workerd cannot be made to do on cue.
import { deliveryKey, NonRetryableError } from "@octo-webhooks/core";
import { describe, expect, it } from "vitest";
import {
  type MessageBatchLike,
  type OctoDeadLetter,
  type OctoQueueMessage,
  octoQueueConsumer,
  octoQueueReceiver,
  type QueueLike,
  type QueueMessageLike,
} from "../src/index.ts";

const body = (uuid: string) =>
  JSON.stringify({ webhook: { event: "booking_update" }, booking: { uuid, status: "CONFIRMED" } });
const post = (text: string) =>
  new Request("https://worker.test/webhooks/octo", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: text,
  });

describe("octoQueueReceiver", () => {
  const receiver = octoQueueReceiver((env: { OCTO_QUEUE: QueueLike }) => ({
    queue: env.OCTO_QUEUE,
    auth: "none",
    timeoutMs: 50,
    logger: {},
  }));

  it("200 once the queue has the message, sent as JSON with the delivery key", async () => {
    const sent: Array<{ body: unknown; options: unknown }> = [];
    const env = {
      OCTO_QUEUE: { send: async (b: unknown, options: unknown) => void sent.push({ body: b, options }) },
    };
    const answer = await receiver.fetch(post(body("b-1")), env);
    expect(answer.status).toBe(200);
    expect(sent).toEqual([
      {
        body: { v: 1, key: deliveryKey(JSON.parse(body("b-1"))), event: "booking_update", body: body("b-1") },
        options: { contentType: "json" },
      },
    ]);
    // built once per env
    expect(receiver.webhooks(env)).toBe(receiver.webhooks(env));
  });

  it("503 + Retry-After when the send fails, or takes longer than timeoutMs", async () => {
    const failing = { OCTO_QUEUE: { send: () => Promise.reject(new Error("Queue send failed: 10503")) } };
    const refused = await receiver.fetch(post(body("b-1")), failing);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("STORE_UNAVAILABLE");

    const hanging = { OCTO_QUEUE: { send: () => new Promise<void>(() => {}) } };
    const started = performance.now();
    expect((await receiver.fetch(post(body("b-1")), hanging)).status).toBe(503);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("handlers and what the consumer decides are refused, naming where they belong", async () => {
    const wrong = octoQueueReceiver(
      (env: { OCTO_QUEUE: QueueLike }) =>
        ({ queue: env.OCTO_QUEUE, onBookingUpdate: () => {}, dedupe: true }) as never,
    );
    await expect(wrong.fetch(post(body("b-1")), { OCTO_QUEUE: { send: async () => {} } })).rejects.toThrow(
      /does not take `onBookingUpdate`, `dedupe`: handlers, `dedupe`, `staleGuard`, `store` and `hydrate` belong to octoQueueConsumer\(\)/,
    );
    expect(() => octoQueueReceiver({} as never)).toThrow(/takes a function of the Worker's env/);
  });
});

/** A message as the runtime hands it over, recording what the consumer did with it. */
function message(body: unknown, attempts = 1) {
  const done: string[] = [];
  const m: QueueMessageLike = {
    id: `m-${Math.random().toString(36).slice(2)}`,
    timestamp: new Date("2026-05-01T10:00:00Z"),
    body,
    attempts,
    ack: () => void done.push("ack"),
    retry: (options) => void done.push(`retry ${JSON.stringify(options ?? {})}`),
  };
  return { m, done };
}
const delivery = (uuid: string): OctoQueueMessage => ({
  v: 1,
  key: deliveryKey(JSON.parse(body(uuid))),
  event: "booking_update",
  body: body(uuid),
});
const batchOf = (...messages: QueueMessageLike[]): MessageBatchLike => ({ queue: "octo", messages });

describe("octoQueueConsumer", () => {
  it("acknowledges what succeeded, retries what failed after retryDelaySeconds, acknowledges and reports what was refused", async () => {
    const letters: OctoDeadLetter[] = [];
    const consumer = octoQueueConsumer(() => ({
      logger: {},
      retryDelaySeconds: (attempts: number) => 30 * attempts,
      onDeadLetter: (letter) => void letters.push(letter),
      onBookingUpdate: ({ booking }) => {
        if (booking.uuid === "flaky") throw new Error("the CRM is down");
        if (booking.uuid === "unsold") throw new NonRetryableError("a product we do not sell");
      },
    }));
    const ok = message(delivery("b-1"));
    const flaky = message(delivery("flaky"), 2);
    const unsold = message(delivery("unsold"));
    const stranger = message({ hello: "world" });
    await consumer.queue(batchOf(ok.m, flaky.m, unsold.m, stranger.m), {});
    expect([ok.done, flaky.done, unsold.done, stranger.done]).toEqual([
      ["ack"],
      ['retry {"delaySeconds":60}'],
      ["ack"],
      ["ack"],
    ]);
    expect(letters).toHaveLength(2);
    expect(letters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          reason: "refused",
          deliveryKey: delivery("unsold").key,
          body: body("unsold"),
          failedReason: "refused: a product we do not sell",
        }),
        expect.objectContaining({ reason: "refused", deliveryKey: "", messageId: stranger.m.id }),
      ]),
    );
  });

  it("without retryDelaySeconds a failure is retried with the queue's own retry_delay; a duplicate is acknowledged without running", async () => {
    let runs = 0;
    const consumer = octoQueueConsumer(() => ({
      logger: {},
      onBookingUpdate: () => {
        runs++;
        if (runs === 1) throw new Error("the CRM is down");
      },
    }));
    // one env, as the runtime passes every batch of an isolate (the memory store is per env)
    const env = {};
    const first = message(delivery("b-2"));
    await consumer.queue(batchOf(first.m), env);
    expect(first.done).toEqual(["retry {}"]);
    const again = message(delivery("b-2"), 2);
    const duplicate = message(delivery("b-2"));
    await consumer.queue(batchOf(again.m), env);
    await consumer.queue(batchOf(duplicate.m), env);
    expect([again.done, duplicate.done, runs]).toEqual([["ack"], ["ack"], 2]);
  });

  it("the dead-letter queue's messages go to onDeadLetter as exhausted, and are acknowledged", async () => {
    const letters: OctoDeadLetter[] = [];
    const consumer = octoQueueConsumer(() => ({
      deadLetterQueue: "octo-dlq",
      logger: {},
      onDeadLetter: (letter) => void letters.push(letter),
      onBookingUpdate: () => {
        throw new Error("must not run for a dead letter");
      },
    }));
    const dead = message(delivery("poison"));
    await consumer.queue({ queue: "octo-dlq", messages: [dead.m] }, {});
    expect(dead.done).toEqual(["ack"]);
    expect(letters).toEqual([
      {
        messageId: dead.m.id,
        reason: "exhausted",
        deliveryKey: delivery("poison").key,
        event: "booking_update",
        body: body("poison"),
        attempts: 1,
        enqueuedAt: new Date("2026-05-01T10:00:00Z"),
      },
    ]);
  });

  it("options that belong to the receiver are refused", async () => {
    const consumer = octoQueueConsumer(() => ({ auth: "none" }) as never);
    await expect(consumer.queue(batchOf(message(delivery("b-1")).m), {})).rejects.toThrow(
      /does not take `auth`: requests are authenticated by the receiver/,
    );
    const delay = octoQueueConsumer(() => ({ retryDelaySeconds: 50_000 }));
    await expect(delay.queue(batchOf(), {})).rejects.toThrow(
      /`retryDelaySeconds` must be a whole number of seconds from 0 to 43,200/,
    );
  });
});
