import {
  type DeliveryLog,
  type DeliveryLogEntry,
  type DeliveryLogFilter,
  type DeliveryLogPage,
  type Logger,
  logDeliveries,
  matchesFilter,
} from "@octo-webhooks/core";
import type { Redis } from "ioredis";
import { configError, positiveInteger } from "./errors.ts";
import {
  closeRedis,
  defaultLogger,
  failFast,
  firstConnection,
  openRedis,
  type RedisConnectionOption,
  watchErrors,
} from "./open-redis.ts";

// The layout, under `<prefix>`:
//   entries              sorted set of every entry: member `<16 hex digits of seq>:<id>`, score its arrival (ms)
//   seq                  the counter that orders entries of one millisecond (members sort by it)
//   entry:<id>           hash: j (the entry as JSON, without `attempt`), a (attempt), m (its member),
//                        s, k, r (its supplier, delivery key and resource id, to unindex it)
//   attempts:<key>       the attempts of a delivery key so far (INCR), living as long as the log keeps entries
//   supplier:<id>, key:<deliveryKey>, resource:<id>
//                        sorted sets like `entries`, of the entries with that field: the filters that
//                        name one of them read only their index
// A sorted set rather than a Stream: `get(id)` is one key, entries of a supplier or a delivery key are
// indexed by the same members and scores, and a time range is a range of scores (a Stream's ids would
// be the append time, not the arrival, and its trimming could not unindex what it drops).

// KEYS: entries, seq, entry:<id>, attempts:<key>, key:<key>, supplier:<id>, resource:<id>
// ARGV: the entry as JSON, its score, the age cutoff, maxAgeMs, maxEntries, how many old entries one
// append may drop, the key prefix, the id, then the delivery key, supplier and resource id ('' when none)
const APPEND = `
local prefix = ARGV[7]
local maxAge = ARGV[4]
local attempt = 1
if ARGV[9] ~= '' then
  attempt = redis.call('INCR', KEYS[4])
  redis.call('PEXPIRE', KEYS[4], maxAge)
end
local member = string.format('%016x', redis.call('INCR', KEYS[2])) .. ':' .. ARGV[8]
redis.call('HSET', KEYS[3], 'j', ARGV[1], 'a', attempt, 'm', member, 'k', ARGV[9], 's', ARGV[10], 'r', ARGV[11])
redis.call('PEXPIRE', KEYS[3], maxAge)
local batch = tonumber(ARGV[6])
local function index(key)
  redis.call('ZADD', key, ARGV[2], member)
  redis.call('PEXPIRE', key, maxAge)
  -- an index's members whose entry expired before an append could drop it
  local old = redis.call('ZRANGEBYSCORE', key, '-inf', '(' .. ARGV[3], 'LIMIT', 0, batch)
  if #old > 0 then redis.call('ZREM', key, unpack(old)) end
end
index(KEYS[1])
redis.call('PEXPIRE', KEYS[2], maxAge)
if ARGV[9] ~= '' then index(KEYS[5]) end
if ARGV[10] ~= '' then index(KEYS[6]) end
if ARGV[11] ~= '' then index(KEYS[7]) end
local function drop(old)
  local entryKey = prefix .. 'entry:' .. string.sub(old, 18)
  local fields = redis.call('HMGET', entryKey, 'm', 'k', 's', 'r')
  if fields[1] == old then
    if fields[2] and fields[2] ~= '' then redis.call('ZREM', prefix .. 'key:' .. fields[2], old) end
    if fields[3] and fields[3] ~= '' then redis.call('ZREM', prefix .. 'supplier:' .. fields[3], old) end
    if fields[4] and fields[4] ~= '' then redis.call('ZREM', prefix .. 'resource:' .. fields[4], old) end
    redis.call('DEL', entryKey)
  end
  redis.call('ZREM', KEYS[1], old)
end
for _, old in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3], 'LIMIT', 0, batch)) do
  drop(old)
end
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[5])
if over > 0 then
  for _, old in ipairs(redis.call('ZRANGE', KEYS[1], 0, math.min(over, batch) - 1)) do drop(old) end
end
return attempt`;

// KEYS[1]: the sorted set to read (entries or an index). ARGV: where to start (`start`: the newest, or
// the newest at or before the score ARGV[3] when given; `from`: at the member ARGV[2]; `after`: past
// it), how many, the entry key prefix. Answers member, score, JSON, attempt for each (false, false for
// an entry gone meanwhile): one atomic read, so that an append between two reads cannot shift a page.
const PAGE = `
local start = 0
if ARGV[1] == 'start' then
  if ARGV[3] ~= '' then start = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[3], '+inf') end
else
  local rank = redis.call('ZREVRANK', KEYS[1], ARGV[2])
  if not rank then return {} end
  start = rank
  if ARGV[1] == 'after' then start = rank + 1 end
end
local found = redis.call('ZREVRANGE', KEYS[1], start, start + tonumber(ARGV[4]) - 1, 'WITHSCORES')
local out = {}
for i = 1, #found, 2 do
  local member = found[i]
  local fields = redis.call('HMGET', ARGV[5] .. string.sub(member, 18), 'j', 'a', 'm')
  out[#out + 1] = member
  out[#out + 1] = found[i + 1]
  if fields[3] == member then
    out[#out + 1] = fields[1]
    out[#out + 1] = fields[2]
  else
    out[#out + 1] = false
    out[#out + 1] = false
  end
end
return out`;

/** Old entries one append drops at most (each append adds one, so the log keeps up). */
const DROP_PER_APPEND = 16;
/** Entries one `list()` call reads at most while its filter finds fewer than `limit` (then a partial page). */
const READ_PER_LIST = 5000;
const MEMBER = /^[0-9a-f]{16}:/;

/** Options of {@link createRedisLog}. */
export interface RedisLogOptions {
  /** Where Redis is (a URL, ioredis options or an ioredis instance, which is duplicated). */
  connection: RedisConnectionOption;
  /** Prefix of every key of the log (default `"octo-webhooks:log"`). On Redis Cluster, hash-tag it: `"{octo-log}"`. */
  prefix?: string;
  /** Most entries kept; the oldest go first (default 10,000). */
  maxEntries?: number;
  /** How long an entry is kept, in ms (default 7 days); also how long a delivery key's attempts are counted. */
  maxAgeMs?: number;
  /** Longest wait for an answer, in ms (default 3 000). */
  timeoutMs?: number;
  /** Where connection errors are reported (default: `console`). */
  logger?: Logger;
}

/** A {@link DeliveryLog} in Redis that also closes its connection. */
export interface RedisLog extends DeliveryLog {
  append(entry: DeliveryLogEntry): Promise<void>;
  /**
   * Entries matching `filter`, newest (by arrival) first. A filter on `deliveryKey`, `resourceId` or
   * `supplier` reads only that index, `since`/`until` only that range; the other fields are checked
   * entry by entry, and a page may then hold fewer than `limit` entries before the last (its `cursor`
   * says where to go on).
   */
  list(
    filter?: DeliveryLogFilter,
    page?: { cursor?: string | undefined; limit?: number },
  ): Promise<DeliveryLogPage>;
  get(id: string): Promise<DeliveryLogEntry | undefined>;
  /** Closes its Redis connection. */
  close(): Promise<void>;
}

type Script = (...args: string[]) => Promise<unknown>;

const instant = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
};

function toEntry(json: unknown, attempt: unknown): DeliveryLogEntry | undefined {
  if (typeof json !== "string") return undefined;
  try {
    const entry = JSON.parse(json) as DeliveryLogEntry;
    entry.attempt = Number(attempt);
    return entry;
  } catch {
    return undefined;
  }
}

/**
 * The delivery log in Redis, shared by every receiver and worker of several instances (core's `log`
 * option; a queue's receiver and its workers can share one). Each `append` is one Lua script: it counts
 * the attempt of its delivery key (`INCR`, kept as long as the log keeps entries), stores the entry
 * (what core gives it, credentials already removed) and indexes it by arrival time, supplier, delivery
 * key and resource, and drops at most 16 entries past `maxAgeMs` or beyond `maxEntries`. `list()` pages
 * newest first; `get(id)` reads one entry. `close()` it on shutdown.
 *
 * @example
 * ```ts
 * import { createOctoQueue, createOctoWorker, createRedisLog } from "@octo-webhooks/bullmq";
 *
 * const log = createRedisLog({ connection: process.env.REDIS_URL! });
 * const receiver = queue.receiver({ auth, log }); // each acceptance
 * const worker = createOctoWorker({ connection: process.env.REDIS_URL!, log, onBookingUpdate }); // each run
 * const { entries } = await log.list({ supplier: "peek", outcome: "failed" });
 * ```
 */
export function createRedisLog(options: RedisLogOptions): RedisLog {
  if (typeof options !== "object" || options === null)
    configError("createRedisLog() takes an options object");
  const prefix = options.prefix ?? "octo-webhooks:log";
  if (typeof prefix !== "string" || prefix === "") configError("`prefix` must be a non-empty string");
  const maxEntries = positiveInteger(options.maxEntries, "maxEntries", 10_000);
  const maxAgeMs = positiveInteger(options.maxAgeMs, "maxAgeMs", 7 * 24 * 60 * 60 * 1000);
  const timeoutMs = positiveInteger(options.timeoutMs, "timeoutMs", 3000);
  // appends of one tick (a burst of deliveries) go out in one write: the log costs the receiver less CPU
  const client: Redis = openRedis(options.connection, { ...failFast(timeoutMs), enableAutoPipelining: true });
  watchErrors(client, options.logger ?? defaultLogger, "delivery log");
  const ready = firstConnection(client, timeoutMs);
  client.defineCommand("octoWebhooksLogAppend", { numberOfKeys: 7, lua: APPEND });
  client.defineCommand("octoWebhooksLogPage", { numberOfKeys: 1, lua: PAGE });
  const commands = client as unknown as Record<string, Script>;
  const appendScript = commands.octoWebhooksLogAppend!.bind(client);
  const pageScript = commands.octoWebhooksLogPage!.bind(client);
  const key = (name: string) => `${prefix}:${name}`;
  const entryPrefix = key("entry:");

  /** The sorted set a filter reads: the index of its most selective field, else every entry. */
  const sourceOf = (filter: DeliveryLogFilter | undefined) => {
    if (filter?.deliveryKey !== undefined) return key(`key:${filter.deliveryKey}`);
    if (filter?.resourceId !== undefined) return key(`resource:${filter.resourceId}`);
    if (filter?.supplier !== undefined) return key(`supplier:${filter.supplier}`);
    return key("entries");
  };

  return logDeliveries({
    async append(entry) {
      const { attempt: _counted, ...rest } = entry;
      const score = instant(entry.receivedAt) ?? Date.now();
      const deliveryKey = entry.deliveryKey ?? "";
      const supplier = entry.supplier ?? "";
      const resourceId = entry.resourceId ?? "";
      await ready();
      await appendScript(
        key("entries"),
        key("seq"),
        key(`entry:${entry.id}`),
        key(`attempts:${deliveryKey}`),
        key(`key:${deliveryKey}`),
        key(`supplier:${supplier}`),
        key(`resource:${resourceId}`),
        JSON.stringify(rest),
        String(score),
        String(Date.now() - maxAgeMs),
        String(maxAgeMs),
        String(maxEntries),
        String(DROP_PER_APPEND),
        `${prefix}:`,
        entry.id,
        deliveryKey,
        supplier,
        resourceId,
      );
    },

    async list(filter, page) {
      const limit = Math.min(1000, Math.max(1, Math.floor(page?.limit ?? 100) || 100));
      const cursor = page?.cursor;
      if (cursor !== undefined && !MEMBER.test(cursor)) return { entries: [], cursor: undefined };
      const oldest = Math.max(Date.now() - maxAgeMs, instant(filter?.since) ?? Number.NEGATIVE_INFINITY);
      const until = instant(filter?.until);
      const source = sourceOf(filter);
      const found: DeliveryLogEntry[] = [];
      const batch = Math.min(500, limit + 1);
      let from: [mode: "start" | "from" | "after", member: string] =
        cursor === undefined ? ["start", ""] : ["from", cursor];
      let read = 0;
      await ready();
      for (;;) {
        const answer = (await pageScript(
          source,
          from[0],
          from[1],
          until === undefined ? "" : String(until),
          String(batch),
          entryPrefix,
        )) as Array<string | null>;
        if (answer.length === 0) return { entries: found, cursor: undefined };
        for (let i = 0; i < answer.length; i += 4) {
          const member = answer[i] as string;
          if (Number(answer[i + 1]) < oldest) return { entries: found, cursor: undefined };
          // a filter that no index serves may read far: the next page goes on from here
          if (read >= READ_PER_LIST) return { entries: found, cursor: member };
          read++;
          const entry = toEntry(answer[i + 2], answer[i + 3]);
          if (entry === undefined || !matchesFilter(entry, filter)) continue;
          // the page is full: the next match starts the next page
          if (found.length === limit) return { entries: found, cursor: member };
          found.push(entry);
        }
        from = ["after", answer[answer.length - 4] as string];
      }
    },

    async get(id) {
      await ready();
      const [json, attempt] = await client.hmget(key(`entry:${id}`), "j", "a");
      return toEntry(json, attempt);
    },

    close: () => closeRedis(client),
  });
}
