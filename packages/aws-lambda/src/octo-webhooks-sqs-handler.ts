import {
  createOctoWebhooks,
  type DedupeOptions,
  type DeliveryHookOptions,
  type DeliveryStore,
  type HydrateOption,
  type LifecycleHandlerOptions,
  type Logger,
  NonRetryableError,
  OctoHandlerError,
  type OctoHandlerOptions,
  OctoRequestError,
  type OctoTelemetry,
  type OctoWebhooks,
  OctoWebhooksError,
  type OctoWebhooksOptions,
  type StaleGuardOptions,
} from "@octo-webhooks/core";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { type DeliveryAttributes, readAttributes } from "./sqs-message.ts";

const PREFIX = "[@octo-webhooks/aws-lambda]";

/**
 * Where bodies too large for an SQS message are kept, given to the receiver and to the SQS handler
 * alike: an S3 bucket, a DynamoDB table... `get` resolves `undefined` (or `null`) for a key it does not
 * have; `delete`, when given, is called once the body's handlers succeeded.
 *
 * @example
 * ```ts
 * import type { OctoBodyStore } from "@octo-webhooks/aws-lambda/sqs";
 * const kept = new Map<string, string>(); // an S3 bucket in production: PutObject, GetObject, DeleteObject
 * const bodies: OctoBodyStore = {
 *   put: async (key, body) => void kept.set(key, body),
 *   get: async (key) => kept.get(key),
 *   delete: async (key) => void kept.delete(key),
 * };
 * ```
 */
export interface OctoBodyStore {
  put(key: string, body: string): Promise<unknown>;
  get(key: string): Promise<string | undefined | null>;
  delete?(key: string): Promise<unknown>;
}

/** A delivery the SQS handler refused: acknowledged (not retried), reported to `onDeadLetter`. */
export interface OctoSqsDeadLetter {
  /** The SQS message id. */
  messageId: string;
  /** The delivery key (empty for a message that is not a delivery). */
  deliveryKey: string;
  /** The event it was received as (`booking_update`...). */
  event: string;
  /** The supplier that sent it (`context.supplier`, with core's `suppliers` option). */
  supplier?: string;
  /** The body as received, when it could be read. */
  body: string | undefined;
  /** Why it was refused. */
  failedReason: string;
  /** How many times SQS delivered the message (`ApproximateReceiveCount`). */
  receiveCount: number;
}

/** Options of {@link octoWebhooksSqsHandler}: core's handlers and lifecycle handlers, the store, and what ends up a dead letter. */
export interface OctoSqsHandlerOptions
  extends OctoHandlerOptions,
    LifecycleHandlerOptions,
    DeliveryHookOptions {
  /**
   * Where `dedupe` and `staleGuard` keep their state. Lambda runs many instances of the function at
   * once, each with its own memory: give a store they share (`createRedisStore()` of
   * `@octo-webhooks/bullmq`, `createPostgresStore()` of `@octo-webhooks/postgres`, or your own
   * `DeliveryStore` on DynamoDB), or a duplicate reaching another instance runs again. Default: core's
   * memory store, one per instance.
   */
  store?: DeliveryStore;
  /** Where the receiver kept bodies too large for a message (the same `bodies` as the receiver's). */
  bodies?: OctoBodyStore;
  /**
   * Duplicate suppression by delivery key (default on, 24 h): a delivery already processed is
   * acknowledged without running a handler, whether the sender re-sent it or SQS delivered its message
   * twice; one still running elsewhere is reported failed, so that SQS delivers it again later.
   */
  dedupe?: boolean | DedupeOptions;
  /**
   * Skip an update older than one already applied to the same booking, order or product (default off).
   * A standard queue does not keep order: turn it on, with a shared `store`, when order matters.
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
  /** Messages of a batch processed at once (default 10); a FIFO queue's groups each one at a time. */
  concurrency?: number;
  /**
   * Sees each delivery refused here (a handler threw `NonRetryableError`, core refused the body, or the
   * message is not a delivery): it is acknowledged, not retried. Messages that keep failing are moved
   * by SQS to the queue's dead-letter queue (its redrive policy's `maxReceiveCount`) instead.
   */
  onDeadLetter?: (letter: OctoSqsDeadLetter, error: Error | undefined) => unknown;
}

/** The SQS handler, with the receiver it runs deliveries through (`.webhooks`: `on()`, `remembered()`). */
export type OctoSqsHandler = ((event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>) & {
  readonly webhooks: OctoWebhooks;
};

const OWN_OPTIONS = new Set(["bodies", "concurrency", "onDeadLetter"]);
/** Core options that mean nothing once a delivery is in the queue. */
const RECEIVER_ONLY: Record<string, string> = {
  auth: "requests are authenticated by the receiver (octoSqsReceiver)",
  suppliers: "suppliers are identified by the receiver (octoSqsReceiver), whose messages carry them",
  allowFrom: "requests are checked by the receiver",
  trustProxy: "requests are checked by the receiver",
  maxBodyBytes: "bodies are read by the receiver",
  bodyTimeoutMs: "bodies are read by the receiver",
  realm: "requests are authenticated by the receiver",
  ackFirst: "a message is acknowledged once its handlers resolved",
  path: "the SQS handler reads messages, not requests",
};

function configError(message: string): never {
  const error = new OctoWebhooksError("CONFIG_INVALID", message);
  error.message = `${PREFIX} ${message}`;
  throw error;
}

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

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A Lambda handler for an SQS event source that runs the deliveries {@link octoSqsReceiver} queued
 * through the same typed handlers and lifecycle events as core, each through core's `receive()` with its
 * delivery key, and returns the ids of the messages whose handlers failed as `batchItemFailures` (turn
 * on `ReportBatchItemFailures` on the event source mapping): SQS deletes the others and delivers those
 * again after the visibility timeout, until the redrive policy's `maxReceiveCount` moves them to the
 * dead-letter queue. On a FIFO queue, a message of a group that failed leaves the group's later messages
 * of the batch unprocessed (failed too), so that their order holds. Duplicates are suppressed by
 * delivery key in `store` (shared across instances: see its doc).
 *
 * @example
 * ```ts
 * import { octoWebhooksSqsHandler } from "@octo-webhooks/aws-lambda/sqs";
 *
 * export const handler = octoWebhooksSqsHandler({
 *   onBookingCancelled: async ({ booking }) => console.log("cancelled", booking.uuid),
 *   onDeadLetter: (letter) => console.error("refused", letter.deliveryKey, letter.failedReason),
 * });
 * ```
 */
export function octoWebhooksSqsHandler(options: OctoSqsHandlerOptions = {}): OctoSqsHandler {
  if (typeof options !== "object" || options === null)
    configError("octoWebhooksSqsHandler() takes an options object");
  const coreOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || OWN_OPTIONS.has(key)) continue;
    const why = RECEIVER_ONLY[key];
    if (why !== undefined) configError(`octoWebhooksSqsHandler() does not take \`${key}\`: ${why}`);
    coreOptions[key] = value;
  }
  const { bodies, onDeadLetter } = options;
  if (bodies !== undefined && (typeof bodies?.put !== "function" || typeof bodies.get !== "function")) {
    configError("`bodies` must have `put(key, body)` and `get(key)`");
  }
  if (onDeadLetter !== undefined && typeof onDeadLetter !== "function") {
    configError("`onDeadLetter` must be a function");
  }
  const concurrency = options.concurrency ?? 10;
  if (!Number.isInteger(concurrency) || concurrency <= 0)
    configError("`concurrency` must be a positive integer");
  const logger: Logger = options.logger ?? console;
  const webhooks = createOctoWebhooks({ dedupe: true, ...coreOptions });

  const refuse = async (
    record: SQSRecord,
    delivery: DeliveryAttributes | undefined,
    body: string | undefined,
    failedReason: string,
    error: unknown,
  ) => {
    logger.error?.(
      `${PREFIX} SQS message ${record.messageId} (${delivery?.event ?? "not a delivery"}) was refused (${failedReason}); it is acknowledged, not retried`,
      { event: delivery?.event, deliveryKey: delivery?.key, supplier: delivery?.supplier, error },
    );
    if (onDeadLetter === undefined) return;
    const letter: OctoSqsDeadLetter = {
      messageId: record.messageId,
      deliveryKey: delivery?.key ?? "",
      event: delivery?.event ?? "",
      ...(delivery?.supplier === undefined ? {} : { supplier: delivery.supplier }),
      body,
      failedReason,
      receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1),
    };
    try {
      await onDeadLetter(letter, error instanceof Error ? error : undefined);
    } catch (hookError) {
      logger.error?.(`${PREFIX} an onDeadLetter handler threw`, { error: hookError });
    }
  };

  /** Runs one record; resolves whether it succeeded (or ended for good). */
  const process = async (record: SQSRecord): Promise<boolean> => {
    const delivery = readAttributes(record.messageAttributes);
    if (delivery === undefined) {
      await refuse(
        record,
        undefined,
        record.body,
        "not a message of octoSqsReceiver() (no octo-key and octo-event attributes)",
        undefined,
      );
      return true;
    }
    const fields = { event: delivery.event, deliveryKey: delivery.key, supplier: delivery.supplier };
    let body: string | undefined;
    try {
      if (delivery.ref === undefined) body = record.body;
      else if (bodies === undefined) {
        throw new Error(
          `the message keeps its body in \`bodies\` (${delivery.ref}), and this handler has no \`bodies\``,
        );
      } else body = (await bodies.get(delivery.ref)) ?? undefined;
      if (body === undefined) {
        // its body is deleted once its handlers succeeded: this is a re-delivery of a delivery done
        logger.info?.(
          `${PREFIX} the body of ${delivery.key} is gone (processed already); acknowledged`,
          fields,
        );
        return true;
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
          `${PREFIX} the ${delivery.event} delivery ${delivery.key} failed (receive ${record.attributes?.ApproximateReceiveCount ?? "?"}); SQS delivers it again: ${messageOf(error)}`,
          { ...fields, error },
        );
        return false;
      }
      await refuse(record, delivery, body, final, error);
      return true;
    }
    if (delivery.ref !== undefined && bodies?.delete !== undefined) {
      await bodies
        .delete(delivery.ref)
        .catch((error: unknown) =>
          logger.warn?.(`${PREFIX} could not delete ${delivery.ref} once processed`, { ...fields, error }),
        );
    }
    return true;
  };

  const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const records = Array.isArray(event?.Records) ? event.Records : [];
    // a FIFO queue's records in order, by group; a standard queue's each a lane of its own
    const lanes = new Map<string, SQSRecord[]>();
    records.forEach((record, index) => {
      const fifo = record.eventSourceARN?.endsWith(".fifo") === true;
      const lane = fifo ? `group:${record.attributes?.MessageGroupId ?? ""}` : `record:${index}`;
      const list = lanes.get(lane);
      if (list === undefined) lanes.set(lane, [record]);
      else list.push(record);
    });
    const failed = new Set<string>();
    const pending = [...lanes.values()];
    const work = async () => {
      for (let lane = pending.shift(); lane !== undefined; lane = pending.shift()) {
        for (const [index, record] of lane.entries()) {
          let ok: boolean;
          try {
            ok = await process(record);
          } catch (error) {
            logger.error?.(
              `${PREFIX} SQS message ${record.messageId} could not be processed; SQS delivers it again`,
              { error },
            );
            ok = false;
          }
          if (ok) continue;
          // the rest of a FIFO group waits for this one: failed too, unprocessed
          for (const rest of lane.slice(index)) failed.add(rest.messageId);
          break;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, lanes.size) }, work));
    return {
      batchItemFailures: records
        .filter((record) => failed.has(record.messageId))
        .map((record) => ({ itemIdentifier: record.messageId })),
    };
  };
  return Object.assign(handler, { webhooks });
}
