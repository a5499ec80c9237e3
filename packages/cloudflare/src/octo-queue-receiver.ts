import {
  type AnyOctoEvent,
  createOctoWebhooks,
  type ExecutionContextLike,
  type HandlerContext,
  NonRetryableError,
  type OctoWebhooks,
  type OctoWebhooksOptions,
} from "@octo-webhooks/core";
import { SETTING_OPTIONS } from "@octo-webhooks/core/adapter";
import { isBodyBucket } from "./body-bucket.ts";
import { cloudflareError, configError, messageOf, positiveInteger, withTimeout } from "./errors.ts";
import { perEnv } from "./per-env.ts";
import { bodyRef, messageBytes, type OctoQueueMessage, toQueueMessage } from "./queue-message.ts";
import type { BodyBucketLike, QueueLike } from "./workers-types.ts";

/**
 * The largest message Cloudflare Queues takes: 128 KB (128,000 bytes), the default of `maxMessageBytes`.
 *
 * @example
 * ```ts
 * const fits = (message: string) => new TextEncoder().encode(message).byteLength <= QUEUES_MAX_MESSAGE_BYTES;
 * ```
 */
export const QUEUES_MAX_MESSAGE_BYTES = 128_000;

/** Core's settings the receiver takes: not the handlers (they run in the consumer), nor what the queue decides. */
type ReceiverSettings<Env> = Pick<
  OctoWebhooksOptions<Env>,
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

/**
 * What the function given to {@link octoQueueReceiver} returns for an `env`: the Queue binding, core's
 * settings (auth, suppliers, validation...; handlers belong to the consumer) and where bodies too large
 * for a message go.
 */
export interface OctoQueueReceiverOptions<Env = unknown> extends ReceiverSettings<Env> {
  /** The Queue producer binding each delivery is sent to (`env.OCTO_QUEUE`). */
  queue: QueueLike;
  /**
   * Where a delivery too large for one message is kept (an R2 bucket or a KV namespace binding): its
   * body goes there under `octo-webhooks/<delivery key>`, and only that key is queued; the consumer reads
   * it back and deletes it once the handlers succeeded. Without it such a delivery gets 413.
   */
  bodies?: BodyBucketLike;
  /** The path `fetch` answers (a `:supplier` segment names the supplier); other paths get 404. Default: any path. */
  path?: string;
  /**
   * The largest message sent, in bytes (default 128,000: what Cloudflare Queues takes). A delivery whose
   * message would be larger (its body as JSON text, plus about 100 bytes) goes to `bodies`, or gets 413.
   */
  maxMessageBytes?: number;
  /**
   * Longest wait for the queue (and `bodies`), in ms (default 1,500): past it, or when the send fails,
   * the sender gets 503 + `Retry-After` and retries, well before its own timeout (2 s for some).
   */
  timeoutMs?: number;
}

/** What {@link octoQueueReceiver} returns: a Worker `fetch` handler. */
export interface OctoQueueReceiver<Env = unknown> {
  /**
   * Receives a delivery: validated and authenticated by core, then sent to the queue; 200 once the
   * queue has it. `export default { fetch: receiver.fetch }`, or from a Hono route:
   * `(c) => receiver.fetch(c.req.raw, c.env, c.executionCtx)`.
   */
  fetch(request: Request, env: Env, context?: ExecutionContextLike): Promise<Response>;
  /** The core receiver built for `env` (on first use), for `receive()` or `lastDelivery()`. */
  webhooks(env: Env): OctoWebhooks<Env>;
}

const OWN_OPTIONS = ["queue", "bodies", "path", "maxMessageBytes", "timeoutMs"];
const QUEUE_DECIDES = new Set<string>(["ackFirst", "dedupe", "staleGuard", "store", "hydrate"]);
const RECEIVER_OPTIONS = new Set<string>([
  ...SETTING_OPTIONS.filter((name) => !QUEUE_DECIDES.has(name)),
  "onError",
  ...OWN_OPTIONS,
]);

function receiverFor<Env>(options: OctoQueueReceiverOptions<Env>): OctoWebhooks<Env> {
  if (typeof options !== "object" || options === null) {
    configError("the function given to octoQueueReceiver() must return an options object");
  }
  const refused = Object.keys(options).filter(
    (key) => !RECEIVER_OPTIONS.has(key) && options[key as keyof typeof options] !== undefined,
  );
  if (refused.length > 0) {
    configError(
      `octoQueueReceiver() does not take ${refused.map((k) => `\`${k}\``).join(", ")}: handlers, \`dedupe\`, ` +
        "`staleGuard`, `store` and `hydrate` belong to octoQueueConsumer(), and the answer waits for the queue (no `ackFirst`)",
    );
  }
  const { queue, bodies, maxMessageBytes: maxBytes, timeoutMs: timeout, ...core } = options;
  if (typeof queue?.send !== "function") {
    configError("`queue` must be a Queue producer binding (env.OCTO_QUEUE), with `send()`");
  }
  if (bodies !== undefined && !isBodyBucket(bodies)) {
    configError("`bodies` must be an R2 bucket or a KV namespace binding (with `put`, `get` and `delete`)");
  }
  const maxMessageBytes = positiveInteger(maxBytes, "maxMessageBytes", QUEUES_MAX_MESSAGE_BYTES);
  const timeoutMs = positiveInteger(timeout, "timeoutMs", 1500);

  const unavailable = (what: string, event: string, error: unknown) =>
    cloudflareError(
      "STORE_UNAVAILABLE",
      `could not ${what} the ${event} delivery (${messageOf(error)}); answered 503 so that the sender retries`,
      error,
    );

  const send = async (payload: AnyOctoEvent, context: HandlerContext): Promise<void> => {
    let message: OctoQueueMessage = toQueueMessage(payload, context);
    const bytes = messageBytes(message);
    if (bytes > maxMessageBytes) {
      if (bodies === undefined) {
        throw new NonRetryableError(
          `this ${context.event} delivery is ${bytes} bytes as a queue message, over the ${maxMessageBytes} bytes a Cloudflare Queues message holds; the receiver can keep larger bodies in R2 or KV (\`bodies\`)`,
          { status: 413 },
        );
      }
      const { body, ...rest } = message;
      message = { ...rest, ref: bodyRef(message) };
      try {
        await withTimeout(bodies.put(message.ref as string, body as string), timeoutMs);
      } catch (error) {
        throw unavailable("keep the body of", context.event, error);
      }
    }
    try {
      await withTimeout(queue.send(message, { contentType: "json" }), timeoutMs);
    } catch (error) {
      throw unavailable("enqueue", context.event, error);
    }
  };
  return createOctoWebhooks<Env>({ ...core, onAny: send });
}

/**
 * A Worker `fetch` handler that hands each OCTO delivery to a Cloudflare Queue: core validates and
 * authenticates it, then it is sent to the queue, and the sender gets 200 only once the queue has it
 * (503 + `Retry-After` when the send fails or takes longer than `timeoutMs`, so that the sender
 * retries). The handlers run in {@link octoQueueConsumer}, with retries and a dead-letter queue.
 * A delivery too large for a queue message (128 KB) is kept in `bodies` (R2 or KV) with only its key
 * queued, or, without `bodies`, refused with 413.
 *
 * Bindings reach a Worker with each request, so the options are a function of `env`, called once per
 * `env` object.
 *
 * @example
 * ```ts
 * import { octoQueueConsumer, octoQueueReceiver, type QueueLike } from "@octo-webhooks/cloudflare";
 *
 * type Env = { OCTO_QUEUE: QueueLike; OCTO_HOOK_PASS: string };
 * const receiver = octoQueueReceiver((env: Env) => ({
 *   queue: env.OCTO_QUEUE,
 *   path: "/webhooks/octo",
 *   auth: { basic: { username: "octo", password: env.OCTO_HOOK_PASS } },
 * }));
 * const consumer = octoQueueConsumer((env: Env) => ({
 *   onBookingCancelled: async ({ booking }) => console.log("cancelled", booking.uuid),
 * }));
 * export default { fetch: receiver.fetch, queue: consumer.queue };
 * ```
 */
export function octoQueueReceiver<Env = unknown>(
  options: (env: Env) => OctoQueueReceiverOptions<Env>,
): OctoQueueReceiver<Env> {
  if (typeof options !== "function") {
    configError(
      "octoQueueReceiver() takes a function of the Worker's env that returns the options: (env) => ({ queue: env.OCTO_QUEUE, auth })",
    );
  }
  const webhooks = perEnv((env: Env) => receiverFor<Env>(options(env)));
  return {
    async fetch(request, env, context) {
      return webhooks(env).fetch(request, env, context);
    },
    webhooks,
  };
}
