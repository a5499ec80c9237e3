// How a receiver reports what it did: the logger users give, and the fields every line carries second
// (documented in docs/observability.md). Types only.

/**
 * What every log line of a receiver passes second, beside its human message: the same shape at every
 * level, each field present when known (`{}` for a line about the receiver itself). Never credentials.
 */
export interface OctoLogFields {
  /** The delivery's event (`booking_update`...). */
  event?: string | undefined;
  /** The HTTP status it was (or will be) answered with. */
  status?: number | undefined;
  /** The error code (`UNAUTHORIZED`, `HANDLER_FAILED`...; see `STATUS_BY_CODE`). */
  code?: string | undefined;
  /** The delivery's key (`context.deliveryKey`). */
  deliveryKey?: string | undefined;
  /** The configured supplier that sent it (`context.supplier`, with `suppliers`). */
  supplier?: string | undefined;
  /** The supplier the path named, for a delivery refused before its credentials proved one (a claim). */
  claimedSupplier?: string | undefined;
  /** The trace id it is recorded under, with `telemetry`. */
  traceId?: string | undefined;
  /** What was thrown (a handler's error, a store's...), on `error` lines; several handlers' errors as an array. */
  error?: unknown;
}

/**
 * Where the library reports what it did; defaults to `console` for warnings and errors only. Every
 * line comes with its {@link OctoLogFields} second: `(message, fields) => pinoLogger.warn(fields, message)`.
 */
export interface Logger {
  /** Each refused delivery (wrong credentials, bad body...) and why; events no handler was registered for. */
  debug?(message: string, fields?: OctoLogFields): void;
  /** Deliveries answered without dispatch: duplicates (`dedupe`) and stale updates (`staleGuard`). */
  info?(message: string, fields?: OctoLogFields): void;
  /**
   * What needs a look: refused deliveries (per reason, the first and then a count at most once a
   * minute), a receiver without `auth` (once), a body a parser read before a configured limit could
   * apply (once), a duplicate that arrived while its original still ran, a full ack-first queue, a
   * handler's `NonRetryableError`.
   */
  warn?(message: string, fields?: OctoLogFields): void;
  /** A handler failed (what it threw is `fields.error`), a store failed, `auth` is misconfigured. */
  error?(message: string, fields?: OctoLogFields): void;
}
