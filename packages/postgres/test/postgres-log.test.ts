// createPostgresLog(): core's delivery log in PostgreSQL, shared by several instances: the attempt counted
// atomically per delivery key, newest first with filters in SQL (indexed for supplier, delivery key,
// resource and time range) and cursor paging, retention by age and count with bounded work per append,
// and nothing of a credential anywhere in the schema.
import { createOctoWebhooks, type DeliveryLogEntry, replayDeliveries } from "@octo-webhooks/core";
import { basic } from "@octo-webhooks/test-helpers";
import { bookingUpdate, sendWebhook, startReceiver } from "@octo-webhooks/testing";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { createPostgresLog, migrate, type PostgresLog, type PostgresLogOptions } from "../src/index.ts";
import { capturingLogger, describeWithPostgres, postgresUrl, sql, testSchema } from "./helpers.ts";

const schemas: Array<ReturnType<typeof testSchema>> = [];
const logs: PostgresLog[] = [];
/** A log in a schema of its own (its tables hold only what the test appends), closed after the file. */
const postgresLog = (options: Partial<PostgresLogOptions> = {}) => {
  const ns = testSchema();
  schemas.push(ns);
  const log = createPostgresLog({
    connection: postgresUrl,
    schema: ns.schema,
    logger: capturingLogger(),
    ...options,
  });
  logs.push(log);
  return Object.assign(log, { schema: options.schema ?? ns.schema });
};
afterAll(async () => {
  await Promise.all(logs.map((log) => log.close()));
  for (const ns of schemas) await ns.cleanup();
});

let ids = 0;
/** An entry as core writes one, `receivedAt` now unless given. */
const entry = (fields: Partial<DeliveryLogEntry> = {}): DeliveryLogEntry => ({
  id: `entry-${++ids}`,
  receivedAt: new Date().toISOString(),
  source: "webhook",
  headers: { "content-type": "application/json" },
  outcome: "handled",
  handlers: [],
  durationMs: 1,
  ...fields,
});

/** Every entry `filter` matches, newest first, through the cursor, `limit` at a time. */
async function everything(log: PostgresLog, filter?: Parameters<PostgresLog["list"]>[0], limit = 3) {
  const found: DeliveryLogEntry[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await log.list(filter, { cursor, limit });
    expect(page.entries.length).toBeLessThanOrEqual(limit);
    found.push(...page.entries);
    cursor = page.cursor;
    pages++;
  } while (cursor !== undefined && pages < 1000);
  return found;
}

const rowsOf = async (schema: string, table: string) =>
  Number((await sql<{ n: string }>(`select count(*) as n from "${schema}".${table}`))[0]?.n);

describeWithPostgres("createPostgresLog()", () => {
  it("keeps what it is given, counts each delivery key's attempts, and lists newest first", async () => {
    const log = postgresLog();
    const first = entry({
      deliveryKey: "k-1",
      supplier: "peek",
      event: "booking_update",
      resourceId: "b\u0000x", // PostgreSQL's text cannot hold NUL: the entry keeps it, the filter finds it
      body: '{"a":1,"nul":"\u0000"}',
      handlers: [{ event: "booking_update", index: 0, ok: false, durationMs: 3, error: "CRM down" }],
    });
    await log.append(first);
    await log.append(entry({ deliveryKey: "k-2" }));
    await log.append(entry({ deliveryKey: "k-1", outcome: "failed", status: 500 }));
    await log.append(entry({ attempt: 99 })); // no delivery key: attempt 1, whatever it said
    const { entries, cursor } = await log.list();
    expect(cursor).toBeUndefined();
    expect(entries.map((e) => [e.deliveryKey, e.attempt, e.outcome])).toEqual([
      [undefined, 1, "handled"],
      ["k-1", 2, "failed"],
      ["k-2", 1, "handled"],
      ["k-1", 1, "handled"],
    ]);
    expect(await log.get(first.id)).toEqual({ ...first, attempt: 1 });
    expect(await log.get("no-such-entry")).toBeUndefined();
    expect((await log.list({ resourceId: "b\u0000x" })).entries).toEqual([{ ...first, attempt: 1 }]);
  });

  it("counts attempts atomically across instances: 60 appends of one key at once are attempts 1 to 60", async () => {
    const a = postgresLog();
    const b = postgresLog({ schema: a.schema });
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? a : b).append(entry({ deliveryKey: "same" }))),
    );
    const attempts = (await everything(b, { deliveryKey: "same" }, 100)).map((e) => e.attempt);
    expect(attempts.sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it("pages with a cursor and filters by supplier, delivery key, resource, event, outcome, status and time range", async () => {
    const log = postgresLog();
    const start = Date.now() - 60 * 60_000;
    const at = (minute: number) => new Date(start + minute * 60_000).toISOString();
    for (let i = 0; i < 20; i++) {
      await log.append(
        entry({
          receivedAt: at(i),
          supplier: i % 2 === 0 ? "peek" : "ventrata",
          deliveryKey: `key-${i % 5}`,
          resourceId: `b-${i % 4}`,
          event: i % 3 === 0 ? "order_update" : "booking_update",
          outcome: i % 7 === 0 ? "failed" : "handled",
          status: i % 7 === 0 ? 500 : 200,
        }),
      );
    }
    // arrival order, not append order: an entry that arrived earlier is listed after
    await log.append(entry({ receivedAt: at(-1), supplier: "peek", deliveryKey: "late" }));
    // two entries of the same millisecond: both listed, once each, across a page boundary
    await log.append(entry({ receivedAt: at(30), supplier: "same-ms" }));
    await log.append(entry({ receivedAt: at(30), supplier: "same-ms" }));
    const all = await everything(log);
    expect(all).toHaveLength(23);
    expect(all.map((e) => e.receivedAt)).toEqual([...all.map((e) => e.receivedAt)].sort().reverse());
    expect(all.at(-1)?.deliveryKey).toBe("late");
    expect(new Set(all.map((e) => e.id)).size).toBe(23);
    expect((await everything(log, { supplier: "same-ms" }, 1)).map((e) => e.supplier)).toEqual([
      "same-ms",
      "same-ms",
    ]);

    const check = async (filter: Parameters<PostgresLog["list"]>[0], expected: number) => {
      const found = await everything(log, filter);
      expect(found.map((e) => e.id)).toEqual(
        all.filter((e) => Object.entries(filter ?? {}).every(([k, v]) => matches(e, k, v))).map((e) => e.id),
      );
      expect(found).toHaveLength(expected);
    };
    await check({ supplier: "peek" }, 11);
    await check({ deliveryKey: "key-3" }, 4);
    await check({ resourceId: "b-1" }, 5);
    await check({ supplier: "ventrata", resourceId: "b-1" }, 5);
    await check({ supplier: "peek", resourceId: "b-1" }, 0);
    await check({ event: "order_update" }, 7);
    await check({ outcome: "failed", supplier: "peek" }, 2);
    await check({ status: 500 }, 3);
    await check({ since: at(5), until: at(9) }, 5);
    await check({ since: at(5), until: at(9), supplier: "peek" }, 2);
    await check({ until: at(0) }, 2);
    expect(await log.list({ deliveryKey: "nothing" })).toEqual({ entries: [], cursor: undefined });
    expect(await log.list(undefined, { cursor: "not a cursor" })).toEqual({ entries: [], cursor: undefined });
  });

  it("reads an index for supplier, delivery key, resource and time range filters, and a bounded part of the log otherwise", async () => {
    // the statements the log sends, recorded by the client class its pool is given
    const statements: Array<[string, unknown[]]> = [];
    class RecordingClient extends pg.Client {
      override query(...args: unknown[]): never {
        if (typeof args[0] === "string" && args[0].includes("from ")) {
          statements.push([args[0], (args[1] as unknown[] | undefined) ?? []]);
        }
        return (super.query as (...a: unknown[]) => never)(...args);
      }
    }
    const log = postgresLog({ connection: { connectionString: postgresUrl, Client: RecordingClient } });
    await log.append(entry({ supplier: "s-0" })); // migrated: the tables exist
    const S = `"${log.schema}"`;
    // 30,000 entries of 300 suppliers, 3,000 resources and 10,000 delivery keys over the last 4 hours
    await sql(
      `insert into ${S}.log_entries (id, received_at, supplier, event, resource_id, delivery_key, outcome, status, attempt, entry)
       select 'bulk-' || i, now() - (i || ' seconds')::interval / 2, 's-' || (i % 300), 'booking_update',
         'b-' || (i % 3000), 'k-' || (i % 10000), 'handled', 200, 1,
         json_build_object('id', 'bulk-' || i, 'receivedAt', to_json(now() - (i || ' seconds')::interval / 2),
           'source', 'webhook', 'headers', '{}'::json, 'outcome', 'handled', 'handlers', '[]'::json, 'durationMs', 1)
       from generate_series(1, 30000) as i`,
    );
    await sql(`analyze ${S}.log_entries`);
    /** The indexes PostgreSQL's plan of the last list() statement reads. */
    const indexesRead = async () => {
      const [text, values] = statements.at(-1) as [string, unknown[]];
      const [row] = await sql<{ "QUERY PLAN": unknown }>(`explain (format json) ${text}`, values);
      return [...JSON.stringify(row?.["QUERY PLAN"]).matchAll(/"Index Name":"(\w+)"/g)].map((m) => m[1]);
    };
    const page = await log.list({ supplier: "s-7" }, { limit: 20 });
    expect(page.entries.every((e) => e.id.startsWith("bulk-"))).toBe(true);
    expect(page.entries).toHaveLength(20);
    expect(await indexesRead()).toEqual(["log_entries_supplier"]);
    expect((await log.list({ deliveryKey: "k-42" })).entries).toHaveLength(3);
    expect(await indexesRead()).toEqual(["log_entries_delivery_key"]);
    expect((await log.list({ resourceId: "b-42" }, { limit: 1000 })).entries).toHaveLength(10);
    expect(await indexesRead()).toEqual(["log_entries_resource_id"]);
    const since = new Date(Date.now() - 3 * 60 * 60_000 - 60_000).toISOString();
    const until = new Date(Date.now() - 3 * 60 * 60_000).toISOString();
    expect((await log.list({ since, until }, { limit: 1000 })).entries).toHaveLength(120);
    expect(await indexesRead()).toEqual(["log_entries_received_at"]);
    // the newest page of everything: the newest rows of the arrival index, not the whole table
    expect((await log.list(undefined, { limit: 10 })).entries).toHaveLength(10);
    expect(await indexesRead()).toEqual(["log_entries_received_at"]);
    // a filter no index serves: at most 5,000 entries read per call, the cursor going on from there
    const first = await log.list({ outcome: "failed" });
    expect(first.entries).toEqual([]);
    expect(first.cursor).toBeDefined();
    expect(await everything(log, { outcome: "failed" }, 10)).toEqual([]);
  });

  it("keeps at most maxEntries, the newest, each append dropping the oldest", async () => {
    const log = postgresLog({ maxEntries: 5 });
    for (let i = 0; i < 40; i++) await log.append(entry({ resourceId: `b-${i}`, deliveryKey: `k-${i}` }));
    const { entries } = await log.list(undefined, { limit: 100 });
    expect(entries.map((e) => e.resourceId)).toEqual(["b-39", "b-38", "b-37", "b-36", "b-35"]);
    expect(await rowsOf(log.schema, "log_entries")).toBe(5);
    expect((await log.list({ resourceId: "b-3" })).entries).toEqual([]);
  });

  it("drops entries older than maxAgeMs: not listed, and deleted at most 16 per append as appends go on", async () => {
    const log = postgresLog({ maxAgeMs: 60_000 });
    const old = new Date(Date.now() - 120_000).toISOString();
    for (let i = 0; i < 3; i++)
      await log.append(entry({ receivedAt: old, supplier: "peek", deliveryKey: "o" }));
    expect((await log.list()).entries).toEqual([]);
    expect((await log.list({ supplier: "peek" })).entries).toEqual([]);
    await log.append(entry({ supplier: "peek" }));
    expect((await log.list()).entries).toHaveLength(1);
    expect(await rowsOf(log.schema, "log_entries")).toBe(1);
    // the attempts of a key are counted as long as the log keeps entries
    const [counter] = await sql<{ attempts: number; ttl: number }>(
      `select attempts, extract(epoch from expires_at - now()) * 1000 as ttl from "${log.schema}".log_attempts where delivery_key = 'o'`,
    );
    expect(counter?.attempts).toBe(3);
    expect(Number(counter?.ttl)).toBeGreaterThan(0);
    expect(Number(counter?.ttl)).toBeLessThanOrEqual(60_000);

    // 40 entries that all grow old at once: each append deletes 16 of them, not all 40
    const short = postgresLog({ maxAgeMs: 1000 });
    await short.list(); // migrated before the clock starts
    for (let i = 0; i < 40; i++) await short.append(entry({ deliveryKey: `k-${i % 20}` }));
    expect(await rowsOf(short.schema, "log_entries")).toBe(40);
    expect(await rowsOf(short.schema, "log_attempts")).toBe(20);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await short.append(entry({ deliveryKey: "k-1" }));
    expect(await rowsOf(short.schema, "log_entries")).toBe(41 - 16);
    // k-1 counted afresh (attempt 1), 16 of the 19 other expired counters deleted
    expect(await rowsOf(short.schema, "log_attempts")).toBe(4);
    expect((await short.list()).entries.map((e) => e.attempt)).toEqual([1]);
    await short.append(entry());
    await short.append(entry());
    expect(await rowsOf(short.schema, "log_entries")).toBe(3);
    expect(await rowsOf(short.schema, "log_attempts")).toBe(1);
  });

  it("comes with migration 2: a schema at migration 1 (its claims kept) gets the log's tables on first use", async () => {
    const ns = testSchema();
    schemas.push(ns);
    await migrate({ connection: postgresUrl, schema: ns.schema });
    const S = `"${ns.schema}"`;
    // the schema as the first release left it, with a claim in it
    await sql(`drop function ${S}.log_append; drop table ${S}.log_entries, ${S}.log_attempts`);
    await sql(`delete from ${S}.migrations where version = 2`);
    await sql(
      `insert into ${S}.claims (namespace, key, done, expires_at) values ('n', 'k', true, now() + interval '1 hour')`,
    );
    const log = postgresLog({ schema: ns.schema });
    await log.append(entry({ deliveryKey: "after-upgrade" }));
    expect((await log.list()).entries.map((e) => e.deliveryKey)).toEqual(["after-upgrade"]);
    expect(await sql(`select version from ${S}.migrations order by version`)).toEqual([
      { version: 1 },
      { version: 2 },
    ]);
    expect(await sql(`select key from ${S}.claims`)).toEqual([{ key: "k" }]);
  });

  it("refuses bad options, and throws when PostgreSQL is unreachable (core logs it and answers as usual)", async () => {
    expect(() => createPostgresLog({ connection: postgresUrl, maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => createPostgresLog({ connection: postgresUrl, maxAgeMs: 1.5 })).toThrow(/maxAgeMs/);
    expect(() => createPostgresLog({ connection: postgresUrl, schema: "Bad-Name" })).toThrow(/`schema`/);
    expect(() => createPostgresLog(undefined as never)).toThrow(/options object/);
    const unreachable = createPostgresLog({
      connection: "postgres://nobody@127.0.0.1:1/none",
      timeoutMs: 500,
      migrate: false,
      logger: {},
    });
    logs.push(unreachable);
    await expect(unreachable.append(entry())).rejects.toThrow();
    await expect(unreachable.list()).rejects.toThrow();
  });

  it("a receiver's log holds no credential anywhere in the schema (Basic auth, a header credential, the body)", async () => {
    const password = "postgres-log-pass-9f27";
    const token = "postgres-log-token-4c11";
    const log = postgresLog();
    const webhooks = createOctoWebhooks({
      logger: {},
      auth: { basic: { username: "octo", password }, header: { name: "x-supplier-proof", value: token } },
      log,
      onBookingUpdate: () => {
        throw new Error(`CRM refused (token ${token})`);
      },
    });
    const receiver = await startReceiver(webhooks);
    try {
      const body = bookingUpdate({ seed: "secrets", booking: { notes: `call back, password ${password}` } });
      const headers = { "x-supplier-proof": token, "x-request-id": "r-77" };
      const good = await sendWebhook(receiver.url, body, { username: "octo", password, headers });
      expect(good.status).toBe(500);
      const wrong = await sendWebhook(receiver.url, body, {
        username: "octo",
        password: `${password}x`,
        headers,
      });
      expect(wrong.status).toBe(401);
      await waitForEntries(log, 2);
    } finally {
      await receiver.close();
    }
    const tables = await sql<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = $1 order by 1",
      [log.schema],
    );
    expect(tables.map((t) => t.table_name)).toContain("log_entries");
    let everythingStored = "";
    for (const { table_name } of tables) {
      const rows = await sql<{ row: string }>(`select t::text as row from "${log.schema}"."${table_name}" t`);
      everythingStored += `${table_name}\n${rows.map((r) => r.row).join("\n")}\n`;
    }
    expect(everythingStored).toContain("r-77"); // what is not a credential is kept
    expect(everythingStored).toContain("call back");
    expect(everythingStored).toContain("CRM refused");
    for (const secret of [password, token, basic("octo", password).slice(6), `${password}x`]) {
      expect(everythingStored).not.toContain(secret);
    }
  });

  it("replays through a receiver by time range, dedupe honoured, force applying again", async () => {
    const log = postgresLog();
    const calls: string[] = [];
    const webhooks = createOctoWebhooks({
      logger: {},
      auth: "none",
      dedupe: true,
      log,
      onBookingUpdate: ({ booking }, { source }) => void calls.push(`${booking.uuid} ${source}`),
    });
    const since = new Date().toISOString();
    for (let i = 0; i < 10; i++) await webhooks.receive(bookingUpdate({ seed: `replay-${i}` }));
    await waitForEntries(log, 10);
    const filter = { since, until: new Date(Date.now() + 1000).toISOString() };
    expect(await replayDeliveries({ log, receiver: webhooks, filter })).toMatchObject({
      found: 10,
      applied: 0,
      skipped: 10,
    });
    expect(await replayDeliveries({ log, receiver: webhooks, filter, force: true })).toMatchObject({
      found: 10,
      applied: 10,
    });
    expect(calls.filter((call) => call.endsWith(" replay"))).toHaveLength(10);
  });
});

function matches(entry: DeliveryLogEntry, key: string, value: unknown): boolean {
  if (key === "since") return entry.receivedAt >= (value as string);
  if (key === "until") return entry.receivedAt <= (value as string);
  return (entry as unknown as Record<string, unknown>)[key] === value;
}

/** Core appends without waiting: until the log holds `count` entries. */
async function waitForEntries(log: PostgresLog, count: number) {
  const deadline = Date.now() + 5000;
  while ((await log.list(undefined, { limit: count + 1 })).entries.length < count) {
    if (Date.now() > deadline) throw new Error(`the log never held ${count} entries`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
