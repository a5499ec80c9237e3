// Vitest global setup: the tests run against a real Redis (see local-redis.ts), given to them as `redisUrl`.
import type { TestProject } from "vitest/node";
import { localRedis } from "./local-redis.ts";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const redis = await localRedis();
  project.provide("redisUrl", redis.url);
  return () => redis.stop();
}
