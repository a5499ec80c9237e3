// How a delivery log is instrumented: a store made by `createMemoryLog()`, `createRedisLog()` or
// `createPostgresLog()` carries the function that writes it from a delivery's telemetry, so that a
// receiver without a log carries none of that code (a Worker stays small).

import type { ReceiverTelemetry } from "../telemetry/telemetry.ts";
import type { Logger } from "./logger.ts";

/**
 * The key of a log's instrumentation (`Symbol.for`, so that copies of the package agree). A log made by
 * `logDeliveries()` carries it; you never set it yourself.
 *
 * @example
 * ```ts
 * const log = createMemoryLog();
 * typeof log[LOG_INSTRUMENT as keyof typeof log]; // "function": the receiver writes this log
 * ```
 */
export const LOG_INSTRUMENT: unique symbol = Symbol.for("@octo-webhooks/core.logInstrument") as never;

/** What the receiver gives a log's instrumentation: its options (for the secrets never to write), the log's limit, its logger. */
export interface LogInstrumentSettings {
  options: object;
  maxBodyBytes: number;
  logger: Logger;
}

/** A log's instrumentation: the receiver's telemetry that writes one entry per attempt. */
export type LogInstrument = (settings: LogInstrumentSettings) => ReceiverTelemetry;
