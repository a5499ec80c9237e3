/** What a job carries: the delivery as received, its key, and the headers you chose to forward. */
export interface OctoJobData {
  /** The event it was received as (`booking_update`...). */
  event: string;
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
  /** A replay asked to apply again (`receive(body, { force: true })`): the worker passes `force` on. */
  force?: boolean;
}

/** A delivery whose job failed after its last attempt (or was refused): kept until re-driven or deleted. */
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
  failedAt: Date;
}

export const DEFAULT_QUEUE_NAME = "octo-webhooks";

/**
 * The job id (graphile-worker's job key) of a delivery: its key with a prefix, and its supplier after it
 * when it has one (`context.supplier`), so that the same body from two suppliers is two jobs.
 *
 * @example
 * ```ts
 * const letters = await queue.deadLetters();
 * const mine = letters.find((letter) => letter.jobId === jobIdOf(context.deliveryKey, context.supplier));
 * ```
 */
export const jobIdOf = (deliveryKey: string, supplier?: string): string =>
  supplier === undefined ? `octo-${deliveryKey}` : `octo-${deliveryKey}-${supplier}`;

/** A dead letter's row. */
export interface DeadLetterRow {
  job_id: string;
  payload: Partial<OctoJobData>;
  failed_reason: string;
  attempts_made: number;
  enqueued_at: Date;
  failed_at: Date;
}

export function toDeadLetter(row: DeadLetterRow): DeadLetter {
  const data = row.payload ?? {};
  return {
    jobId: row.job_id,
    deliveryKey: typeof data.key === "string" ? data.key : "",
    event: typeof data.event === "string" ? data.event : "",
    ...(typeof data.supplier === "string" ? { supplier: data.supplier } : {}),
    body: typeof data.body === "string" ? data.body : "",
    failedReason: row.failed_reason,
    attemptsMade: row.attempts_made,
    enqueuedAt: new Date(row.enqueued_at),
    failedAt: new Date(row.failed_at),
  };
}
