import type { ClaimResult, DeliveryStore, Logger, ResourceState, StatePage } from "@octo-webhooks/core";
import type pg from "pg";
import { configError, positiveInteger, withTimeout } from "./errors.ts";
import { migrateOnce } from "./migrate.ts";
import {
  defaultLogger,
  ender,
  failFast,
  ident,
  openPool,
  type PostgresConnectionOption,
  schemaName,
  watchErrors,
} from "./open-pool.ts";

/** Options of {@link createPostgresStore}: the connection, the schema, and a namespace inside it. */
export interface PostgresStoreOptions {
  /** Where PostgreSQL is: a URL, node-postgres `Pool` options, or a `Pool` (its options are reused, it is never ended here). */
  connection: PostgresConnectionOption;
  /** The schema of this package's tables (default `"octo_webhooks"`). */
  schema?: string;
  /** Keeps this store's keys apart from other stores' in the same schema (default `"octo-webhooks"`). */
  namespace?: string;
  /**
   * Longest wait for PostgreSQL per call, in ms (default 3 000). A slower or unreachable PostgreSQL makes
   * the store throw, so core answers 503 and the sender retries.
   */
  timeoutMs?: number;
  /** Run {@link migrate} (this package's schema only) before the first call (default `true`). */
  migrate?: boolean;
  /** Where connection errors are reported (default: `console`). */
  logger?: Logger;
}

/** A {@link DeliveryStore} in PostgreSQL, with every optional method, that also ends its connections. */
export interface PostgresStore extends DeliveryStore {
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
  listStates(prefix: string, cursor: string | undefined, limit: number): Promise<StatePage>;
  /** Ends its connections (when it opened them). */
  close(): Promise<void>;
}

interface StateRow {
  instant: string;
  hash: string | null;
  status: string | null;
  resource_id: string | null;
}

const toState = (row: StateRow): ResourceState => {
  const state: ResourceState = { instant: Number(row.instant) };
  if (row.hash !== null) state.hash = row.hash;
  if (row.status !== null) state.status = row.status;
  if (row.resource_id !== null) state.id = row.resource_id;
  return state;
};

const ms = (value: number) => Math.max(1, Math.ceil(value));
// claims and states past their TTL are deleted a batch at a time, at most once a minute per store
const SWEEP_EVERY_MS = 60_000;

/**
 * The store on a pool someone else ends: `ready` runs the migration, `timeoutMs` bounds each call.
 * @internal
 */
export function postgresStoreOn(
  pool: pg.Pool,
  schema: string,
  namespace: string,
  timeoutMs: number,
  ready: () => Promise<void>,
): PostgresStore {
  const S = ident(schema);
  let lastSweep = Date.now();
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[]) => {
    const run = async () => {
      await ready();
      return pool.query<R>(text, values);
    };
    const result = await withTimeout(run(), timeoutMs);
    const now = Date.now();
    if (now - lastSweep > SWEEP_EVERY_MS) {
      lastSweep = now;
      void sweepExpired(pool, schema).catch(() => undefined);
    }
    return result;
  };
  const claimStatement = `select ${S}.claim($1, $2, $3, $4) as result`;
  const recordStatement = `select * from ${S}.record_state($1, $2, $3, $4, $5, $6, $7, $8)`;
  return {
    async claim(key, leaseMs, token = "") {
      const { rows } = await query<{ result: ClaimResult }>(claimStatement, [
        namespace,
        key,
        ms(leaseMs),
        token,
      ]);
      return rows[0]?.result as ClaimResult;
    },
    async complete(key, ttlMs, token = "") {
      // a completion is kept even without a claim (as core's memory store does), except over the live
      // claim of another token (a newer run, after this one's lease ended)
      await query(
        `insert into ${S}.claims as c (namespace, key, token, done, expires_at)
         values ($1, $2, '', true, clock_timestamp() + $3 * interval '1 millisecond')
         on conflict (namespace, key) do update set token = '', done = true, expires_at = excluded.expires_at
         where c.done or c.expires_at <= clock_timestamp() or c.token = '' or $4 = '' or c.token = $4`,
        [namespace, key, ms(ttlMs), token],
      );
    },
    async release(key, token = "") {
      await query(
        `delete from ${S}.claims where namespace = $1 and key = $2 and not done and (token = '' or $3 = '' or token = $3)`,
        [namespace, key, token],
      );
    },
    async recordNewest(key, instant, ttlMs) {
      const { rows } = await query<StateRow>(recordStatement, [
        namespace,
        key,
        instant,
        null,
        null,
        null,
        ms(ttlMs),
        false,
      ]);
      return rows[0] === undefined ? undefined : Number(rows[0].instant);
    },
    async recordState(key, state, ttlMs) {
      const { rows } = await query<StateRow>(recordStatement, [
        namespace,
        key,
        state.instant,
        state.hash ?? null,
        state.status ?? null,
        state.id ?? null,
        ms(ttlMs),
        true,
      ]);
      return rows[0] === undefined ? undefined : toState(rows[0]);
    },
    async restoreState(key, ours, previous, ttlMs) {
      // only while the state kept is still ours (same instant and content): a newer one stays
      if (previous === undefined) {
        await query(
          `delete from ${S}.states where namespace = $1 and key = $2 and instant = $3 and hash is not distinct from $4 and expires_at > clock_timestamp()`,
          [namespace, key, ours.instant, ours.hash ?? null],
        );
        return;
      }
      await query(
        `update ${S}.states
         set instant = $5, hash = $6, status = $7, resource_id = $8, expires_at = clock_timestamp() + $9 * interval '1 millisecond'
         where namespace = $1 and key = $2 and instant = $3 and hash is not distinct from $4 and expires_at > clock_timestamp()`,
        [
          namespace,
          key,
          ours.instant,
          ours.hash ?? null,
          previous.instant,
          previous.hash ?? null,
          previous.status ?? null,
          previous.id ?? null,
          ms(ttlMs),
        ],
      );
    },
    async listStates(prefix, cursor, limit) {
      if (!Number.isInteger(limit) || limit < 1)
        configError("listStates: `limit` must be a positive integer");
      const { rows } = await query<StateRow & { key: string }>(
        `select key, instant, hash, status, resource_id from ${S}.states
         where namespace = $1 and starts_with(key, $2) and ($3::text is null or key > $3) and expires_at > clock_timestamp()
         order by key limit $4`,
        [namespace, prefix, cursor ?? null, limit + 1],
      );
      const page = rows.slice(0, limit);
      return {
        states: page.map((row) => [row.key, toState(row)] as [string, ResourceState]),
        cursor: rows.length > limit ? page[page.length - 1]?.key : undefined,
      };
    },
    async close() {},
  };
}

/** Deletes claims and states past their TTL, a bounded batch of each. */
export async function sweepExpired(pool: pg.Pool, schema: string): Promise<void> {
  const S = ident(schema);
  for (const table of ["claims", "states"]) {
    await pool.query(
      `delete from ${S}.${table} where ctid = any(array(
         select ctid from ${S}.${table} where expires_at < clock_timestamp() limit 5000))`,
    );
  }
}

/**
 * A {@link DeliveryStore} in PostgreSQL, shared by every instance behind a load balancer: give it to
 * core's `store` with `dedupe` and/or `staleGuard`. Each method is one statement (a claim and the stale
 * guard's record are functions that lock their one row), TTLs are checked by PostgreSQL's clock, and
 * expired rows are deleted in small batches as it goes. It has `recordState`, `restoreState` and
 * `listStates` too. It opens a pool: `close()` it on shutdown.
 *
 * @example
 * ```ts
 * import { createOctoWebhooks } from "@octo-webhooks/core";
 * import { createPostgresStore } from "@octo-webhooks/postgres";
 *
 * const store = createPostgresStore({ connection: process.env.DATABASE_URL! });
 * const webhooks = createOctoWebhooks({ dedupe: true, staleGuard: true, store, onBookingUpdate });
 * ```
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  if (typeof options !== "object" || options === null)
    configError("createPostgresStore() takes an options object");
  const schema = schemaName(options.schema);
  const namespace = options.namespace ?? "octo-webhooks";
  if (typeof namespace !== "string" || namespace === "")
    configError("`namespace` must be a non-empty string");
  const timeoutMs = positiveInteger(options.timeoutMs, "timeoutMs", 3000);
  const logger = options.logger ?? defaultLogger;
  const pool = openPool(options.connection, failFast(timeoutMs, "octo-webhooks store"));
  watchErrors(pool, logger, "delivery store");
  const ready =
    options.migrate === false
      ? () => Promise.resolve()
      : migrateOnce(options.connection, schema, false, logger);
  const store = postgresStoreOn(pool, schema, namespace, timeoutMs, ready);
  store.close = ender(pool);
  return store;
}
