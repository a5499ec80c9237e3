/**
 * A durable hand-off of OCTO webhooks on Cloudflare Workers: {@link octoQueueReceiver} answers the
 * sender once a delivery is in a Cloudflare Queue, {@link octoQueueConsumer} runs the typed handlers
 * from the queue (retries, a dead-letter queue), and {@link durableObjectStore} (over
 * {@link OctoStoreObject}) keeps `dedupe` and `staleGuard` state shared by every isolate. No `node:`
 * imports; everything `@octo-webhooks/core` exports is re-exported.
 *
 * @packageDocumentation
 */
export * from "@octo-webhooks/core";
export { type DurableObjectStoreOptions, durableObjectStore } from "./durable-object-store.ts";
export {
  type OctoDeadLetter,
  type OctoQueueConsumer,
  type OctoQueueConsumerOptions,
  octoQueueConsumer,
} from "./octo-queue-consumer.ts";
export {
  type OctoQueueReceiver,
  type OctoQueueReceiverOptions,
  octoQueueReceiver,
  QUEUES_MAX_MESSAGE_BYTES,
} from "./octo-queue-receiver.ts";
export { OctoStoreObject, type StoreCall } from "./octo-store-object.ts";
export type { OctoQueueMessage } from "./queue-message.ts";
export type {
  BodyBucketLike,
  DurableObjectNamespaceLike,
  DurableObjectStateLike,
  DurableObjectStorageLike,
  DurableObjectStubLike,
  MessageBatchLike,
  QueueLike,
  QueueMessageLike,
} from "./workers-types.ts";
