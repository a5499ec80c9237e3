import { randomUUID } from "node:crypto";
import type { SendMessageCommandInput, SQSClient } from "@aws-sdk/client-sqs";
import {
  type AnyOctoEvent,
  type HandlerContext,
  NonRetryableError,
  OctoWebhooksError,
  type OctoWebhooksOptions,
} from "@octo-webhooks/core";
import { SETTING_OPTIONS } from "@octo-webhooks/core/adapter";
import { type OctoLambdaHandler, type OctoLambdaInvocation, octoWebhooksHandler } from "./index.ts";
import type { OctoBodyStore } from "./octo-webhooks-sqs-handler.ts";
import {
  bodyRef,
  type DeliveryAttributes,
  messageAttributes,
  messageBytes,
  messageGroupOf,
  sqsId,
  sqsSafe,
} from "./sqs-message.ts";

const PREFIX = "[@octo-webhooks/aws-lambda]";

/**
 * SQS's default largest message: 256 KiB (262,144 bytes), the default of `maxMessageBytes`. A queue can
 * be set to take up to 1 MiB (`MaximumMessageSize`).
 *
 * @example
 * ```ts
 * // a queue whose MaximumMessageSize was raised to 1 MiB
 * octoSqsReceiver({ queueUrl, auth, maxMessageBytes: 4 * SQS_DEFAULT_MAX_MESSAGE_BYTES });
 * ```
 */
export const SQS_DEFAULT_MAX_MESSAGE_BYTES = 262_144;

/** Core's settings the receiver takes: not the handlers (they run in the SQS handler), nor what the queue decides. */
type ReceiverSettings = Pick<
  OctoWebhooksOptions<OctoLambdaInvocation>,
  | "auth"
  | "suppliers"
  | "allowFrom"
  | "trustProxy"
  | "supplierCacheMs"
  | "maxBodyBytes"
  | "bodyTimeoutMs"
  | "validation"
  | "unknownEvents"
  | "realm"
  | "logger"
  | "telemetry"
  | "log"
  | "onError"
>;

/** Options of {@link octoSqsReceiver}: the queue, core's settings (auth, suppliers, validation...) and `path`. */
export interface OctoSqsReceiverOptions extends ReceiverSettings {
  /** The queue's URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`); a name ending in `.fifo` is a FIFO queue. */
  queueUrl: string;
  /**
   * The SQS client (default: `new SQSClient({})`, its region and credentials from the function's
   * environment, made on the first delivery).
   */
  client?: Pick<SQSClient, "send">;
  /**
   * A FIFO queue (default: when `queueUrl` ends in `.fifo`): each message's group is the booking, order
   * or product it updates and its deduplication id its delivery key, so that SQS hands one resource's
   * updates over one at a time and in order, and drops a re-send within 5 minutes.
   */
  fifo?: boolean;
  /**
   * The largest message sent, in bytes: the queue's `MaximumMessageSize` (default 262,144, SQS's
   * default; a queue can be set to take up to 1,048,576). A delivery whose message would be larger (its
   * body plus about 100 bytes of attributes) goes to `bodies`, or gets 413.
   */
  maxMessageBytes?: number;
  /**
   * Where a delivery too large for one message is kept (an S3 bucket, a DynamoDB table...: see
   * {@link OctoBodyStore}); only its key is queued, and the SQS handler reads it back and deletes it once
   * the handlers succeeded. Without it such a delivery gets 413.
   */
  bodies?: OctoBodyStore;
  /** The path answered; other paths get 404. Default: any path. */
  path?: string;
  /**
   * Longest wait for SQS (and `bodies`), in ms (default 1,500): past it, or when SQS refuses, the sender
   * gets 503 + `Retry-After` and retries, well before its own timeout (2 s for some).
   */
  timeoutMs?: number;
}

const OWN_OPTIONS = ["queueUrl", "client", "fifo", "maxMessageBytes", "bodies", "path", "timeoutMs"];
const QUEUE_DECIDES = new Set<string>(["ackFirst", "dedupe", "staleGuard", "store", "hydrate"]);
const RECEIVER_OPTIONS = new Set<string>([
  ...SETTING_OPTIONS.filter((name) => !QUEUE_DECIDES.has(name)),
  "onError",
  ...OWN_OPTIONS,
]);

function configError(message: string): never {
  const error = new OctoWebhooksError("CONFIG_INVALID", message);
  error.message = `${PREFIX} ${message}`;
  throw error;
}

const positiveInteger = (value: unknown, name: string, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    configError(`\`${name}\` must be a positive integer`);
  }
  return value;
};

/**
 * The AWS SDK's SQS client, loaded on the first delivery: the entry loads without it (an SQS handler
 * function needs none), and the Node.js runtimes of Lambda include it.
 */
let sdk: Promise<typeof import("@aws-sdk/client-sqs")> | undefined;
const loadSdk = () => {
  sdk ??= import("@aws-sdk/client-sqs").catch((error: unknown) => {
    sdk = undefined;
    throw new Error("@aws-sdk/client-sqs could not be loaded: install it beside @octo-webhooks/aws-lambda", {
      cause: error,
    });
  });
  return sdk;
};

/** `run(signal)`, aborted and rejected once `ms` have passed without it settling. */
async function withTimeout<T>(run: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([run(controller.signal), timeout]).finally(() => clearTimeout(timer));
}

/**
 * A Lambda handler (API Gateway, Function URL or ALB, as {@link octoWebhooksHandler}) that hands each
 * OCTO delivery to Amazon SQS: core validates and authenticates it, then it is sent to the queue, and
 * the sender gets 200 only once SQS accepted it (503 + `Retry-After` when SQS refuses or takes longer
 * than `timeoutMs`, so that the sender retries). The handlers run in {@link octoWebhooksSqsHandler}.
 * On a FIFO queue each message's `MessageGroupId` is its booking's, order's or product's id and its
 * `MessageDeduplicationId` its delivery key. A delivery too large for a message is kept in `bodies` with
 * only its key queued, or, without `bodies`, refused with 413.
 *
 * @example
 * ```ts
 * import { octoSqsReceiver } from "@octo-webhooks/aws-lambda/sqs";
 *
 * export const handler = octoSqsReceiver({
 *   queueUrl: process.env.OCTO_QUEUE_URL!,
 *   path: "/webhooks/octo",
 *   auth: { basic: { username: "octo", password: process.env.OCTO_HOOK_PASS! } },
 * });
 * ```
 */
export function octoSqsReceiver(options: OctoSqsReceiverOptions): OctoLambdaHandler {
  if (typeof options !== "object" || options === null)
    configError("octoSqsReceiver() takes an options object");
  const refused = Object.keys(options).filter(
    (key) => !RECEIVER_OPTIONS.has(key) && options[key as keyof typeof options] !== undefined,
  );
  if (refused.length > 0) {
    configError(
      `octoSqsReceiver() does not take ${refused.map((k) => `\`${k}\``).join(", ")}: handlers, \`dedupe\`, ` +
        "`staleGuard`, `store` and `hydrate` belong to octoWebhooksSqsHandler(), and the answer waits for SQS (no `ackFirst`)",
    );
  }
  const {
    queueUrl,
    client: given,
    fifo: fifoOption,
    maxMessageBytes: max,
    bodies,
    timeoutMs: timeout,
    ...core
  } = options;
  if (typeof queueUrl !== "string" || !/^https?:\/\/\S+$/.test(queueUrl)) {
    configError("`queueUrl` must be the queue's URL (https://sqs.<region>.amazonaws.com/<account>/<name>)");
  }
  if (given !== undefined && typeof given?.send !== "function") configError("`client` must be an SQSClient");
  if (bodies !== undefined && (typeof bodies?.put !== "function" || typeof bodies.get !== "function")) {
    configError("`bodies` must have `put(key, body)` and `get(key)`");
  }
  const fifo = fifoOption ?? queueUrl.endsWith(".fifo");
  const maxMessageBytes = positiveInteger(max, "maxMessageBytes", SQS_DEFAULT_MAX_MESSAGE_BYTES);
  const timeoutMs = positiveInteger(timeout, "timeoutMs", 1500);
  let client: Pick<SQSClient, "send"> | undefined = given;
  // loaded while the function initialises, not by the first delivery (a failure is reported then)
  void loadSdk().catch(() => {});

  const unavailable = (what: string, event: string, error: unknown) => {
    const message = `could not ${what} the ${event} delivery (${error instanceof Error ? error.message : "SQS failed"}); answered 503 so that the sender retries`;
    const failure = new OctoWebhooksError("STORE_UNAVAILABLE", message, { cause: error });
    failure.message = `${PREFIX} ${message}`;
    return failure;
  };

  const send = async (payload: AnyOctoEvent, context: HandlerContext): Promise<void> => {
    const delivery: DeliveryAttributes = { key: context.deliveryKey, event: context.event };
    if (context.supplier !== undefined) delivery.supplier = context.supplier;
    if (context.source === "reconciliation" || context.source === "replay") delivery.source = context.source;
    let body = sqsSafe(context.rawBody ?? JSON.stringify(payload));
    let attributes = messageAttributes(delivery);
    const bytes = messageBytes(body, attributes);
    if (bytes > maxMessageBytes) {
      if (bodies === undefined) {
        throw new NonRetryableError(
          `this ${context.event} delivery is ${bytes} bytes as an SQS message, over the ${maxMessageBytes} bytes the queue takes (\`maxMessageBytes\`); the receiver can keep larger bodies elsewhere (\`bodies\`)`,
          { status: 413 },
        );
      }
      const ref = bodyRef(delivery.key, delivery.supplier);
      const kept = body;
      try {
        await withTimeout(() => bodies.put(ref, kept), timeoutMs);
      } catch (error) {
        throw unavailable("keep the body of", context.event, error);
      }
      body = ref;
      attributes = messageAttributes({ ...delivery, ref });
    }
    // a thin notification is the same for every change of its resource: a FIFO queue must not take the
    // next one for a re-send of the last
    const unique = context.event === "notification" ? `${delivery.key}-${randomUUID()}` : delivery.key;
    const deduplicationId = sqsId(
      delivery.supplier === undefined ? unique : `${unique}-${delivery.supplier}`,
    );
    const input: SendMessageCommandInput = {
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageAttributes: attributes,
      ...(fifo
        ? {
            MessageGroupId: messageGroupOf(payload, context, deduplicationId),
            MessageDeduplicationId: deduplicationId,
          }
        : {}),
    };
    try {
      const { SendMessageCommand, SQSClient } = await loadSdk();
      client ??= new SQSClient({});
      const sending = client;
      await withTimeout(
        (abortSignal) => sending.send(new SendMessageCommand(input), { abortSignal }),
        timeoutMs,
      );
    } catch (error) {
      throw unavailable("enqueue", context.event, error);
    }
  };
  return octoWebhooksHandler({ ...core, onAny: send });
}
