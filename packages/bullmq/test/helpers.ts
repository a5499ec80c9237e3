import { randomBytes } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import { deleteKeysUnder } from "@octo-webhooks/test-helpers/redis";
// the `redisUrl` the global setup provides (its `ProvidedContext` declaration)
import type {} from "@octo-webhooks/test-helpers/redis-setup";
import { Redis } from "ioredis";
import { describe, inject } from "vitest";

export { capturingLogger } from "@octo-webhooks/test-helpers";

/** The Redis the tests run against (see @octo-webhooks/test-helpers/redis-setup), or `""` when there is none. */
export const redisUrl = inject("redisUrl");

/** `describe` for tests that need Redis: skipped without one (the Redis setup has printed why). */
export const describeWithRedis = describe.skipIf(redisUrl === "");

/** A queue's jobs, waiting, delayed, active or completed (failed ones are dead letters, counted apart). */
export const liveJobs = (queue: { getJobCounts(...states: string[]): Promise<Record<string, number>> }) =>
  queue.getJobCounts("waiting", "delayed", "active", "completed");

/** What {@link liveJobs} answers with `some` counts, the others 0. */
export const jobs = (
  some: { waiting?: number; delayed?: number; active?: number; completed?: number } = {},
) => ({
  waiting: 0,
  delayed: 0,
  active: 0,
  completed: 0,
  ...some,
});

/** A BullMQ prefix of its own for one test file; `cleanup()` deletes every key under it. */
export function namespace() {
  const prefix = `octo-test-${randomBytes(4).toString("hex")}`;
  let queues = 0;
  return {
    prefix,
    /** A fresh queue name. */
    name: () => `q${++queues}`,
    async cleanup() {
      if (redisUrl === "") return; // no Redis: the tests that wrote here were skipped
      const client = new Redis(redisUrl);
      try {
        await deleteKeysUnder(client, prefix);
      } finally {
        await client.quit();
      }
    },
  };
}

/** Polls until `check` returns something other than `undefined`/`false`, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A TCP proxy in front of Redis whose link can be cut (every connection dropped, new ones refused) and
 * restored on the same port: a real outage, as the clients see it, without stopping the shared Redis.
 */
export async function redisProxy(target = new URL(redisUrl)) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        sockets.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on("error", drop).on("close", drop);
        upstream.on("error", drop).on("close", drop);
        client.pipe(upstream).pipe(client);
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        const address = server?.address();
        if (typeof address === "object" && address) port = address.port;
        resolve();
      });
    });
  await open();
  const cut = async () => {
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
    server = undefined;
  };
  return {
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    cut,
    restore: open,
    close: cut,
  };
}
