// Vitest global setup: the tests run against a real PostgreSQL (see postgres.ts), given to them as
// `postgresUrl`. Without one (no OCTO_POSTGRES_URL, no PostgreSQL server installed), the tests that need it
// are skipped with the reason (and how to get PostgreSQL) printed, and every other test runs; with
// OCTO_REQUIRE_POSTGRES=1 (CI, which installs PostgreSQL) its absence fails the run instead, as does an
// OCTO_POSTGRES_URL where PostgreSQL does not answer.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { localPostgres } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The PostgreSQL to test against, or `""` when there is none (the tests needing it are then skipped). */
    postgresUrl: string;
  }
}

/** Where the reason is left for scripts/run-tests.mjs, which repeats it under its closing line. */
export const skipReasonFile = join(import.meta.dirname, "../node_modules/.octo-test-skips/postgres.txt");

export default async function setup(project: TestProject) {
  try {
    const postgres = await localPostgres();
    project.provide("postgresUrl", postgres.url);
    return () => postgres.stop();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // asked for (CI, or a URL given that does not answer): an error, not a skip
    if (process.env.OCTO_REQUIRE_POSTGRES === "1") {
      throw new Error(`OCTO_REQUIRE_POSTGRES=1 and there is no PostgreSQL: ${reason}`);
    }
    if (process.env.OCTO_POSTGRES_URL) throw error;
    const message = `@octo-webhooks/postgres: the tests that need PostgreSQL are SKIPPED. ${reason}`;
    console.warn(`\n${message}\n`);
    mkdirSync(join(skipReasonFile, ".."), { recursive: true });
    writeFileSync(skipReasonFile, `${message}\n`);
    project.provide("postgresUrl", "");
    return undefined;
  }
}
