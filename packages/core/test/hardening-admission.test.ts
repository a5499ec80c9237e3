// Regressions of the outside audit (issue 24) in admission: the stale guard's trust in timestamps,
// the size of store keys, and the owner of a claim.
import { describe, expect, it } from "vitest";
import {
  createMemoryStore,
  createOctoWebhooks,
  type DeliveryStore,
  type OctoWebhooksOptions,
  parseInstant,
} from "../src/index.ts";
import { bookingBody, post } from "./helpers.ts";

const iso = (ms: number) => new Date(ms).toISOString();

/** A receiver with the stale guard on that lists the status of every update its handler got. */
function guarded(options: OctoWebhooksOptions = {}) {
  const applied: unknown[] = [];
  const webhooks = createOctoWebhooks({
    staleGuard: true,
    logger: {},
    onBookingUpdate: ({ booking }) => void applied.push(booking.status),
    ...options,
  });
  const send = (utcUpdatedAt: string, status: string, uuid = "b-1") =>
    webhooks.handle(post(bookingBody({ uuid, utcUpdatedAt, status })));
  return { webhooks, applied, send };
}

describe("core: one far-future timestamp blinds the stale guard", () => {
  it("a utcUpdatedAt of 9999-12-31 is dispatched but not used for ordering: later real updates still run", async () => {
    const { applied, send } = guarded();
    expect((await send("9999-12-31T23:59:59Z", "CONFIRMED")).body).toBe('{"ok":true}');
    expect((await send(iso(Date.now() - 60_000), "CONFIRMED")).body).toBe('{"ok":true}');
    expect((await send(iso(Date.now()), "CANCELLED")).body).toBe('{"ok":true}');
    expect(applied).toEqual(["CONFIRMED", "CONFIRMED", "CANCELLED"]);
  });

  it("the skew is configurable: staleGuard.maxFutureSkewMs", async () => {
    const aheadByAMinute = iso(Date.now() + 60_000);
    const tolerant = guarded();
    await tolerant.send(aheadByAMinute, "CONFIRMED");
    expect((await tolerant.send(iso(Date.now()), "CANCELLED")).body).toBe('{"ok":true,"stale":true}');
    const strict = guarded({ staleGuard: { maxFutureSkewMs: 0 } });
    await strict.send(aheadByAMinute, "CONFIRMED");
    expect((await strict.send(iso(Date.now()), "CANCELLED")).body).toBe('{"ok":true}');
    expect(() => createOctoWebhooks({ staleGuard: { maxFutureSkewMs: -1 } })).toThrow(/maxFutureSkewMs/);
  });

  it("a future instant already in a store (from an older version) is not trusted either", async () => {
    const store = createMemoryStore();
    await store.recordNewest("booking:b-1", Date.parse("9999-12-31T23:59:59Z"), 60_000);
    const { applied, send } = guarded({ store });
    await send(iso(Date.now()), "CANCELLED");
    expect(applied).toEqual(["CANCELLED"]);
  });

  it("a stale delivery does not renew the TTL of the stored instant", async () => {
    let clock = 1_000_000;
    const store = createMemoryStore({ now: () => clock });
    const { applied, send } = guarded({ store, staleGuard: { ttlMs: 1000 } });
    await send("2026-01-02T00:00:00Z", "CONFIRMED");
    clock += 600;
    expect((await send("2026-01-01T00:00:00Z", "ON_HOLD")).body).toBe('{"ok":true,"stale":true}');
    clock += 500; // 1 100 ms after the newest was stored, 500 after the stale delivery
    expect((await send("2026-01-01T00:00:00Z", "ON_HOLD")).body).toBe('{"ok":true}');
    expect(applied).toEqual(["CONFIRMED", "ON_HOLD"]);
  });

  it("parseInstant reads years 0000-0099 as themselves, not 1900-1999", () => {
    expect(new Date(parseInstant("0050-06-01T00:00:00Z") as number).getUTCFullYear()).toBe(50);
    expect(iso(parseInstant("0000-02-29T12:30:00+01:00") as number)).toBe("0000-02-29T11:30:00.000Z");
    expect(parseInstant("0099-12-31T23:59:59Z")).toBeLessThan(parseInstant("0100-01-01T00:00:00Z") as number);
  });
});

/** A memory store that lists every key it was given. */
function keyRecorder() {
  const inner = createMemoryStore();
  const keys: string[] = [];
  const seen = (key: string) => void keys.push(key);
  const store: DeliveryStore = {
    claim: (key, leaseMs, token) => {
      seen(key);
      return inner.claim(key, leaseMs, token);
    },
    complete: (key, ttlMs, token) => {
      seen(key);
      inner.complete(key, ttlMs, token);
    },
    release: (key, token) => {
      seen(key);
      inner.release(key, token);
    },
    recordNewest: (key, instant, ttlMs) => {
      seen(key);
      return inner.recordNewest(key, instant, ttlMs);
    },
  };
  return { store, keys };
}

describe("core: store keys of unbounded size", () => {
  it("a 1 MB booking.uuid is kept as a short key, and still orders its booking's updates", async () => {
    const { store, keys } = keyRecorder();
    const { applied, send } = guarded({ store, dedupe: true });
    const [long, other] = ["u".repeat(1024 * 1000), `${"u".repeat(1024 * 1000 - 1)}v`];
    await send("2026-01-02T00:00:00Z", "CONFIRMED", long);
    expect((await send("2026-01-01T00:00:00Z", "ON_HOLD", long)).body).toBe('{"ok":true,"stale":true}');
    expect((await send("2026-01-01T00:00:00Z", "ON_HOLD", other)).body).toBe('{"ok":true}');
    expect(applied).toEqual(["CONFIRMED", "ON_HOLD"]);
    expect(Math.max(...keys.map((key) => key.length))).toBeLessThanOrEqual(230);
    expect(keys.filter((key) => key.startsWith("booking-hash:"))).toHaveLength(3);
  });

  it("a long deliveryKey given to receive() is kept as a short key, and still recognised", async () => {
    const { store, keys } = keyRecorder();
    const webhooks = createOctoWebhooks({ dedupe: true, store, logger: {} });
    const deliveryKey = "k".repeat(100_000);
    const body = bookingBody();
    expect(await webhooks.receive(body, { deliveryKey })).toMatchObject({ handlers: 0 });
    expect(await webhooks.receive(body, { deliveryKey })).toMatchObject({ skipped: "duplicate" });
    expect(Math.max(...keys.map((key) => key.length))).toBeLessThanOrEqual(230);
  });

  it("identifiers of up to 200 characters stay as they are", async () => {
    const { store, keys } = keyRecorder();
    const { send } = guarded({ store });
    await send("2026-01-02T00:00:00Z", "CONFIRMED", "b".repeat(200));
    expect(keys).toEqual([`booking:${"b".repeat(200)}`]);
  });
});

/** A promise and what settles it. */
function deferred() {
  let resolve: () => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("core: claims without an owner", () => {
  it("a run that outlived its lease and then failed leaves the newer run's claim (no two concurrent runs)", async () => {
    let clock = 1_000_000;
    const runs = [deferred(), deferred()];
    let started = 0;
    const webhooks = createOctoWebhooks({
      dedupe: { leaseMs: 1000 },
      store: createMemoryStore({ now: () => clock }),
      logger: {},
      onBookingUpdate: () => runs[started++]?.promise,
    });
    const request = post(bookingBody());
    const first = webhooks.handle(request);
    await new Promise((resolve) => setImmediate(resolve));
    clock += 1500; // the first run outlived its lease: the retry claims the delivery
    const second = webhooks.handle(request);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(2);
    runs[0]?.reject(new Error("first run failed late"));
    expect((await first).status).toBe(500);
    // the first run's release must not free the second run's claim
    expect((await webhooks.handle(request)).status).toBe(409);
    expect(started).toBe(2);
    runs[1]?.resolve();
    expect((await second).status).toBe(200);
    expect((await webhooks.handle(request)).body).toBe('{"ok":true,"duplicate":true}');
  });

  it("createMemoryStore completes and releases a key only for the token that holds it", async () => {
    let clock = 0;
    const store = createMemoryStore({ now: () => clock });
    expect(store.claim("k", 10, "a")).toBe("claimed");
    clock += 20;
    expect(store.claim("k", 1000, "b")).toBe("claimed");
    store.release("k", "a");
    expect(store.claim("k", 1000, "c")).toBe("processing");
    store.complete("k", 1000, "a");
    expect(store.claim("k", 1000, "c")).toBe("processing");
    store.complete("k", 1000, "b");
    expect(store.claim("k", 1000, "c")).toBe("done");
    store.release("k", "b"); // a completion stays
    expect(store.claim("k", 1000, "c")).toBe("done");
  });

  it("a store written without tokens (two-argument methods) keeps working", async () => {
    const store = createMemoryStore();
    expect(store.claim("k", 1000)).toBe("claimed");
    store.release("k");
    expect(store.claim("k", 1000)).toBe("claimed");
    store.complete("k", 1000);
    expect(store.claim("k", 1000)).toBe("done");
  });
});
