/** What a job carries: the delivery as received, its key, and the headers you chose to forward. */
export interface OctoJobData {
  /** The body as the sender sent it (or re-serialised, when a body parser had parsed it first). */
  body: string;
  /** The delivery key (`context.deliveryKey`): the same for every retry of the delivery. */
  key: string;
  /** The request headers named in `forwardHeaders`, if any. */
  headers?: Record<string, string>;
  /** The supplier that sent it (`context.supplier`, with core's `suppliers` option), passed on to handlers. */
  supplier?: string;
  /**
   * Where the body came from when it is not the supplier's delivery (`receive()`'s `source`:
   * `"reconciliation"` or `"replay"`), passed on to handlers as `context.source`.
   */
  source?: "reconciliation" | "replay";
  /** The receiver's trace context (W3C `traceparent`, `tracestate`), when `@opentelemetry/api` is installed and a span was active. */
  trace?: Record<string, string>;
  /**
   * The resource whose updates run one at a time and in order (`booking:<uuid>`, `order:<id>`,
   * `product:<id>`, after `<supplier>/`), when the queue orders them (`ordering: "resource"`).
   */
  resource?: string;
  /** A replay asked to apply again (`receive(body, { force: true })`): the worker passes `force` on. */
  force?: boolean;
}

/** What a completed job returns (core's `receive()` result). */
export interface OctoJobResult {
  event: string;
  handlers: number;
  /**
   * Why no handler ran: a duplicate, a stale update, the resource last applied again (`"unchanged"`), or
   * a notification whose resource the supplier does not have.
   */
  skipped?: "duplicate" | "stale" | "unchanged" | "notFound";
}

/** A delivery whose job failed after its last attempt (or was refused): kept until re-driven or removed. */
export interface DeadLetter {
  jobId: string;
  deliveryKey: string;
  /** The event it was enqueued as (`booking_update`...). */
  event: string;
  /** The supplier that sent it (`context.supplier`, with core's `suppliers` option). */
  supplier?: string;
  /** The body as received. */
  body: string;
  /** The last error's message. */
  failedReason: string;
  attemptsMade: number;
  enqueuedAt: Date;
  failedAt: Date | undefined;
}

export const DEFAULT_QUEUE_NAME = "octo-webhooks";

/**
 * The BullMQ job id of a delivery: its key with a prefix, because BullMQ refuses custom ids that read as
 * an integer (a 16-hex-digit key is all decimal digits about once in 2,000 deliveries), and its supplier
 * after it when it has one (`context.supplier`), so that the same body from two suppliers is two jobs.
 *
 * @example
 * ```ts
 * const job = await queue.getJob(jobIdOf(context.deliveryKey, context.supplier));
 * ```
 */
export const jobIdOf = (deliveryKey: string, supplier?: string): string =>
  supplier === undefined ? `octo-${deliveryKey}` : `octo-${deliveryKey}-${supplier}`;

/** The fields of a BullMQ job that a dead letter reads. */
export interface JobLike {
  id?: string | undefined;
  name: string;
  data: OctoJobData;
  failedReason?: string | undefined;
  attemptsMade: number;
  timestamp: number;
  finishedOn?: number | undefined;
}

export function toDeadLetter(job: JobLike): DeadLetter {
  return {
    jobId: job.id ?? "",
    deliveryKey: job.data?.key ?? "",
    event: job.name,
    ...(job.data?.supplier === undefined ? {} : { supplier: job.data.supplier }),
    body: job.data?.body ?? "",
    failedReason: job.failedReason ?? "",
    attemptsMade: job.attemptsMade,
    enqueuedAt: new Date(job.timestamp),
    failedAt: job.finishedOn === undefined ? undefined : new Date(job.finishedOn),
  };
}
