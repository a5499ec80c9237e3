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
