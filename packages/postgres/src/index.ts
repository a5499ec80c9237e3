// everything of core, so that handlers, their types and the errors need no second import (as every adapter does)
export * from "@octo-webhooks/core";
export {
  createPostgresLog,
  type PostgresLog,
  type PostgresLogOptions,
} from "./create-postgres-log.ts";
export {
  createPostgresQueue,
  type PostgresQueue,
  type PostgresQueueOptions,
  type PostgresQueueReceiverOptions,
} from "./create-postgres-queue.ts";
export {
  createPostgresStore,
  type PostgresStore,
  type PostgresStoreOptions,
} from "./create-postgres-store.ts";
export {
  createPostgresWorker,
  type PostgresWorker,
  type PostgresWorkerOptions,
} from "./create-postgres-worker.ts";
export { type DeadLetter, jobIdOf, type OctoJobData } from "./job.ts";
export { type MigrateOptions, migrate } from "./migrate.ts";
export type { PostgresConnectionOption } from "./open-pool.ts";
