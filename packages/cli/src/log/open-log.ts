import { redactUrl } from "@octo-webhooks/client";
import type { DeliveryLog, DeliveryLogEntry, DeliveryLogFilter, DeliveryLogPage } from "@octo-webhooks/core";
import { type Command, Option } from "commander";
import { CliError } from "../output.ts";

// Where `deliveries` and `inspect` read the delivery log: Redis (createRedisLog() of @octo-webhooks/bullmq)
// or Postgres (createPostgresLog() of @octo-webhooks/postgres). Each package is an optional peer of the
// CLI, imported only when its flag is given, so that the CLI does not bring a Redis or Postgres client
// to those who use neither.

/** The store options `deliveries` and `inspect` share. */
export interface StoreOptions {
  redis?: string;
  postgres?: string;
  prefix?: string;
}

/** The log, read-only, and how to close it. */
export interface OpenedLog {
  readonly log: Pick<DeliveryLog, "list" | "get">;
  /** The store's URL without its credentials, for messages. */
  readonly where: string;
  close(): Promise<void>;
}

type ClosableLog = DeliveryLog & { close?: () => unknown };
type PostgresLogFactory = (options: { connection: string }) => ClosableLog;

/** `--redis`, `--postgres` (or their env variables) and `--prefix`. */
export function withStore(command: Command): Command {
  return command
    .addOption(
      new Option("--redis <url>", "read the log of createRedisLog() here (redis://...)").env(
        "OCTO_LOG_REDIS_URL",
      ),
    )
    .addOption(
      new Option("--postgres <url>", "read the log of createPostgresLog() here (postgres://...)").env(
        "OCTO_LOG_POSTGRES_URL",
      ),
    )
    .option(
      "--prefix <prefix>",
      "the Redis log's key prefix (createRedisLog's `prefix`; default \"octo-webhooks:log\")",
    );
}

/** `message` without the store URL's password (raw or decoded) and with the URL itself masked. */
function maskedBy(url: string): (message: string) => string {
  let secrets: string[] = [];
  try {
    const parsed = new URL(url);
    secrets = [parsed.password, decodeURIComponent(parsed.password)]
      .filter((s) => s.length >= 3)
      .sort((a, b) => b.length - a.length);
  } catch {
    // an unparsable URL was refused before anything could quote it
  }
  const shown = redactUrl(url);
  return (message) => {
    let safe = message.split(url).join(shown);
    for (const secret of secrets) safe = safe.split(secret).join("***");
    return safe;
  };
}

/**
 * The package named by `flag`, imported; when it (or a package it imports) is not installed where the
 * CLI can import it, a message naming what to install.
 */
async function load<T>(flag: string, install: string, importIt: () => Promise<T>): Promise<T> {
  try {
    return await importIt();
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") throw error;
    const missing = /Cannot find (?:package|module) '([^'/.][^']*)'/.exec(String(message))?.[1];
    throw new CliError(
      `${flag} needs ${install} installed next to the CLI${missing === undefined ? "" : ` (${missing} is missing)`}: npm install ${install}`,
    );
  }
}

/** The URL of `flag`, checked for one of `schemes`. */
function storeUrl(flag: string, url: string, schemes: readonly string[]): string {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new CliError(`${flag} must be a URL (${schemes.map((s) => `${s}//...`).join(" or ")})`);
  }
  if (!schemes.includes(protocol)) {
    throw new CliError(`${flag} must be a ${schemes.map((s) => `${s}//`).join(" or ")} URL`);
  }
  return url;
}

/** The store of `options`: exactly one of `--redis` and `--postgres`. */
async function openStore(options: StoreOptions, onError: (message: string) => void): Promise<ClosableLog> {
  if ((options.redis === undefined) === (options.postgres === undefined)) {
    throw new CliError(
      "give the log's store: --redis redis://... or --postgres postgres://... (one of them)",
      2,
    );
  }
  if (options.redis !== undefined) {
    const connection = storeUrl("--redis", options.redis, ["redis:", "rediss:"]);
    const { createRedisLog } = await load(
      "--redis",
      "@octo-webhooks/bullmq bullmq ioredis",
      () => import("@octo-webhooks/bullmq"),
    );
    return createRedisLog({
      connection,
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      logger: { error: (message) => onError(message), warn: (message) => onError(message) },
    });
  }
  if (options.prefix !== undefined) throw new CliError("--prefix is for --redis (the Redis log's keys)", 2);
  const connection = storeUrl("--postgres", options.postgres as string, ["postgres:", "postgresql:"]);
  const module = (await load(
    "--postgres",
    "@octo-webhooks/postgres",
    () => import("@octo-webhooks/postgres"),
  )) as { createPostgresLog?: unknown };
  if (typeof module.createPostgresLog !== "function") {
    throw new CliError(
      "the installed @octo-webhooks/postgres has no createPostgresLog (the Postgres log came in a later version): npm install @octo-webhooks/postgres@latest",
    );
  }
  return (module.createPostgresLog as PostgresLogFactory)({ connection });
}

/**
 * Opens the log `options` name, read-only. A failure to read it is one line naming the store, its
 * credentials masked; `onError` gets the store client's own reports (connection lost...), masked too.
 */
export async function openLog(
  options: StoreOptions,
  onError: (message: string) => void = () => {},
): Promise<OpenedLog> {
  const url = options.redis ?? options.postgres ?? "";
  const mask = maskedBy(url);
  const where = redactUrl(url);
  const store = await openStore(options, (message) => onError(mask(message)));
  const failed = (error: unknown): never => {
    if (error instanceof CliError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot read the delivery log at ${where}: ${mask(message)}`);
  };
  return {
    log: {
      list: async (filter?: DeliveryLogFilter, page?: { cursor?: string | undefined; limit?: number }) => {
        try {
          return (await store.list(filter, page)) as DeliveryLogPage;
        } catch (error) {
          return failed(error);
        }
      },
      get: async (id: string) => {
        try {
          return (await store.get(id)) as DeliveryLogEntry | undefined;
        } catch (error) {
          return failed(error);
        }
      },
    },
    where,
    async close() {
      try {
        await store.close?.();
      } catch {
        // closing a connection that never opened: nothing left to do
      }
    },
  };
}
