// everything of core, so that handlers, their types and the errors need no second import (as every adapter does)
export * from "@octo-webhooks/core";
export {
  createOctoQueue,
  type OctoQueue,
  type OctoQueueOptions,
  type OctoQueueReceiverOptions,
} from "./create-octo-queue.ts";
export { createOctoWorker, type OctoWorker, type OctoWorkerOptions } from "./create-octo-worker.ts";
export { createRedisLog, type RedisLog, type RedisLogOptions } from "./create-redis-log.ts";
export { createRedisStore, type RedisStore, type RedisStoreOptions } from "./create-redis-store.ts";
export { type DeadLetter, jobIdOf, type OctoJobData, type OctoJobResult } from "./job.ts";
export type { RedisConnectionOption } from "./open-redis.ts";
