// Vitest global setup: the tests run against a real Redis (see redis.ts), given to them as `redisUrl`.
// Without one (no OCTO_REDIS_URL, no redis-server on PATH), the tests that need it are skipped with the
// reason (and how to get Redis) printed, and every other test runs; with OCTO_REQUIRE_REDIS=1 (CI, which
// installs Redis) its absence fails the run instead, as does an OCTO_REDIS_URL where Redis does not answer.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { localRedis } from "./redis.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Redis to test against, or `""` when there is none (the tests needing it are then skipped). */
    redisUrl: string;
  }
}

/** Where the reason is left for scripts/run-tests.mjs, which repeats it under its closing line. */
export const skipReasonFile = join(import.meta.dirname, "../node_modules/.octo-test-skips/bullmq.txt");

export default async function setup(project: TestProject) {
  try {
    const redis = await localRedis();
    project.provide("redisUrl", redis.url);
    return () => redis.stop();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // asked for (CI, or a URL given that does not answer): an error, not a skip
    if (process.env.OCTO_REQUIRE_REDIS === "1") {
      throw new Error(`OCTO_REQUIRE_REDIS=1 and there is no Redis: ${reason}`);
    }
    if (process.env.OCTO_REDIS_URL) throw error;
    const message = `@octo-webhooks/bullmq: the tests that need Redis are SKIPPED. ${reason}`;
    console.warn(`\n${message}\n`);
    mkdirSync(join(skipReasonFile, ".."), { recursive: true });
    writeFileSync(skipReasonFile, `${message}\n`);
    project.provide("redisUrl", "");
    return undefined;
  }
}
