// Vitest global setup of the faults project: a real Redis (the bullmq package's setup: OCTO_REDIS_URL or a
// redis-server of its own), a real PostgreSQL for the postgres scenarios (the postgres package's setup:
// OCTO_POSTGRES_URL or a throwaway cluster), and src/app.ts bundled once so that the scenarios' processes
// start quickly.

import postgresSetup from "@octo-webhooks/test-helpers/postgres-setup";
import redisSetup from "@octo-webhooks/test-helpers/redis-setup";
import type { TestProject } from "vitest/node";
import { bundleApp } from "../src/bundle.ts";

export default async function setup(project: TestProject) {
  await bundleApp();
  const stopRedis = await redisSetup(project);
  const stopPostgres = await postgresSetup(project);
  return async () => {
    await stopPostgres?.();
    await stopRedis?.();
  };
}
