import { randomBytes } from "node:crypto";
import { type BookingUpdateEvent, createMemoryStore, createOctoWebhooks } from "@octo-webhooks/core";
import { tcpProxy } from "@octo-webhooks/test-helpers/tcp-proxy";
import { bookingUpdate } from "@octo-webhooks/testing";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
// the contract every DeliveryStore keeps, shared with the Redis store's tests
import { deliveryStoreContract } from "../../bullmq/test/store-contract.ts";
import { createPostgresStore, migrate, type PostgresStore } from "../src/index.ts";
import { capturingLogger, describeWithPostgres, postgresUrl, sql, testSchema } from "./helpers.ts";

const ns = testSchema();
const stores: PostgresStore[] = [];
const postgresStore = (options: Partial<Parameters<typeof createPostgresStore>[0]> = {}) => {
  const store = createPostgresStore({
    connection: postgresUrl,
    schema: ns.schema,
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
deliveryStoreContract("createPostgresStore()", () => postgresStore(), describeWithPostgres);

describeWithPostgres("createPostgresStore()", () => {
  it("is shared: two instances (two pools) see one state, and only one claims", async () => {
    const [a, b] = [postgresStore(), postgresStore()];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).claim("shared-key", 10_000)),
    );
    expect(results.filter((r) => r === "claimed")).toHaveLength(1);
    await a.complete("shared-key", 10_000);
    expect(await b.claim("shared-key", 10_000)).toBe("done");
  });

  it("keeps namespaces apart", async () => {
    const [a, b] = [postgresStore({ namespace: "one" }), postgresStore({ namespace: "two" })];
    expect(await a.claim("same-key", 10_000)).toBe("claimed");
    expect(await b.claim("same-key", 10_000)).toBe("claimed");
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
    const first = createOctoWebhooks({ ...options, store: postgresStore() });
    const second = createOctoWebhooks({ ...options, store: postgresStore() });
    const newer = bookingUpdate({ seed: "lb", status: "CANCELLED" });
    const older = bookingUpdate({ seed: "lb", status: "CONFIRMED" });
    expect(await first.receive(newer)).toMatchObject({ handlers: 1 });
    expect(await second.receive(newer)).toMatchObject({ skipped: "duplicate" });
    expect(await second.receive(older)).toMatchObject({ skipped: "stale" });
    expect(seen).toEqual([`${newer.booking.uuid}:CANCELLED`]);
  });

  it("throws when PostgreSQL is unreachable, after timeoutMs at most, so that core answers 503", async () => {
    const target = new URL(postgresUrl);
    const proxy = await tcpProxy(Number(target.port), target.hostname);
    try {
      target.port = String(proxy.port);
      const logger = capturingLogger();
      const store = postgresStore({ connection: target.href, timeoutMs: 500, logger });
      expect(await store.claim("before-outage", 10_000)).toBe("claimed");
      const receiver = createOctoWebhooks({ dedupe: true, store, logger });
      const send = () =>
        receiver.handle({
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(bookingUpdate({ seed: `outage-${randomBytes(4).toString("hex")}` })),
        });
      for (const outage of [() => proxy.cut(), () => proxy.stall()]) {
        await outage();
        const started = Date.now();
        const answer = await send();
        expect(answer.status).toBe(503);
        expect(answer.headers["retry-after"]).toBeDefined();
        expect(Date.now() - started).toBeLessThan(3000);
        proxy.resume();
        await proxy.restore().catch(() => undefined);
      }
    } finally {
      await proxy.close();
    }
  });

  it("migrates once, whoever asks, and refuses what it cannot use", async () => {
    const { schema, cleanup } = testSchema();
    const pool = new pg.Pool({ connectionString: postgresUrl });
    try {
      await Promise.all([
        migrate({ connection: postgresUrl, schema }),
        migrate({ connection: { connectionString: postgresUrl }, schema }),
        migrate({ connection: pool, schema }),
      ]);
      const tables = await sql<{ table_schema: string; table_name: string }>(
        `select table_schema, table_name from information_schema.tables where table_schema like $1 order by 1, 2`,
        [`${schema}%`],
      );
      expect(tables.filter((t) => t.table_schema === schema).map((t) => t.table_name)).toEqual([
        "claims",
        "dead_letters",
        "log_attempts",
        "log_entries",
        "migrations",
        "states",
        "workers",
      ]);
      expect(
        tables.some((t) => t.table_schema === `${schema}_jobs` && t.table_name === "_private_jobs"),
      ).toBe(true);
      expect(await sql(`select version from "${schema}".migrations order by version`)).toEqual([
        { version: 1 },
        { version: 2 },
      ]);
    } finally {
      await pool.end();
      await cleanup();
    }
    expect(() => createPostgresStore({ connection: "redis://127.0.0.1:6379" })).toThrow(
      /^\[@octo-webhooks\/postgres\] `connection` must be a postgres:\/\//,
    );
    expect(() => createPostgresStore({ connection: 42 as never })).toThrow(/`connection` must be/);
    expect(() => createPostgresStore({ connection: postgresUrl, schema: "Bad-Name" })).toThrow(
      /`schema` must be/,
    );
  });
});
