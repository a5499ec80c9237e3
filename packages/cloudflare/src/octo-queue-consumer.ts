import {
  createOctoWebhooks,
  type DedupeOptions,
  type DeliveryHookOptions,
  type DeliveryStore,
  type ExecutionContextLike,
  type HydrateOption,
  type LifecycleHandlerOptions,
  type Logger,
  NonRetryableError,
  OctoHandlerError,
  type OctoHandlerOptions,
  OctoRequestError,
  type OctoTelemetry,
  type OctoWebhooks,
  type OctoWebhooksOptions,
  type StaleGuardOptions,
} from "@octo-webhooks/core";
import { isBodyBucket, readBody } from "./body-bucket.ts";
import { configError, messageOf, PREFIX, positiveInteger } from "./errors.ts";
import { perEnv } from "./per-env.ts";
import { fromQueueMessage, type OctoQueueMessage } from "./queue-message.ts";
import type { BodyBucketLike, MessageBatchLike, QueueMessageLike } from "./workers-types.ts";

/** A delivery that failed for good: refused by the consumer, or out of retries (read from the dead-letter queue). */
export interface OctoDeadLetter {
  /** The queue message's id. */
  messageId: string;
  /** `"refused"`: a handler threw `NonRetryableError`, or core refused the body; it was acknowledged, not retried. `"exhausted"`: out of retries, read from the dead-letter queue. */
  reason: "refused" | "exhausted";
  /** The delivery key (empty for a message that is not a delivery). */
  deliveryKey: string;
  /** The event it was received as (`booking_update`...). */
  event: string;
  /** The supplier that sent it (`context.supplier`, with core's `suppliers` option). */
  supplier?: string;
  /** The body as received, when it could be read. */
  body: string | undefined;
  /** Why it was refused (`"refused"` only; the dead-letter queue does not carry why the retries failed). */
  failedReason?: string;
  /** How many times the message was delivered (to this queue: 1 for a dead letter read the first time). */
  attempts: number;
  /** When the message was sent to the queue it is read from. */
  enqueuedAt: Date;
}

/**
 * What the function given to {@link octoQueueConsumer} returns for an `env`: core's handlers and
 * lifecycle handlers, the store that `dedupe` and `staleGuard` share, and how failures are retried.
 */
export interface OctoQueueConsumerOptions
  extends OctoHandlerOptions,
    LifecycleHandlerOptions,
    DeliveryHookOptions {
  /**
   * Where `dedupe` and `staleGuard` keep their state: `durableObjectStore(env.OCTO_STORE)`, shared by
   * every isolate of the consumer. Default: core's memory store, one per isolate, which lets a duplicate
   * through when it reaches another isolate (Queues runs several consumers at once under load).
   */
  store?: DeliveryStore;
  /** Where the receiver kept bodies too large for a message (the same R2 bucket or KV namespace as its `bodies`). */
  bodies?: BodyBucketLike;
  /**
   * Duplicate suppression by delivery key (default on, 24 h): a delivery already processed is
   * acknowledged without running a handler, whether the sender re-sent it or the queue delivered its
   * message twice; one still running elsewhere is retried later.
   */
  dedupe?: boolean | DedupeOptions;
  /**
   * Skip an update older than one already applied to the same booking, order or product (default off).
   * Queues does not keep the order of messages: turn it on, with a shared `store`, when order matters.
   */
  staleGuard?: boolean | StaleGuardOptions;
  /** Core's validation mode for the bodies (default `"lenient"`). */
  validation?: OctoWebhooksOptions["validation"];
  /** Core's handling of events this version does not model (default `"accept"`). */
  unknownEvents?: "accept" | "reject";
  /** Fetches the resource of an OCTO notification (core's `hydrate`); a failure retries the message. */
  hydrate?: HydrateOption;
  /** Where handler failures are reported (default: warnings and errors to `console`). */
  logger?: Logger;
  /** Core's `telemetry` (`openTelemetry()` from `@octo-webhooks/core/otel`). */
  telemetry?: OctoTelemetry;
  /** Core's delivery log: one entry per run of a message's handlers. */
  log?: OctoWebhooksOptions["log"];
  /**
   * The delay before a failed message is delivered again, in seconds, or a function of how many times
   * it was delivered (`message.attempts`, 1 the first time). Default: the queue's own `retry_delay`.
   * Queues takes at most 43,200 (12 h).
   */
  retryDelaySeconds?: number | ((attempts: number) => number);
  /** Messages of a batch processed at once (default 10). */
  concurrency?: number;
  /**
   * The name of the dead-letter queue (the consumer's `dead_letter_queue`), when this Worker consumes
   * it too: its messages go to `onDeadLetter` (reason `"exhausted"`) and are acknowledged.
   */
  deadLetterQueue?: string;
  /** Sees each delivery that failed for good: refused here, or read from `deadLetterQueue`. */
  onDeadLetter?: (letter: OctoDeadLetter, error: Error | undefined) => unknown;
}

/** What {@link octoQueueConsumer} returns: a Worker `queue` handler. */
export interface OctoQueueConsumer<Env = unknown> {
  /** Processes a batch: `export default { fetch, queue: consumer.queue }`. Resolves once every message is acknowledged or retried. */
  queue(batch: MessageBatchLike, env: Env, context?: ExecutionContextLike): Promise<void>;
  /** The core receiver built for `env` (on first use): `remembered()`, or more handlers with `on()`. */
  webhooks(env: Env): OctoWebhooks;
}

/** Options of ours, not core's. */
const OWN_OPTIONS = new Set([
  "bodies",
  "retryDelaySeconds",
  "concurrency",
  "deadLetterQueue",
  "onDeadLetter",
]);
/** Core options that mean nothing once a delivery is in the queue. */
const RECEIVER_ONLY: Record<string, string> = {
  auth: "requests are authenticated by the receiver (octoQueueReceiver)",
  suppliers: "suppliers are identified by the receiver (octoQueueReceiver), whose messages carry them",
  allowFrom: "requests are checked by the receiver",
  trustProxy: "requests are checked by the receiver",
  maxBodyBytes: "bodies are read by the receiver",
  bodyTimeoutMs: "bodies are read by the receiver",
  realm: "requests are authenticated by the receiver",
  ackFirst: "a message is acknowledged once its handlers resolved",
  path: "the consumer reads messages, not requests",
};

/** Why a delivery must not be retried, or `undefined` when a retry may succeed. */
function finalFailure(error: unknown): string | undefined {
  if (error instanceof OctoHandlerError && error.errors.every((e) => e instanceof NonRetryableError)) {
    return `refused: ${(error.errors[0] as NonRetryableError).message}`;
  }
  if (
    error instanceof OctoRequestError &&
    error.code !== "STORE_UNAVAILABLE" &&
    error.code !== "DELIVERY_IN_PROGRESS" &&
    error.code !== "HYDRATION_FAILED"
  ) {
    return error.message;
  }
  return undefined;
}

interface Consumer {
  webhooks: OctoWebhooks;
  logger: Logger;
  process(message: QueueMessageLike, queue: string): Promise<void>;
  concurrency: number;
}

function consumerFor(options: OctoQueueConsumerOptions): Consumer {
  if (typeof options !== "object" || options === null) {
    configError("the function given to octoQueueConsumer() must return an options object");
  }
  const coreOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || OWN_OPTIONS.has(key)) continue;
    const why = RECEIVER_ONLY[key];
    if (why !== undefined) configError(`octoQueueConsumer() does not take \`${key}\`: ${why}`);
    coreOptions[key] = value;
  }
  const { bodies, retryDelaySeconds, deadLetterQueue, onDeadLetter } = options;
  if (bodies !== undefined && !isBodyBucket(bodies)) {
    configError("`bodies` must be an R2 bucket or a KV namespace binding (with `put`, `get` and `delete`)");
  }
  if (
    retryDelaySeconds !== undefined &&
    typeof retryDelaySeconds !== "function" &&
    !(Number.isInteger(retryDelaySeconds) && retryDelaySeconds >= 0 && retryDelaySeconds <= 43_200)
  ) {
    configError(
      "`retryDelaySeconds` must be a whole number of seconds from 0 to 43,200, or a function of the attempts",
    );
  }
  if (onDeadLetter !== undefined && typeof onDeadLetter !== "function") {
    configError("`onDeadLetter` must be a function");
  }
  const concurrency = positiveInteger(options.concurrency, "concurrency", 10);
  const logger: Logger = options.logger ?? console;
  const webhooks = createOctoWebhooks({ dedupe: true, ...coreOptions });

  const retry = (message: QueueMessageLike) => {
    const asked =
      typeof retryDelaySeconds === "function" ? retryDelaySeconds(message.attempts) : retryDelaySeconds;
    if (asked === undefined) return message.retry();
    message.retry({ delaySeconds: Math.min(43_200, Math.max(0, Math.round(asked))) });
  };
  const letterOf = (
    message: QueueMessageLike,
    delivery: OctoQueueMessage | undefined,
    body: string | undefined,
    reason: OctoDeadLetter["reason"],
    failedReason?: string,
  ): OctoDeadLetter => ({
    messageId: message.id,
    reason,
    deliveryKey: delivery?.key ?? "",
    event: delivery?.event ?? "",
    ...(delivery?.supplier === undefined ? {} : { supplier: delivery.supplier }),
    body,
    ...(failedReason === undefined ? {} : { failedReason }),
    attempts: message.attempts,
    enqueuedAt: message.timestamp,
  });
  const deadLetter = async (letter: OctoDeadLetter, error: Error | undefined) => {
    if (onDeadLetter === undefined) return;
    try {
      await onDeadLetter(letter, error);
    } catch (hookError) {
      logger.error?.(`${PREFIX} an onDeadLetter handler threw`, { error: hookError });
    }
  };
  const bodyOf = async (delivery: OctoQueueMessage): Promise<string | undefined> => {
    if (delivery.body !== undefined) return delivery.body;
    if (bodies === undefined) {
      throw new Error(
        `${PREFIX} the message of ${delivery.key} keeps its body in \`bodies\` (${delivery.ref}), and this consumer has no \`bodies\`: give it the receiver's`,
      );
    }
    return readBody(bodies, delivery.ref as string);
  };

  const process = async (message: QueueMessageLike, queue: string): Promise<void> => {
    const delivery = fromQueueMessage(message.body);
    if (queue === deadLetterQueue) {
      const body = delivery === undefined ? undefined : await bodyOf(delivery).catch(() => undefined);
      logger.error?.(
        `${PREFIX} message ${message.id} (${delivery?.event ?? "not a delivery"}) ran out of retries; it reached the dead-letter queue ${queue}`,
        { event: delivery?.event, deliveryKey: delivery?.key, supplier: delivery?.supplier },
      );
      await deadLetter(letterOf(message, delivery, body, "exhausted"), undefined);
      return message.ack();
    }
    if (delivery === undefined) {
      const reason = "not a message of octoQueueReceiver() (no key, event and body)";
      logger.error?.(`${PREFIX} message ${message.id} on ${queue} is ${reason}; acknowledged`, {});
      await deadLetter(letterOf(message, undefined, undefined, "refused", reason), undefined);
      return message.ack();
    }
    const fields = { event: delivery.event, deliveryKey: delivery.key, supplier: delivery.supplier };
    let body: string | undefined;
    try {
      body = await bodyOf(delivery);
      if (body === undefined) {
        // its body is deleted once its handlers succeeded: this is a re-delivery of a delivery done
        logger.info?.(
          `${PREFIX} the body of ${delivery.key} is gone (processed already); acknowledged`,
          fields,
        );
        return message.ack();
      }
      await webhooks.receive(body, {
        deliveryKey: delivery.key,
        ...(delivery.supplier === undefined ? {} : { supplier: delivery.supplier }),
        ...(delivery.source === undefined ? {} : { source: delivery.source }),
      });
    } catch (error) {
      const final = finalFailure(error);
      if (final === undefined) {
        logger.warn?.(
          `${PREFIX} the ${delivery.event} delivery ${delivery.key} failed (attempt ${message.attempts}); it is retried: ${messageOf(error)}`,
          { ...fields, error },
        );
        return retry(message);
      }
      logger.error?.(
        `${PREFIX} the ${delivery.event} delivery ${delivery.key} was refused (${final}); acknowledged, not retried`,
        { ...fields, error },
      );
      await deadLetter(
        letterOf(message, delivery, body, "refused", final),
        error instanceof Error ? error : undefined,
      );
      return message.ack();
    }
    message.ack();
    if (delivery.ref !== undefined && bodies !== undefined) {
      await bodies
        .delete(delivery.ref)
        .catch((error: unknown) =>
          logger.warn?.(`${PREFIX} could not delete ${delivery.ref} once processed`, { ...fields, error }),
        );
    }
  };
  return { webhooks, logger, process, concurrency };
}

/**
 * A Worker `queue` handler that runs the deliveries {@link octoQueueReceiver} queued through the same
 * typed handlers and lifecycle events as core (`onBookingUpdate`, `onBookingCancelled`,
 * `on("booking.amended", ...)`), each through core's `receive()` with its delivery key. A message whose
 * handlers resolved is acknowledged (`message.ack()`); one whose handlers threw is retried
 * (`message.retry()`, after `retryDelaySeconds` or the queue's `retry_delay`) until the queue's
 * `max_retries`, then moved by the queue to its `dead_letter_queue`. A refused delivery
 * (`NonRetryableError`, a body core refuses) is acknowledged and reported to `onDeadLetter`.
 * Duplicates are suppressed by delivery key in `store` (give it `durableObjectStore()` so that every
 * isolate shares it).
 *
 * @example
 * ```ts
 * import { durableObjectStore, octoQueueConsumer, type DurableObjectNamespaceLike } from "@octo-webhooks/cloudflare";
 * export { OctoStoreObject } from "@octo-webhooks/cloudflare";
 *
 * type Env = { OCTO_STORE: DurableObjectNamespaceLike };
 * const consumer = octoQueueConsumer((env: Env) => ({
 *   store: durableObjectStore(env.OCTO_STORE),
 *   staleGuard: true,
 *   retryDelaySeconds: (attempts) => Math.min(3600, 10 * 2 ** attempts),
 *   onBookingUpdate: async ({ booking }) => console.log(booking.uuid, booking.status),
 * }));
 * export default { queue: consumer.queue };
 * ```
 */
export function octoQueueConsumer<Env = unknown>(
  options: (env: Env) => OctoQueueConsumerOptions,
): OctoQueueConsumer<Env> {
  if (typeof options !== "function") {
    configError(
      "octoQueueConsumer() takes a function of the Worker's env that returns the options: (env) => ({ store: durableObjectStore(env.OCTO_STORE), onBookingUpdate })",
    );
  }
  const consumerOf = perEnv((env: Env) => consumerFor(options(env)));
  return {
    async queue(batch, env) {
      const consumer = consumerOf(env);
      const messages = [...batch.messages];
      const work = async () => {
        for (let message = messages.shift(); message !== undefined; message = messages.shift()) {
          try {
            await consumer.process(message, batch.queue);
          } catch (error) {
            // what process() does not expect (a dead-letter hook's store...): delivered again
            consumer.logger.error?.(`${PREFIX} message ${message.id} could not be processed; it is retried`, {
              error,
            });
            message.retry();
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(consumer.concurrency, messages.length) }, work));
    },
    webhooks: (env) => consumerOf(env).webhooks,
  };
}
