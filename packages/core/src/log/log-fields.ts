// The fields of a log line about one delivery, and the ` from supplier <id>` its messages say.
import type { ParsedDelivery } from "../events/parse-delivery.ts";
import type { OctoLogFields } from "./logger.ts";

/** The fields of a log line about `delivery` (when known), with `extra` (status, code, error...). */
export function logFields(delivery: ParsedDelivery | undefined, extra?: OctoLogFields): OctoLogFields {
  if (delivery === undefined) return { ...extra };
  const { context } = delivery;
  return {
    event: delivery.event,
    deliveryKey: context.deliveryKey,
    supplier: context.supplier,
    traceId: delivery.span?.traceId,
    ...extra,
  };
}

/** ` from supplier <id>` for a log line's message, or nothing without a supplier. */
export const fromSupplier = (supplier: string | undefined): string =>
  supplier === undefined ? "" : ` from supplier ${supplier}`;
