import { type BookingUpdateEvent, createMemoryStore, createOctoWebhooks } from "@octo-webhooks/core";
import { bookingUpdate } from "@octo-webhooks/testing";
import { Redis } from "ioredis";
import { afterAll, expect, it } from "vitest";
import { createRedisStore, type RedisStore } from "../src/index.ts";
import { capturingLogger, describeWithRedis, namespace, redisProxy, redisUrl } from "./helpers.ts";
import { deliveryStoreContract } from "./store-contract.ts";

const ns = namespace();
const stores: RedisStore[] = [];
const redisStore = (options: Partial<Parameters<typeof createRedisStore>[0]> = {}) => {
  const store = createRedisStore({
    connection: redisUrl,
    prefix: ns.prefix,
    logger: capturingLogger(),
    ...options,
  });
  stores.push(store);
  return store;
};
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await ns.cleanup();
});

deliveryStoreContract("createMemoryStore()", () => createMemoryStore());
deliveryStoreContract("createRedisStore()", () => redisStore(), describeWithRedis);

describeWithRedis("createRedisStore()", () => {
  it("is shared: two instances (two connections) see one state, and only one claims", async () => {
    const [a, b] = [redisStore(), redisStore()];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).claim("shared-key", 10_000)),
    );
    expect(results.filter((r) => r === "claimed")).toHaveLength(1);
    await a.complete("shared-key", 10_000);
    expect(await b.claim("shared-key", 10_000)).toBe("done");
  });

  it("release never undoes a completion", async () => {
    const store = redisStore();
    await store.claim("released-late", 10_000);
    await store.complete("released-late", 10_000);
    await store.release("released-late");
    expect(await store.claim("released-late", 10_000)).toBe("done");
  });

  it("gives two core receivers behind a load balancer one dedupe and stale state", async () => {
    const seen: string[] = [];
    const options = {
      dedupe: true,
      staleGuard: true,
      logger: capturingLogger(),
      onBookingUpdate: ({ booking }: BookingUpdateEvent) =>
        void seen.push(`${booking.uuid}:${booking.status}`),
    };
    const first = createOctoWebhooks({ ...options, store: redisStore() });
    const second = createOctoWebhooks({ ...options, store: redisStore() });
    const newer = bookingUpdate({ seed: "lb", status: "CANCELLED" });
    const older = bookingUpdate({ seed: "lb", status: "CONFIRMED" });
    expect(await first.receive(newer)).toMatchObject({ handlers: 1 });
    expect(await second.receive(newer)).toMatchObject({ skipped: "duplicate" });
    expect(await second.receive(older)).toMatchObject({ skipped: "stale" });
    expect(seen).toEqual([`${newer.booking.uuid}:CANCELLED`]);
  });

  it("keeps a state as compact JSON where recordNewest keeps its instant, and reads what earlier versions wrote", async () => {
    const store = redisStore();
    const raw = new Redis(redisUrl);
    try {
      const t = Date.UTC(2026, 2, 1, 10);
      const state = { instant: t, hash: "9f2c", status: "CONFIRMED", id: "b-1" };
      expect(await store.recordState("booking:b-1", state, 10_000)).toBeUndefined();
      expect(await raw.get(`${ns.prefix}:newest:booking:b-1`)).toBe(
        `{"instant":${t},"hash":"9f2c","status":"CONFIRMED","id":"b-1"}`,
      );
      // a state with only an instant is one as recordNewest writes it, so that an earlier version reads it
      await store.recordState("booking:bare", { instant: t }, 10_000);
      expect(await raw.get(`${ns.prefix}:newest:booking:bare`)).toBe(String(t));
      // an instant an earlier version stored, and a value that is neither form (replaced)
      await raw.set(`${ns.prefix}:newest:booking:earlier`, String(t), "PX", 10_000);
      expect(await store.recordState("booking:earlier", state, 10_000)).toEqual({ instant: t });
      await raw.set(`${ns.prefix}:newest:booking:garbled`, '{"instant":', "PX", 10_000);
      expect(await store.recordState("booking:garbled", state, 10_000)).toBeUndefined();
      expect(await store.recordNewest("booking:garbled", t - 1, 10_000)).toBe(t);
    } finally {
      await raw.quit();
    }
  });

  it("compares a lone surrogate (which Redis's Lua JSON refuses) as U+FFFD, as Redis keeps it in a key", async () => {
    const store = redisStore();
    const t = Date.UTC(2026, 2, 1, 10);
    const first = { instant: t, hash: "h\ud800", status: "CONFIRMED", id: "b\udc00" };
    expect(await store.recordState("booking:surrogate", first, 10_000)).toBeUndefined();
    const kept = { instant: t, hash: "h\ufffd", status: "CONFIRMED", id: "b\ufffd" };
    expect(await store.recordState("booking:surrogate", { ...first, status: "ON_HOLD" }, 10_000)).toEqual(
      kept,
    );
    expect(await store.recordState("booking:surrogate", { instant: 1 }, 10_000)).toEqual(kept);
    await store.restoreState("booking:surrogate", first, undefined, 10_000);
    expect(await store.recordState("booking:surrogate", { instant: 1 }, 10_000)).toBeUndefined();
  });

  it("never lists a claim, even one of a store whose prefix makes its keys match", async () => {
    const store = redisStore({ prefix: `${ns.prefix}:overlap` });
    // its claims are `<prefix>:overlap:newest:booking:claim:<key>`, under the pattern the first store scans
    const overlapping = redisStore({ prefix: `${ns.prefix}:overlap:newest:booking` });
    await overlapping.claim("in-progress", 10_000, "token");
    await overlapping.claim("done", 10_000);
    await overlapping.complete("done", 10_000);
    await store.recordState("booking:b-1", { instant: 5, hash: "h" }, 10_000);
    const listed = [];
    let cursor: string | undefined;
    do {
      const page = await store.listStates("booking:", cursor, 1);
      listed.push(...page.states);
      cursor = page.cursor;
    } while (cursor !== undefined);
    expect(listed).toEqual([["booking:b-1", { instant: 5, hash: "h" }]]);
  });

  it("lists for core's remembered() what two receivers behind a load balancer applied", async () => {
    const options = { staleGuard: true, logger: capturingLogger() };
    const first = createOctoWebhooks({ ...options, store: redisStore({ prefix: `${ns.prefix}:lb2` }) });
    const second = createOctoWebhooks({ ...options, store: redisStore({ prefix: `${ns.prefix}:lb2` }) });
    const confirmed = bookingUpdate({ seed: "remembered-1", status: "CONFIRMED" });
    const cancelled = bookingUpdate({ seed: "remembered-2", status: "CANCELLED" });
    const long = { ...confirmed.booking, uuid: "x".repeat(300) };
    await first.receive(confirmed);
    await second.receive(cancelled);
    await second.receive({ booking: long });
    await first.receive(confirmed, { supplier: "peek" });
    const own = [];
    for await (const resource of second.remembered("booking")) own.push(resource);
    const at = (body: BookingUpdateEvent) => new Date(body.booking.utcUpdatedAt ?? "").toISOString();
    expect(own.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [
        { id: confirmed.booking.uuid, updatedAt: at(confirmed), status: "CONFIRMED" },
        { id: cancelled.booking.uuid, updatedAt: at(cancelled), status: "CANCELLED" },
        { id: long.uuid, updatedAt: at(confirmed), status: "CONFIRMED" },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    const peek = [];
    for await (const resource of first.remembered("booking", { supplier: "peek" })) peek.push(resource.id);
    expect(peek).toEqual([confirmed.booking.uuid]);
  });

  it("throws when Redis is unreachable, after timeoutMs at most, so that core answers 503", async () => {
    const proxy = await redisProxy();
    const logger = capturingLogger();
    const store = redisStore({ connection: proxy.url, timeoutMs: 300, logger });
    try {
      expect(await store.claim("before-outage", 10_000)).toBe("claimed");
      await proxy.cut();
      const receiver = createOctoWebhooks({ dedupe: true, store, logger });
      const started = Date.now();
      const answer = await receiver.handle({
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(bookingUpdate({ seed: "outage" })),
      });
      expect(answer.status).toBe(503);
      expect(answer.headers["retry-after"]).toBeDefined();
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await proxy.close();
    }
  });

  it("takes ioredis options or an ioredis client, which it duplicates and never closes", async () => {
    const url = new URL(redisUrl);
    const fromOptions = redisStore({ connection: { host: url.hostname, port: Number(url.port) } });
    expect(await fromOptions.claim("from-options", 10_000)).toBe("claimed");
    const mine = new Redis(redisUrl);
    try {
      const fromClient = createRedisStore({ connection: mine, prefix: ns.prefix });
      expect(await fromClient.claim("from-options", 10_000)).toBe("processing");
      await fromClient.close();
      expect(await mine.ping()).toBe("PONG");
    } finally {
      await mine.quit();
    }
  });

  it("refuses a connection that is not a Redis URL, options or client", () => {
    expect(() => createRedisStore({ connection: "http://127.0.0.1:6379" })).toThrow(
      /^\[@octo-webhooks\/bullmq\] `connection` must be a redis:\/\//,
    );
    expect(() => createRedisStore({ connection: 42 as never })).toThrow(/`connection` must be/);
    expect(() => createRedisStore({ connection: { keyPrefix: "x:" } })).toThrow(/use the `prefix` option/);
  });
});
