// Vitest global setup of the faults project: a real Redis (the bullmq package's setup: OCTO_REDIS_URL or a
// redis-server of its own), and src/app.ts bundled once so that the scenarios' processes start quickly.

import redisSetup from "@octo-webhooks/test-helpers/redis-setup";
import type { TestProject } from "vitest/node";
import { bundleApp } from "../src/bundle.ts";

export default async function setup(project: TestProject) {
  await bundleApp();
  return redisSetup(project);
}
