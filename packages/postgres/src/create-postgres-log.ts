import {
  type DeliveryLog,
  type DeliveryLogEntry,
  type DeliveryLogFilter,
  type DeliveryLogPage,
  type Logger,
  logDeliveries,
} from "@octo-webhooks/core";
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

/** Old entries (and expired attempt counters) one append deletes at most: each adds one, so the log keeps up. */
const DROP_PER_APPEND = 16;
/** Entries one `list()` call reads at most while a filter no index serves finds fewer than `limit` (then a partial page). */
const READ_PER_LIST = 5000;
/** A cursor: the arrival (epoch ms) and `seq` of the last entry read; the next page starts after it. */
const CURSOR = /^(\d{1,15})-(\d{1,19})$/;

/** Options of {@link createPostgresLog}. */
export interface PostgresLogOptions {
  /** Where PostgreSQL is: a URL, node-postgres `Pool` options, or a `Pool` (its options are reused, it is never ended here). */
  connection: PostgresConnectionOption;
  /** The schema of this package's tables (default `"octo_webhooks"`); the log is its `log_entries` table. */
  schema?: string;
  /** Most entries kept; the oldest appended go first (default 10,000). */
  maxEntries?: number;
  /** How long an entry is kept, in ms (default 7 days); also how long a delivery key's attempts are counted. */
  maxAgeMs?: number;
  /** Longest wait for PostgreSQL per call, in ms (default 3 000). */
  timeoutMs?: number;
  /** Run {@link migrate} (this package's schema only) before the first call (default `true`). */
  migrate?: boolean;
  /** Where connection errors are reported (default: `console`). */
  logger?: Logger;
}

/** A {@link DeliveryLog} in PostgreSQL that also ends its connections. */
export interface PostgresLog extends DeliveryLog {
  append(entry: DeliveryLogEntry): Promise<void>;
  /**
   * Entries matching `filter`, newest (by arrival) first. Every field is a condition in SQL; one on
   * `deliveryKey`, `resourceId` or `supplier`, and `since`/`until`, reads only the matching part of an
   * index. A filter on `event`, `outcome` or `status` alone reads at most 5,000 entries per call: a page
   * may then hold fewer than `limit` entries before the last (its `cursor` says where to go on).
   */
  list(
    filter?: DeliveryLogFilter,
    page?: { cursor?: string | undefined; limit?: number },
  ): Promise<DeliveryLogPage>;
  get(id: string): Promise<DeliveryLogEntry | undefined>;
  /** Ends its connections (when it opened them). */
  close(): Promise<void>;
}

interface EntryRow {
  seq: string;
  received_at: Date;
  attempt: number;
  entry: DeliveryLogEntry | null;
  hit: boolean;
}

/** An instant as PostgreSQL's timestamptz takes it, or `undefined` when `value` is not one. */
const instant = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/** A text column's value: PostgreSQL's text cannot hold NUL (the entry's JSON keeps it, escaped). */
const column = (value: string | undefined): string | null =>
  value === undefined ? null : value.replaceAll("\u0000", "\uFFFD");

const toEntry = (entry: DeliveryLogEntry | null, attempt: number): DeliveryLogEntry | undefined =>
  entry === null || typeof entry !== "object" ? undefined : { ...entry, attempt };

/**
 * The delivery log in PostgreSQL, shared by every receiver and worker of several instances (core's `log`
 * option; a queue's receivers and its workers can share one). Each `append` is one statement: it counts
 * the attempt of its delivery key (under that key's row lock, kept as long as the log keeps entries),
 * stores the entry (what core gives it, credentials already removed) with its supplier, event, resource,
 * delivery key, outcome and status in indexed columns, and deletes at most 16 entries past `maxAgeMs` or
 * beyond `maxEntries`. `list()` pages newest first; `get(id)` reads one entry. `close()` it on shutdown.
 *
 * @example
 * ```ts
 * import { createPostgresLog, createPostgresQueue, createPostgresWorker } from "@octo-webhooks/postgres";
 *
 * const log = createPostgresLog({ connection: process.env.DATABASE_URL! });
 * const receiver = queue.receiver({ auth, log }); // each acceptance
 * const worker = createPostgresWorker({ connection: process.env.DATABASE_URL!, log, onBookingUpdate }); // each run
 * const { entries } = await log.list({ supplier: "peek", outcome: "failed" });
 * ```
 */
export function createPostgresLog(options: PostgresLogOptions): PostgresLog {
  if (typeof options !== "object" || options === null)
    configError("createPostgresLog() takes an options object");
  const schema = schemaName(options.schema);
  const maxEntries = positiveInteger(options.maxEntries, "maxEntries", 10_000);
  const maxAgeMs = positiveInteger(options.maxAgeMs, "maxAgeMs", 7 * 24 * 60 * 60 * 1000);
  const timeoutMs = positiveInteger(options.timeoutMs, "timeoutMs", 3000);
  const logger = options.logger ?? defaultLogger;
  const pool = openPool(options.connection, failFast(timeoutMs, "octo-webhooks log"));
  watchErrors(pool, logger, "delivery log");
  const ready =
    options.migrate === false
      ? () => Promise.resolve()
      : migrateOnce(options.connection, schema, false, logger);
  const query = <R extends pg.QueryResultRow>(text: string, values: unknown[]) =>
    withTimeout(
      (async () => {
        await ready();
        return pool.query<R>(text, values);
      })(),
      timeoutMs,
    );
  const S = ident(schema);
  const appendStatement = `select ${S}.log_append($1, $2, $3, $4, $5, $6, $7, $8, $9::json, $10, $11, $12)`;
  // now(), not clock_timestamp(): a stable value is an index condition, a volatile one is not
  const maxAge = `now() - ${maxAgeMs} * interval '1 millisecond'`;

  return logDeliveries({
    async append(entry) {
      const { attempt: _counted, ...rest } = entry;
      await query(appendStatement, [
        String(entry.id),
        instant(entry.receivedAt) ?? new Date().toISOString(),
        column(entry.supplier),
        column(entry.event),
        column(entry.resourceId),
        column(entry.deliveryKey),
        column(entry.outcome) ?? "",
        Number.isInteger(entry.status) ? entry.status : null,
        JSON.stringify(rest),
        maxEntries,
        maxAgeMs,
        DROP_PER_APPEND,
      ]);
    },

    async list(filter, page) {
      const limit = Math.min(1000, Math.max(1, Math.floor(page?.limit ?? 100) || 100));
      const values: unknown[] = [];
      const param = (value: unknown) => {
        values.push(value);
        return `$${values.length}`;
      };
      // what an index serves: the newest entries of a key, resource or supplier, in a time range
      const where = [`received_at >= ${maxAge}`];
      if (filter?.deliveryKey !== undefined)
        where.push(`delivery_key = ${param(column(filter.deliveryKey))}`);
      if (filter?.resourceId !== undefined) where.push(`resource_id = ${param(column(filter.resourceId))}`);
      if (filter?.supplier !== undefined) where.push(`supplier = ${param(column(filter.supplier))}`);
      const since = instant(filter?.since);
      if (since !== undefined) where.push(`received_at >= ${param(since)}::timestamptz`);
      const until = instant(filter?.until);
      if (until !== undefined) where.push(`received_at <= ${param(until)}::timestamptz`);
      if (page?.cursor !== undefined) {
        const at = CURSOR.exec(page.cursor);
        const ms = Number(at?.[1]);
        if (at === null || !Number.isSafeInteger(ms)) return { entries: [], cursor: undefined };
        where.push(
          `(received_at, seq) < (${param(new Date(ms).toISOString())}::timestamptz, ${param(at[2])}::bigint)`,
        );
      }
      // what no index serves: checked on a bounded number of the newest entries
      const checks: string[] = [];
      if (filter?.event !== undefined) checks.push(`event = ${param(column(filter.event))}`);
      if (filter?.outcome !== undefined) checks.push(`outcome = ${param(column(filter.outcome))}`);
      if (filter?.status !== undefined) checks.push(`status is not distinct from ${param(filter.status)}`);
      const hit = checks.length === 0 ? "true" : checks.join(" and ");
      const read = checks.length === 0 ? limit + 1 : READ_PER_LIST;
      const { rows } = await query<EntryRow>(
        `select seq, received_at, attempt, (${hit}) as hit, case when ${hit} then entry end as entry
         from ${S}.log_entries where ${where.join(" and ")}
         order by received_at desc, seq desc limit ${read}`,
        values,
      );
      const positionOf = (row: EntryRow) => `${row.received_at.getTime()}-${row.seq}`;
      const entries: DeliveryLogEntry[] = [];
      let last: EntryRow | undefined;
      for (const row of rows) {
        if (row.hit) {
          // the page is full: it ends after the last entry kept
          if (entries.length === limit) return { entries, cursor: last && positionOf(last) };
          const entry = toEntry(row.entry, row.attempt);
          if (entry !== undefined) entries.push(entry);
        }
        last = row;
      }
      // read as far as one call may without filling the page: the next page goes on from there
      const more = rows.length === read && last !== undefined;
      return { entries, cursor: more ? positionOf(last as EntryRow) : undefined };
    },

    async get(id) {
      const { rows } = await query<{ entry: DeliveryLogEntry | null; attempt: number }>(
        `select entry, attempt from ${S}.log_entries where id = $1 and received_at >= ${maxAge}`,
        [String(id)],
      );
      const row = rows[0];
      return row === undefined ? undefined : toEntry(row.entry, row.attempt);
    },

    close: ender(pool),
  });
}
