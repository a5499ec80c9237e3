// The Redis a test run or a benchmark uses: OCTO_REDIS_URL when set (CI starts one in .ci/run), else a
// redis-server started here on a free loopback port with no persistence. Without either it throws, saying
// how to get one: the bullmq tests and `pnpm bench:scale` exist to run against a real Redis.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import { freePort } from "./index.ts";

export const HOW_TO_GET_REDIS =
  "Either install redis-server (Debian/Ubuntu: `apt-get install -y redis-server`; macOS: `brew install redis`) " +
  "and one is started on a free port, or start one yourself and point at it: " +
  "`redis-server --port 6390 --save '' --appendonly no --daemonize yes` then " +
  "`OCTO_REDIS_URL=redis://127.0.0.1:6390`.";

/** Pings `url` up to `attempts` times, 100 ms apart: `undefined` once it answers, else the last error. */
async function ping(url: string, attempts: number): Promise<string | undefined> {
  let lastError = "no answer";
  for (let i = 0; i < attempts; i++) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.ping();
      return undefined;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    } finally {
      client.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return lastError;
}

/** OCTO_REDIS_URL, or a redis-server of its own; `stop()` stops the one it started (and nothing else). */
export async function localRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = process.env.OCTO_REDIS_URL;
  if (given) {
    const failure = await ping(given, 10);
    if (failure !== undefined) {
      throw new Error(
        `OCTO_REDIS_URL is set but Redis does not answer there (${failure}). ${HOW_TO_GET_REDIS}`,
      );
    }
    return { url: given, stop: async () => {} };
  }
  if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status !== 0) {
    throw new Error(`redis-server was not found and OCTO_REDIS_URL is not set. ${HOW_TO_GET_REDIS}`);
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${port}`;
  const failure = await ping(url, 50);
  if (failure !== undefined) {
    child.kill();
    throw new Error(`the redis-server started here did not answer (${failure}). ${HOW_TO_GET_REDIS}`);
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

/** Deletes every key under `prefix` (`<prefix>:*`) through `redis`, a SCAN at a time. */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
}
