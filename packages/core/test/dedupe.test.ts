import { describe, expect, it } from "vitest";
import {
  type ClaimResult,
  createMemoryStore,
  createOctoWebhooks,
  type DeliveryStore,
  deliveryKey,
  NonRetryableError,
  OctoRequestError,
} from "../src/index.ts";
import { bookingBody, capturingLogger, post } from "./helpers.ts";

const errorCode = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

/** A promise and the function that resolves it. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** A store whose every answer is a promise, as a Redis store's would be. */
function asyncStore(inner: DeliveryStore = createMemoryStore()): DeliveryStore & { calls: string[] } {
  const calls: string[] = [];
  const later = <T>(name: string, f: () => T) =>
    new Promise<T>((resolve) =>
      setTimeout(() => {
        calls.push(name);
        resolve(f());
      }, 1),
    );
  return {
    calls,
    claim: (key, leaseMs) => later("claim", () => inner.claim(key, leaseMs) as ClaimResult),
    complete: (key, ttlMs) => later("complete", () => void inner.complete(key, ttlMs)),
    release: (key) => later("release", () => void inner.release(key)),
    recordNewest: (key, instant, ttlMs) =>
      later("recordNewest", () => inner.recordNewest(key, instant, ttlMs) as number | undefined),
  };
}

describe("dedupe", () => {
  it("is off by default: the same body twice runs the handlers twice", async () => {
    let calls = 0;
    const webhooks = createOctoWebhooks({ onBookingUpdate: () => void calls++ });
    await webhooks.handle(post(bookingBody()));
    await webhooks.handle(post(bookingBody()));
    expect(calls).toBe(2);
  });

  it("answers a duplicate 200 without dispatch, even re-serialised, and onDuplicate sees it", async () => {
    const calls: string[] = [];
    const duplicates: unknown[] = [];
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({
      dedupe: true,
      logger,
      onBookingUpdate: (_p, c) => void calls.push(c.deliveryKey),
      onDuplicate: (payload, context) =>
        void duplicates.push([
          (payload as { booking: { uuid: string } }).booking.uuid,
          context.state,
          context.deliveryKey,
        ]),
    });
    const body = bookingBody({ utcUpdatedAt: "2026-11-20T09:16:30Z" });
    const first = await webhooks.handle(post(body));
    const again = await webhooks.handle(
      post(JSON.stringify({ booking: body.booking, webhook: body.webhook }, null, 2)),
    );
    expect(first).toMatchObject({ status: 200, body: '{"ok":true}' });
    expect(again).toMatchObject({ status: 200, body: '{"ok":true,"duplicate":true}' });
    const key = deliveryKey(body);
    expect(calls).toEqual([key]);
    expect(duplicates).toEqual([["b-1", "done", key]]);
    expect(logger.lines.some((l) => l.startsWith("info") && l.includes("duplicate booking_update"))).toBe(
      true,
    );
  });

  it("a different body is not a duplicate", async () => {
    let calls = 0;
    const webhooks = createOctoWebhooks({ dedupe: true, onBookingUpdate: () => void calls++ });
    await webhooks.handle(post(bookingBody({ status: "CONFIRMED" })));
    await webhooks.handle(post(bookingBody({ status: "CANCELLED" })));
    expect(calls).toBe(2);
  });

  it("a duplicate that arrives while the original still runs gets 409 + Retry-After, and runs nothing", async () => {
    const release = gate();
    let calls = 0;
    const states: string[] = [];
    const webhooks = createOctoWebhooks({
      dedupe: true,
      logger: {},
      onBookingUpdate: async () => {
        calls++;
        await release.promise;
      },
      onDuplicate: (_p, c) => void states.push(c.state),
    });
    const original = webhooks.handle(post(bookingBody()));
    await new Promise((r) => setTimeout(r, 5));
    const duplicate = await webhooks.handle(post(bookingBody()));
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers["retry-after"]).toBe("5");
    expect(errorCode(duplicate.body)).toBe("DELIVERY_IN_PROGRESS");
    release.open();
    expect((await original).status).toBe(200);
    // the sender's later retry: the original is done now
    expect((await webhooks.handle(post(bookingBody()))).body).toBe('{"ok":true,"duplicate":true}');
    expect(calls).toBe(1);
    expect(states).toEqual(["processing", "done"]);
  });

  it("a failed handler releases its claim, so the sender's retry runs the handlers again", async () => {
    let attempts = 0;
    const webhooks = createOctoWebhooks({
      dedupe: true,
      logger: {},
      onBookingUpdate: () => {
        attempts++;
        if (attempts === 1) throw new Error("database down");
      },
    });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(500);
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(200);
    expect((await webhooks.handle(post(bookingBody()))).body).toBe('{"ok":true,"duplicate":true}');
    expect(attempts).toBe(2);
  });

  it("a NonRetryableError is final: its 4xx, and a retry is a duplicate", async () => {
    let attempts = 0;
    const webhooks = createOctoWebhooks({
      dedupe: true,
      logger: {},
      onBookingUpdate: () => {
        attempts++;
        throw new NonRetryableError("unknown product", { status: 422 });
      },
    });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(422);
    expect((await webhooks.handle(post(bookingBody()))).body).toBe('{"ok":true,"duplicate":true}');
    expect(attempts).toBe(1);
  });

  it("remembers a delivery for ttlMs, then lets it through again", async () => {
    let now = 0;
    let calls = 0;
    const webhooks = createOctoWebhooks({
      dedupe: { ttlMs: 1000 },
      store: createMemoryStore({ now: () => now }),
      onBookingUpdate: () => void calls++,
    });
    await webhooks.handle(post(bookingBody()));
    now += 999;
    await webhooks.handle(post(bookingBody()));
    now += 1;
    await webhooks.handle(post(bookingBody()));
    expect(calls).toBe(2);
  });

  it("works over an asynchronous store (the shape of a Redis one)", async () => {
    const store = asyncStore();
    let calls = 0;
    const webhooks = createOctoWebhooks({ dedupe: true, store, onBookingUpdate: () => void calls++ });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(200);
    expect((await webhooks.handle(post(bookingBody()))).body).toBe('{"ok":true,"duplicate":true}');
    expect(calls).toBe(1);
    expect(store.calls).toEqual(["claim", "complete", "claim"]);
  });

  it("answers 503 + Retry-After when the store fails, and runs nothing (the sender retries)", async () => {
    let calls = 0;
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({
      dedupe: true,
      logger,
      store: {
        claim: async () => {
          throw new Error("ECONNREFUSED 127.0.0.1:6379");
        },
        complete: () => {},
        release: () => {},
        recordNewest: () => undefined,
      },
      onBookingUpdate: () => void calls++,
    });
    const response = await webhooks.handle(post(bookingBody()));
    expect(response.status).toBe(503);
    expect(response.headers["retry-after"]).toBe("5");
    expect(errorCode(response.body)).toBe("STORE_UNAVAILABLE");
    expect(response.body).not.toContain("ECONNREFUSED");
    expect(calls).toBe(0);
    expect(logger.lines.some((l) => l.includes("the delivery store failed (claim)"))).toBe(true);
  });

  it("a store that fails to complete is logged; the answer stays 200", async () => {
    const logger = capturingLogger();
    const memory = createMemoryStore();
    const webhooks = createOctoWebhooks({
      dedupe: true,
      logger,
      store: {
        ...memory,
        claim: (k, l) => memory.claim(k, l),
        complete: () => Promise.reject(new Error("timeout")),
      },
      onBookingUpdate: () => {},
    });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(200);
    expect(logger.lines.some((l) => l.includes("failed to complete a claim"))).toBe(true);
  });

  it("receive() suppresses duplicates too, and says so", async () => {
    let calls = 0;
    const webhooks = createOctoWebhooks({ dedupe: true, onBookingUpdate: () => void calls++ });
    expect(await webhooks.receive(bookingBody())).toEqual({ event: "booking_update", handlers: 1 });
    expect(await webhooks.receive(bookingBody())).toEqual({
      event: "booking_update",
      handlers: 0,
      skipped: "duplicate",
    });
    expect(calls).toBe(1);
  });

  it("receive() throws DELIVERY_IN_PROGRESS for a duplicate of a running delivery", async () => {
    const release = gate();
    const webhooks = createOctoWebhooks({
      dedupe: true,
      logger: {},
      onBookingUpdate: () => release.promise,
    });
    const first = webhooks.receive(bookingBody());
    await new Promise((r) => setTimeout(r, 1));
    const second = webhooks.receive(bookingBody());
    await expect(second).rejects.toBeInstanceOf(OctoRequestError);
    await expect(second).rejects.toMatchObject({ code: "DELIVERY_IN_PROGRESS" });
    release.open();
    await first;
  });

  it("an onDuplicate hook that throws changes nothing", async () => {
    const webhooks = createOctoWebhooks({
      dedupe: true,
      logger: {},
      onDuplicate: () => {
        throw new Error("metrics down");
      },
    });
    await webhooks.handle(post(bookingBody()));
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(200);
  });

  it("warns at construction about a store that nothing uses", () => {
    const logger = capturingLogger();
    createOctoWebhooks({ logger, store: createMemoryStore() });
    expect(logger.lines).toEqual([
      expect.stringMatching(/^warn .*`store` is unused: turn on `dedupe` or `staleGuard`/),
    ]);
  });

  it.each([
    [{ dedupe: "yes" }, /dedupe/],
    [{ dedupe: { ttlMs: 0 } }, /dedupe.ttlMs/],
    [{ dedupe: { leaseMs: -1 } }, /dedupe.leaseMs/],
    [{ staleGuard: { ttlMs: Number.NaN } }, /staleGuard.ttlMs/],
    [{ dedupe: true, store: { claim: () => "claimed" } }, /store.*complete, release, recordNewest/],
  ])("refuses bad options at construction: %o", (options, message) => {
    expect(() => createOctoWebhooks(options as never)).toThrow(message);
  });
});
