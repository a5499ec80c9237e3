// The one resource a delivery updates (a booking, an order, a product), as the event table names it: what
// queues order the updates of, one at a time.

import { isModelled, OCTO_EVENTS } from "./event-table.ts";
import type { HandlerContext } from "./types.ts";

/** The fields of a notification that name its resource. */
const NOTIFIED: Readonly<Record<string, readonly [kind: "booking" | "product", field: string]>> = {
  BOOKING_UPDATE: ["booking", "uuid"],
  PRODUCT_UPDATE: ["product", "productId"],
};

const idOf = (value: unknown): string | undefined =>
  typeof value === "string" && value !== ""
    ? value
    : typeof value === "number" && Number.isFinite(value)
      ? String(value)
      : undefined;

/**
 * The resource a delivery updates: `{ kind: "booking", id: <uuid> }` for a `booking_update` (or a
 * booking's notification), an order's or a product's likewise; `undefined` for a delivery of no one
 * resource (availability, events this version does not model). Ids are as sent (bound them yourself).
 *
 * @example
 * ```ts
 * const resource = resourceOf(payload, context); // { kind: "booking", id: "b-1" }
 * ```
 */
export function resourceOf(
  payload: unknown,
  context: Pick<HandlerContext, "event" | "notification">,
): { kind: "booking" | "order" | "product"; id: string } | undefined {
  const notification = context.notification;
  if (notification !== undefined) {
    const [kind, field] = NOTIFIED[notification.type] ?? [];
    const id = field === undefined ? undefined : idOf((notification.data as Record<string, unknown>)[field]);
    return kind === undefined || id === undefined ? undefined : { kind, id };
  }
  if (!isModelled(context.event)) return undefined;
  const [key, , field] = OCTO_EVENTS[context.event];
  if (field === undefined) return undefined;
  const resource = (payload as Record<string, unknown> | null)?.[key];
  const id =
    typeof resource === "object" && resource !== null
      ? idOf((resource as Record<string, unknown>)[field])
      : undefined;
  return id === undefined ? undefined : { kind: key as "booking" | "order" | "product", id };
}
