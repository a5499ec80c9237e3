import type { Logger } from "@octo-webhooks/core";
import { Redis, type RedisOptions } from "ioredis";
import { configError, PREFIX } from "./errors.ts";

/**
 * Where Redis is: a URL (`redis://user:pass@host:6379/0`, `rediss://` for TLS), ioredis options, or an
 * ioredis instance (which is duplicated, never used or closed by this package).
 */
export type RedisConnectionOption = string | RedisOptions | Redis;

const isRedis = (value: object): value is Redis =>
  typeof (value as Redis).duplicate === "function" && typeof (value as Redis).defineCommand === "function";

// ioredis's own `RedisOptions` allows `replyMapping: undefined`, which its constructor refuses under
// `exactOptionalPropertyTypes`; we never set it
type ClientOptions = Omit<RedisOptions, "replyMapping">;

/** A client of our own for one role; the caller closes it. */
export function openRedis(connection: RedisConnectionOption, overrides: ClientOptions): Redis {
  if (typeof connection === "string") {
    if (!/^rediss?:\/\//.test(connection)) {
      configError("`connection` must be a redis:// or rediss:// URL, ioredis options or an ioredis instance");
    }
    return new Redis(connection, overrides);
  }
  if (typeof connection !== "object" || connection === null) {
    configError("`connection` must be a redis:// URL, ioredis options or an ioredis instance");
  }
  const options = isRedis(connection) ? connection.options : connection;
  if (options.keyPrefix) {
    configError("ioredis `keyPrefix` cannot be used (BullMQ refuses it); use the `prefix` option instead");
  }
  return isRedis(connection)
    ? connection.duplicate(overrides)
    : new Redis({ ...(connection as ClientOptions), ...overrides });
}

/**
 * Reports the errors an ioredis client or a BullMQ queue/worker emits (an `error` event without a
 * listener would crash the process) without flooding the log while Redis is down, as ioredis retries
 * every few seconds: the first, then at most one a minute, and the recovery (`ready`).
 */
export function watchErrors(
  emitter: { on(event: string, listener: (...args: never[]) => void): unknown },
  logger: Logger,
  role: string,
): void {
  let failingSince: number | undefined;
  let lastReport = 0;
  emitter.on("error", (error: Error) => {
    const now = Date.now();
    if (failingSince === undefined || now - lastReport >= 60_000) {
      logger.error?.(`${PREFIX} ${role}: ${error?.message ?? String(error)}`, {});
      lastReport = now;
    }
    failingSince ??= now;
  });
  emitter.on("ready", () => {
    if (failingSince === undefined) return;
    logger.warn?.(
      `${PREFIX} ${role}: Redis answers again, after ${Date.now() - failingSince} ms of errors`,
      {},
    );
    failingSince = undefined;
  });
}

/**
 * What a client on the request path uses: bounded waits, and no command kept for later while Redis is
 * down (`enableOfflineQueue`, `autoResendUnfulfilledCommands`), so a delivery the sender was told to
 * retry (503) is not also claimed or enqueued behind its back once Redis is back.
 */
export const failFast = (timeoutMs: number): ClientOptions => ({
  commandTimeout: timeoutMs,
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
});

/**
 * Resolves at once when `client` has been connected once; before that (the process just started),
 * waits for the first connection, at most `timeoutMs`. Later outages fail fast instead (`failFast`).
 * However many requests wait, the client gets one `ready` listener: a burst at startup adds none.
 */
export function firstConnection(client: Redis, timeoutMs: number): () => Promise<void> {
  let connected = client.status === "ready";
  const waiting = new Set<() => void>();
  if (!connected) {
    client.once("ready", () => {
      connected = true;
      for (const wake of waiting) wake();
      waiting.clear();
    });
  }
  return () => {
    if (connected || client.status === "ready") return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiting.delete(wake);
        reject(new Error(`Redis was not reachable within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.add(wake);
    });
  };
}

/** Closes a client politely (QUIT), or at once when it cannot answer. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === "end") return;
  if (client.status !== "ready") {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

export const defaultLogger: Logger = {
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error ?? ""),
};
