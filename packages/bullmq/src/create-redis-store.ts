import type { ClaimResult, DeliveryStore, Logger, ResourceState, StatePage } from "@octo-webhooks/core";
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

// Each script touches one key, so it runs atomically and also on Redis Cluster.
// A claim in progress is `processing:<token>` (`processing` alone: a caller without a token, or a
// claim stored by a version before tokens); a completed one is `done`.
const CLAIM = `
local state = redis.call('GET', KEYS[1])
if state == 'done' then return 'done' end
if state then return 'processing' end
redis.call('SET', KEYS[1], 'processing:' .. ARGV[2], 'PX', ARGV[1])
return 'claimed'`;

// whether KEYS[1] is a claim in progress of a token other than ARGV[n] (tokenless callers own every claim)
const OWNED_BY_ANOTHER = `
local function ownedByAnother(state, token)
  if not state or state == 'done' or state == 'processing' or state == 'processing:' or token == '' then return false end
  return state ~= 'processing:' .. token
end`;

// a run that outlived its lease cannot complete the claim of the run after it
const COMPLETE = `${OWNED_BY_ANOTHER}
if ownedByAnother(redis.call('GET', KEYS[1]), ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], 'done', 'PX', ARGV[1])
return 1`;

// only this token's claim in progress is forgotten: a late release never undoes a completion, nor
// frees the claim of the run after it
const RELEASE = `${OWNED_BY_ANOTHER}
local state = redis.call('GET', KEYS[1])
if state and state ~= 'done' and not ownedByAnother(state, ARGV[1]) then return redis.call('DEL', KEYS[1]) end
return 0`;

// A stale guard's key holds its newest instant as a number (`recordNewest`, and every version before
// `recordState`), or a state as JSON, `{"instant":...,"hash":...,"status":...,"id":...}`; `parse` reads
// either as its instant and `=<hash>` (`''` without a hash), or nil for anything else.
const PARSE_STATE = `
local function parse(value)
  if not value then return nil end
  local instant = tonumber(value)
  if instant then return instant, '' end
  if string.sub(value, 1, 1) ~= '{' then return nil end
  local ok, state = pcall(cjson.decode, value)
  if not ok or type(state) ~= 'table' or type(state.instant) ~= 'number' then return nil end
  if type(state.hash) == 'string' then return state.instant, '=' .. state.hash end
  return state.instant, ''
end`;

// the TTL starts when an instant is stored: an older or equal one does not renew it
const RECORD_NEWEST = `${PARSE_STATE}
local previous = redis.call('GET', KEYS[1])
local known = parse(previous)
if not (known and known >= tonumber(ARGV[1])) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return previous`;

// ARGV: the instant, `=<hash>` or '', the state as stored, the TTL. The same instant with other content
// replaces the state but keeps its TTL (PTTL rather than KEEPTTL: Redis 5 has none)
const RECORD_STATE = `${PARSE_STATE}
local previous = redis.call('GET', KEYS[1])
local known, hash = parse(previous)
local instant = tonumber(ARGV[1])
if not known or instant > known then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
elseif instant == known and hash ~= ARGV[2] then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('SET', KEYS[1], ARGV[3], 'PX', ttl) else redis.call('SET', KEYS[1], ARGV[3]) end
end
return previous`;

// ARGV: our instant and `=<hash>` or '', the state to put back ('' to forget the key), the TTL
const RESTORE_STATE = `${PARSE_STATE}
local known, hash = parse(redis.call('GET', KEYS[1]))
if not known or known ~= tonumber(ARGV[1]) or hash ~= ARGV[2] then return 0 end
if ARGV[3] == '' then return redis.call('DEL', KEYS[1]) end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
return 1`;

// Lua's cjson refuses a lone surrogate's escape (`\ud800`), which JSON.stringify writes: such a
// character is stored as U+FFFD, as Redis already keeps it in a key
const wellFormed = (text: string) => text.replace(/\p{Cs}/gu, "\uFFFD");

/** A state as its key holds it: a bare instant (as `recordNewest` writes it) when it has nothing else. */
function stateValue({ instant, hash, status, id }: ResourceState): string {
  if (hash === undefined && status === undefined && id === undefined) return String(instant);
  const state: Record<string, string | number> = { instant };
  if (hash !== undefined) state.hash = wellFormed(hash);
  if (status !== undefined) state.status = wellFormed(status);
  if (id !== undefined) state.id = wellFormed(id);
  return JSON.stringify(state);
}

/** How the scripts compare hashes: `=<hash>`, or `''` for a state without one. */
const hashArgument = (hash: string | undefined) => (hash === undefined ? "" : `=${wellFormed(hash)}`);

/** What a key holds as a state: either form (see PARSE_STATE); `undefined` for anything else. */
function parseState(value: unknown): ResourceState | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  if (!value.startsWith("{")) {
    const instant = Number(value);
    return Number.isNaN(instant) ? undefined : { instant };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { instant, hash, status, id } = parsed as Record<string, unknown>;
  if (typeof instant !== "number") return undefined;
  const state: ResourceState = { instant };
  if (typeof hash === "string") state.hash = hash;
  if (typeof status === "string") state.status = status;
  if (typeof id === "string") state.id = id;
  return state;
}

/** `text` as a literal in a SCAN MATCH pattern. */
const globLiteral = (text: string) => text.replace(/[\\*?[\]]/g, "\\$&");

type Script = (key: string, ...args: string[]) => Promise<unknown>;

/** Options of {@link createRedisStore}: the Redis connection and the key prefix. */
export interface RedisStoreOptions {
  /** Where Redis is (a URL, ioredis options or an ioredis instance, which is duplicated). */
  connection: RedisConnectionOption;
  /** Prefix of every key (default `"octo-webhooks"`): `<prefix>:claim:<deliveryKey>`, `<prefix>:newest:booking:<uuid>`. */
  prefix?: string;
  /**
   * Longest wait for an answer, in ms (default 3 000). A slower or unreachable Redis makes the store
   * throw (at once while the connection is down), so core answers 503 and the sender retries.
   */
  timeoutMs?: number;
  /** Where connection errors are reported (default: `console`). */
  logger?: Logger;
}

/** A {@link DeliveryStore} in Redis that also closes its connection. */
export interface RedisStore extends DeliveryStore {
  claim(key: string, leaseMs: number, token?: string): Promise<ClaimResult>;
  complete(key: string, ttlMs: number, token?: string): Promise<void>;
  release(key: string, token?: string): Promise<void>;
  recordNewest(key: string, instant: number, ttlMs: number): Promise<number | undefined>;
  recordState(key: string, state: ResourceState, ttlMs: number): Promise<ResourceState | undefined>;
  restoreState(
    key: string,
    ours: ResourceState,
    previous: ResourceState | undefined,
    ttlMs: number,
  ): Promise<void>;
  /**
   * A page of the states under `prefix`, from Redis's `SCAN` (its cursor, its order): a page holds
   * about `limit` states, may be empty before the last, and a key may show up twice.
   */
  listStates(prefix: string, cursor: string | undefined, limit: number): Promise<StatePage>;
  /** Closes its Redis connection (when it opened one). */
  close(): Promise<void>;
}

/** The store over a client someone else owns and closes; `ready` waits for its first connection. */
export function redisStoreOn(client: Redis, prefix: string, ready: () => Promise<void>): RedisStore {
  const define = (name: string, lua: string): Script => {
    const command = `octoWebhooks${name}`;
    if (typeof (client as unknown as Record<string, unknown>)[command] !== "function") {
      client.defineCommand(command, { numberOfKeys: 1, lua });
    }
    return (client as unknown as Record<string, Script>)[command]!.bind(client);
  };
  const claimScript = define("Claim", CLAIM);
  const completeScript = define("Complete", COMPLETE);
  const releaseScript = define("Release", RELEASE);
  const recordNewestScript = define("RecordNewest", RECORD_NEWEST);
  const recordStateScript = define("RecordState", RECORD_STATE);
  const restoreStateScript = define("RestoreState", RESTORE_STATE);
  const newest = `${prefix}:newest:`;
  const ms = (value: number) => String(Math.max(1, Math.ceil(value)));
  return {
    async claim(key, leaseMs, token = "") {
      await ready();
      return (await claimScript(`${prefix}:claim:${key}`, ms(leaseMs), token)) as ClaimResult;
    },
    async complete(key, ttlMs, token = "") {
      await ready();
      await completeScript(`${prefix}:claim:${key}`, ms(ttlMs), token);
    },
    async release(key, token = "") {
      await ready();
      await releaseScript(`${prefix}:claim:${key}`, token);
    },
    async recordNewest(key, instant, ttlMs) {
      await ready();
      return parseState(await recordNewestScript(`${newest}${key}`, String(instant), ms(ttlMs)))?.instant;
    },
    async recordState(key, state, ttlMs) {
      await ready();
      const { instant, hash } = state;
      const args = [String(instant), hashArgument(hash), stateValue(state), ms(ttlMs)];
      return parseState(await recordStateScript(`${newest}${key}`, ...args));
    },
    async restoreState(key, ours, previous, ttlMs) {
      await ready();
      const back = previous === undefined ? "" : stateValue(previous);
      const args = [String(ours.instant), hashArgument(ours.hash), back, ms(ttlMs)];
      await restoreStateScript(`${newest}${key}`, ...args);
    },
    async listStates(statePrefix, cursor, limit) {
      await ready();
      const under = `${newest}${statePrefix}`;
      const count = Math.max(1, Math.floor(limit) || 1);
      const [next, found] = await client.scan(
        cursor ?? "0",
        "MATCH",
        `${globLiteral(under)}*`,
        "COUNT",
        count,
      );
      // SCAN may return a key twice; a claim never matches (`:claim:`), and would not parse as a state
      const keys = [...new Set(found)].filter((key) => key.startsWith(under));
      const values =
        keys.length === 0 ? [] : ((await client.pipeline(keys.map((key) => ["get", key])).exec()) ?? []);
      const states: StatePage["states"] = [];
      keys.forEach((key, i) => {
        const [error, value] = values[i] ?? [];
        const state = error ? undefined : parseState(value);
        if (state !== undefined) states.push([key.slice(newest.length), state]);
      });
      return { states, cursor: next === "0" ? undefined : next };
    },
    async close() {},
  };
}

/**
 * A {@link DeliveryStore} in Redis, shared by every instance behind a load balancer: give it to core's
 * `store` with `dedupe` and/or `staleGuard`. Each method that writes is one atomic command or Lua script
 * on one key (so it works on Redis Cluster too), and `listStates` pages with `SCAN`; TTLs are Redis's own
 * (`PX`). It opens one connection: `close()` it on shutdown.
 *
 * @example
 * ```ts
 * import { createOctoWebhooks } from "@octo-webhooks/core";
 * import { createRedisStore } from "@octo-webhooks/bullmq";
 *
 * const store = createRedisStore({ connection: process.env.REDIS_URL! });
 * const webhooks = createOctoWebhooks({ dedupe: true, staleGuard: true, store, onBookingUpdate });
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  if (typeof options !== "object" || options === null)
    configError("createRedisStore() takes an options object");
  const prefix = options.prefix ?? "octo-webhooks";
  if (typeof prefix !== "string" || prefix === "") configError("`prefix` must be a non-empty string");
  const timeoutMs = positiveInteger(options.timeoutMs, "timeoutMs", 3000);
  const client = openRedis(options.connection, failFast(timeoutMs));
  watchErrors(client, options.logger ?? defaultLogger, "delivery store");
  const store = redisStoreOn(client, prefix, firstConnection(client, timeoutMs));
  store.close = () => closeRedis(client);
  return store;
}
