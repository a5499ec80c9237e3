// what worker handlers are written with, so that one import is enough
export type {
  AnyOctoEvent,
  Availability,
  AvailabilityUpdateEvent,
  AvailabilityUpdateHandler,
  Booking,
  BookingLifecyclePayload,
  BookingUpdateEvent,
  BookingUpdateHandler,
  DeliveryStore,
  Diff,
  DiffEntry,
  HandlerContext,
  LifecycleHandler,
  Logger,
  OctoHandler,
  UnknownEvent,
  Webhook,
  WithVendorFields,
} from "@octo-webhooks/core";
export {
  NonRetryableError,
  OctoHandlerError,
  OctoRequestError,
  OctoWebhooksError,
} from "@octo-webhooks/core";
export {
  createOctoQueue,
  type OctoQueue,
  type OctoQueueOptions,
  type OctoQueueReceiverOptions,
} from "./create-octo-queue.ts";
export { createOctoWorker, type OctoWorker, type OctoWorkerOptions } from "./create-octo-worker.ts";
export { createRedisStore, type RedisStore, type RedisStoreOptions } from "./create-redis-store.ts";
export { type DeadLetter, jobIdOf, type OctoJobData, type OctoJobResult } from "./job.ts";
export type { RedisConnectionOption } from "./open-redis.ts";
