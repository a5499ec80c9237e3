// createRedisLog(): core's delivery log in Redis, shared by several instances: the attempt counted
// atomically per delivery key, newest first with indexed filters and cursor paging, retention by age
// and count on each append, and nothing of a credential anywhere in Redis.
import { createOctoWebhooks, type DeliveryLogEntry, replayDeliveries } from "@octo-webhooks/core";
import { basic } from "@octo-webhooks/test-helpers";
import { bookingUpdate, sendWebhook, startReceiver } from "@octo-webhooks/testing";
import { Redis } from "ioredis";
import { afterAll, expect, it } from "vitest";
import { createRedisLog, type RedisLog, type RedisLogOptions } from "../src/index.ts";
import { capturingLogger, describeWithRedis, namespace, redisUrl } from "./helpers.ts";

const ns = namespace();
const logs: RedisLog[] = [];
let made = 0;
/** A log under a prefix of its own (`<ns>:log<n>`), closed after the file. */
const redisLog = (options: Partial<RedisLogOptions> = {}) => {
  const log = createRedisLog({
    connection: redisUrl,
    prefix: `${ns.prefix}:log${++made}`,
    logger: capturingLogger(),
    ...options,
  });
  logs.push(log);
  return log;
};
afterAll(async () => {
  await Promise.all(logs.map((log) => log.close()));
  await ns.cleanup();
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
async function everything(log: RedisLog, filter?: Parameters<RedisLog["list"]>[0], limit = 3) {
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

describeWithRedis("createRedisLog()", () => {
  it("keeps what it is given, counts each delivery key's attempts, and lists newest first", async () => {
    const log = redisLog();
    const first = entry({ deliveryKey: "k-1", supplier: "peek", event: "booking_update", body: '{"a":1}' });
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
  });

  it("counts attempts atomically across instances: 60 appends of one key at once are attempts 1 to 60", async () => {
    const a = redisLog();
    const b = createRedisLog({ connection: redisUrl, prefix: `${ns.prefix}:log${made}` });
    logs.push(b);
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? a : b).append(entry({ deliveryKey: "same" }))),
    );
    const attempts = (await everything(a, { deliveryKey: "same" }, 100)).map((e) => e.attempt);
    expect(attempts.sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it("pages with a cursor and filters by supplier, delivery key, resource, event, outcome, status and time range", async () => {
    const log = redisLog();
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
    const all = await everything(log);
    expect(all).toHaveLength(21);
    expect(all.map((e) => e.receivedAt)).toEqual([...all.map((e) => e.receivedAt)].sort().reverse());
    expect(all.at(-1)?.deliveryKey).toBe("late");
    expect(new Set(all.map((e) => e.id)).size).toBe(21);

    const check = async (filter: Parameters<RedisLog["list"]>[0], expected: number) => {
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

  it("keeps at most maxEntries, the newest, each append dropping the oldest", async () => {
    const log = redisLog({ maxEntries: 5 });
    for (let i = 0; i < 40; i++) await log.append(entry({ resourceId: `b-${i}`, deliveryKey: `k-${i}` }));
    const { entries } = await log.list(undefined, { limit: 100 });
    expect(entries.map((e) => e.resourceId)).toEqual(["b-39", "b-38", "b-37", "b-36", "b-35"]);
    // the dropped entries leave nothing behind: their hash, nor their place in an index
    const redis = new Redis(redisUrl);
    try {
      const keys = await keysUnder(redis, `${ns.prefix}:log${made}:`);
      expect(keys.filter((key) => key.includes(":entry:"))).toHaveLength(5);
      expect((await log.list({ resourceId: "b-3" })).entries).toEqual([]);
      expect(await redis.exists(`${ns.prefix}:log${made}:resource:b-3`)).toBe(0);
    } finally {
      await redis.quit();
    }
  });

  it("drops entries older than maxAgeMs: not listed, and gone from Redis once appends go on", async () => {
    const log = redisLog({ maxAgeMs: 60_000 });
    const old = new Date(Date.now() - 120_000).toISOString();
    for (let i = 0; i < 3; i++)
      await log.append(entry({ receivedAt: old, supplier: "peek", deliveryKey: "o" }));
    expect((await log.list()).entries).toEqual([]);
    expect((await log.list({ supplier: "peek" })).entries).toEqual([]);
    await log.append(entry({ supplier: "peek" }));
    expect((await log.list()).entries).toHaveLength(1);
    const redis = new Redis(redisUrl);
    try {
      const prefix = `${ns.prefix}:log${made}`;
      expect(await redis.zcard(`${prefix}:entries`)).toBe(1);
      expect(await redis.zcard(`${prefix}:supplier:peek`)).toBe(1);
      // each key lives as long as the log keeps entries
      const ttl = await redis.pttl(`${prefix}:attempts:o`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      await redis.quit();
    }
  });

  it("refuses bad options", () => {
    expect(() => createRedisLog({ connection: redisUrl, maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => createRedisLog({ connection: redisUrl, prefix: "" })).toThrow(/prefix/);
    expect(() => createRedisLog(undefined as never)).toThrow(/options object/);
  });

  it("a receiver's log holds no credential anywhere in Redis (Basic auth, a header credential, the body)", async () => {
    const password = "redis-log-pass-9f27";
    const token = "redis-log-token-4c11";
    const prefix = `${ns.prefix}:secrets`;
    const log = createRedisLog({ connection: redisUrl, prefix });
    logs.push(log);
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
    const redis = new Redis(redisUrl);
    try {
      const keys = await keysUnder(redis, `${prefix}:`);
      expect(keys.length).toBeGreaterThan(3);
      let everythingStored = "";
      for (const key of keys) everythingStored += `${key}\n${await storedText(redis, key)}\n`;
      expect(everythingStored).toContain("r-77"); // what is not a credential is kept
      expect(everythingStored).toContain("call back");
      for (const secret of [password, token, basic("octo", password).slice(6), `${password}x`]) {
        expect(everythingStored).not.toContain(secret);
      }
    } finally {
      await redis.quit();
    }
  });

  it("replays through a receiver by supplier and time range, dedupe honoured, force applying again", async () => {
    const log = redisLog();
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
async function waitForEntries(log: RedisLog, count: number) {
  const deadline = Date.now() + 5000;
  while ((await log.list(undefined, { limit: count + 1 })).entries.length < count) {
    if (Date.now() > deadline) throw new Error(`the log never held ${count} entries`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every key under `prefix`, by SCAN. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys = new Set<string>();
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    for (const key of found) keys.add(key);
    cursor = next;
  } while (cursor !== "0");
  return [...keys];
}

/** A key's whole value as text, whatever its type. */
export async function storedText(redis: Redis, key: string): Promise<string> {
  const type = await redis.type(key);
  if (type === "string") return (await redis.get(key)) ?? "";
  if (type === "hash") return JSON.stringify(await redis.hgetall(key));
  if (type === "zset") return (await redis.zrange(key, "0", "-1", "WITHSCORES")).join("\n");
  if (type === "none") return "";
  throw new Error(`a ${type} under the log's prefix: ${key}`);
}
