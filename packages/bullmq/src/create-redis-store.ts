import type { ClaimResult, DeliveryStore, Logger } from "@octo-webhooks/core";
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

// the TTL starts when an instant is stored: an older or equal one does not renew it
const RECORD_NEWEST = `
local previous = redis.call('GET', KEYS[1])
local known = previous and tonumber(previous)
if not (known and known >= tonumber(ARGV[1])) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return previous`;

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
      const previous = await recordNewestScript(`${prefix}:newest:${key}`, String(instant), ms(ttlMs));
      return previous === null || previous === undefined ? undefined : Number(previous);
    },
    async close() {},
  };
}

/**
 * A {@link DeliveryStore} in Redis, shared by every instance behind a load balancer: give it to core's
 * `store` with `dedupe` and/or `staleGuard`. Each method is one atomic command or Lua script on one key
 * (so it works on Redis Cluster too); TTLs are Redis's own (`PX`). It opens one connection: `close()` it
 * on shutdown.
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
