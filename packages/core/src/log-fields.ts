// The fields every log line of a receiver carries as its second argument, in one shape
// (`OctoLogFields`, documented in docs/observability.md), beside the human message.
import type { ParsedDelivery } from "./parse-delivery.ts";
import type { DeliveryTelemetry } from "./telemetry.ts";
import type { OctoLogFields } from "./types.ts";

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
