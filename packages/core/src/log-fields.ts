// The fields every log line of a receiver carries as its second argument, in one shape
// (`OctoLogFields`, documented in docs/observability.md), beside the human message.
import type { ParsedDelivery } from "./parse-delivery.ts";
import type { DeliveryTelemetry } from "./telemetry.ts";

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
  /** The trace id it is recorded under, with `telemetry`. */
  traceId?: string | undefined;
  /** What was thrown (a handler's error, a store's...), on `error` lines; several handlers' errors as an array. */
  error?: unknown;
}

// the trace id of each delivery recorded with `telemetry`, for its log lines
const TRACE_IDS = new WeakMap<ParsedDelivery, string | undefined>();

/** Tells `span` the delivery is parsed, and keeps its trace id for the delivery's log lines. */
export function traced(delivery: ParsedDelivery, span: DeliveryTelemetry): void {
  span.parsed(delivery);
  TRACE_IDS.set(delivery, span.traceId);
}

/** The fields of a log line about `delivery` (when known), with `extra` (status, code, error...). */
export function logFields(delivery: ParsedDelivery | undefined, extra?: OctoLogFields): OctoLogFields {
  if (delivery === undefined) return { ...extra };
  const { context } = delivery;
  return {
    event: delivery.event,
    deliveryKey: context.deliveryKey,
    supplier: context.supplier,
    traceId: TRACE_IDS.get(delivery),
    ...extra,
  };
}
