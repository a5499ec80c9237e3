import type { Logger } from "@octo-webhooks/core";
import pg from "pg";
import { configError, PREFIX } from "./errors.ts";

/**
 * Where PostgreSQL is: a URL (`postgres://user:pass@host:5432/db`), node-postgres `Pool` options, or a
 * `Pool`, whose options are reused for pools of this package's own (it is never used or ended here).
 */
export type PostgresConnectionOption = string | pg.PoolConfig | pg.Pool;

const isPool = (value: object): value is pg.Pool =>
  value instanceof pg.Pool ||
  (typeof (value as pg.Pool).connect === "function" &&
    typeof (value as pg.Pool).query === "function" &&
    typeof (value as pg.Pool).options === "object");

/** The options of a pool of our own on `connection`, with `overrides` on top. */
export function poolConfig(connection: PostgresConnectionOption, overrides: pg.PoolConfig): pg.PoolConfig {
  if (typeof connection === "string") {
    if (!/^postgres(ql)?:\/\//.test(connection)) {
      configError("`connection` must be a postgres:// URL, node-postgres Pool options or a Pool");
    }
    return { connectionString: connection, ...overrides };
  }
  if (typeof connection !== "object" || connection === null) {
    configError("`connection` must be a postgres:// URL, node-postgres Pool options or a Pool");
  }
  const options = isPool(connection) ? (connection.options as pg.PoolConfig) : connection;
  return { ...options, ...overrides };
}

/** A pool of our own for one role; the caller ends it. */
export function openPool(connection: PostgresConnectionOption, overrides: pg.PoolConfig): pg.Pool {
  return new pg.Pool(poolConfig(connection, overrides));
}

/**
 * What a pool on the request path uses: bounded waits for a connection and for each statement (the
 * server cancels a statement past `timeoutMs`, so a delivery answered 503 for slowness is not enqueued
 * behind the sender's back), and no connection kept open for long while idle.
 */
export const failFast = (timeoutMs: number, applicationName: string): pg.PoolConfig => ({
  connectionTimeoutMillis: timeoutMs,
  statement_timeout: timeoutMs,
  application_name: applicationName,
});

/**
 * Reports the errors a pool emits (an idle connection dropped by the server: an `error` event without
 * a listener would crash the process) without flooding the log during an outage: the first, then at
 * most one a minute.
 */
export function watchErrors(
  emitter: { on(event: "error", listener: (error: Error) => void): unknown },
  logger: Logger,
  role: string,
): (error: unknown) => void {
  let lastReport = 0;
  const report = (error: unknown) => {
    const now = Date.now();
    if (now - lastReport < 60_000) return;
    lastReport = now;
    logger.error?.(`${PREFIX} ${role}: ${error instanceof Error ? error.message : String(error)}`, {});
  };
  emitter.on("error", report);
  return report;
}

/** Ends a pool once (later calls wait for the same end). */
export function ender(pool: pg.Pool): () => Promise<void> {
  let ending: Promise<void> | undefined;
  return () => {
    ending ??= pool.end().catch(() => undefined);
    return ending;
  };
}

export const defaultLogger: Logger = {
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error ?? ""),
};

/** `name` quoted as an SQL identifier. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Checks a schema name: letters, digits and `_`, at most 50 characters (its jobs schema adds `_jobs`). */
export function schemaName(value: unknown): string {
  const schema = value ?? "octo_webhooks";
  if (typeof schema !== "string" || !/^[a-z_][a-z0-9_]{0,49}$/.test(schema)) {
    configError("`schema` must be a lower-case SQL name (letters, digits, `_`; at most 50 characters)");
  }
  return schema;
}
