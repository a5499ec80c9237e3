import { randomBytes } from "node:crypto";
import { dropSchemas } from "@octo-webhooks/test-helpers/postgres";
// the `postgresUrl` the global setup provides (its `ProvidedContext` declaration)
import type {} from "@octo-webhooks/test-helpers/postgres-setup";
import pg from "pg";
import { describe, inject } from "vitest";

export { capturingLogger } from "@octo-webhooks/test-helpers";

/** The PostgreSQL the tests run against (see @octo-webhooks/test-helpers/postgres-setup), or `""` when there is none. */
export const postgresUrl = inject("postgresUrl");

/** `describe` for tests that need PostgreSQL: skipped without one (the setup has printed why). */
export const describeWithPostgres = describe.skipIf(postgresUrl === "");

/** A schema of its own for one test file (and its `_jobs` twin); `cleanup()` drops both. */
export function testSchema() {
  const schema = `octo_test_${randomBytes(4).toString("hex")}`;
  return {
    schema,
    jobs: `${schema}_jobs`,
    async cleanup() {
      if (postgresUrl === "") return; // no PostgreSQL: the tests that wrote there were skipped
      await dropSchemas(postgresUrl, schema, `${schema}_jobs`);
    },
  };
}

/** One query on a connection of its own (what another process would see: committed rows only). */
export async function sql<R extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
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
