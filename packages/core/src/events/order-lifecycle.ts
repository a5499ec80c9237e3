// Orders (`order_update`, the `octo/cart` capability): the order's own lifecycle event, and the
// lifecycle events of its bookings, so that a reseller who listens to bookings misses nothing that came
// through the cart. The rules are the README's lifecycle table; `lifecycle-rules.ts` applies them.
import { type BookingLifecycleEvent, bookingLifecycleEvent } from "./booking-lifecycle.ts";
import { lifecycleOf, statusChange } from "./lifecycle-rules.ts";

/**
 * The lifecycle event each order status fires (`@octocloud/types` `OrderStatus`). Statuses outside
 * this table (a supplier's own) fire no order lifecycle event; their deliveries still reach `order_update`.
 *
 * @example
 * ```ts
 * ORDER_STATUS_EVENTS.CANCELLED; // "order.cancelled"
 * ```
 */
export const ORDER_STATUS_EVENTS = {
  ON_HOLD: "order.on_hold",
  CONFIRMED: "order.confirmed",
  CANCELLED: "order.cancelled",
  EXPIRED: "order.expired",
  PENDING: "order.pending",
} as const;

/**
 * Every order lifecycle event, with the handler option and method that registers for it.
 *
 * @example
 * ```ts
 * ORDER_LIFECYCLE_EVENTS["order.confirmed"]; // "onOrderConfirmed"
 * ```
 */
export const ORDER_LIFECYCLE_EVENTS = {
  "order.on_hold": "onOrderOnHold",
  "order.confirmed": "onOrderConfirmed",
  "order.amended": "onOrderAmended",
  "order.cancelled": "onOrderCancelled",
  "order.expired": "onOrderExpired",
  "order.pending": "onOrderPending",
} as const;

/** An order lifecycle event name: `"order.confirmed"`, `"order.cancelled"`, `"order.amended"`... */
export type OrderLifecycleEvent = keyof typeof ORDER_LIFECYCLE_EVENTS;

/** What the order lifecycle reads of an `order_update` body: the order (status, bookings) and the diff. */
export type OrderBody = {
  order?: { status?: unknown; bookings?: unknown } | null | undefined;
  diff?: readonly unknown[] | null | undefined;
};

/**
 * The lifecycle event an `order_update` body stands for, by the same rules as a booking's (see
 * {@link bookingLifecycleEvent}): a `/status` change fires the order's status event, another change to a
 * `CONFIRMED` order fires `order.amended`, no diff fires the event of the status the order is in.
 * Changes under `/bookings/...` are changes of the order too.
 *
 * @example
 * ```ts
 * orderLifecycleEvent({
 *   order: { id: "o-1", status: "CONFIRMED" },
 *   diff: [{ op: "replace", path: "/status", was: "ON_HOLD", value: "CONFIRMED" }],
 * }); // "order.confirmed"
 * ```
 */
export function orderLifecycleEvent(body: OrderBody): OrderLifecycleEvent | undefined {
  return lifecycleOf(ORDER_STATUS_EVENTS, "order.amended", "order", body.order?.status, body.diff);
}

/**
 * A booking of an order that fires a booking lifecycle event, with its part of the diff.
 *
 * @example
 * ```ts
 * const fired: OrderBookingEvent[] = orderBookingEvents(body); // [{ lifecycle: "booking.cancelled", booking, diff }]
 * ```
 */
export interface OrderBookingEvent {
  lifecycle: BookingLifecycleEvent;
  booking: Record<string, unknown>;
  /** The diff entries under `/bookings/<i>`, with paths relative to the booking; `undefined` for none. */
  diff: Array<Record<string, unknown>> | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The booking lifecycle events an `order_update` fires, at most one per booking of `order.bookings`:
 * - no diff: each booking's status event (the state it is in, as for a `booking_update` without diff);
 * - a diff: the booking's own entries (`/bookings/<i>/...`, rebased to `/...`; an `add` or `replace` of
 *   the whole `/bookings/<i>` compares `was.status` with the booking's status) decide by the booking rules;
 *   a booking without entries fires its status event only when the order's status changed to the
 *   booking's status (an order confirmation confirms its bookings), and nothing otherwise. A `remove`
 *   names a booking that is no longer in the order: it fires nothing.
 *
 * @example
 * ```ts
 * orderBookingEvents({
 *   order: { id: "o-1", status: "CONFIRMED", bookings: [{ uuid: "b-1", status: "CONFIRMED" }, { uuid: "b-2", status: "CANCELLED" }] },
 *   diff: [{ op: "replace", path: "/bookings/1/status", was: "CONFIRMED", value: "CANCELLED" }],
 * }); // [{ lifecycle: "booking.cancelled", booking: { uuid: "b-2", ... }, diff: [{ op: "replace", path: "/status", ... }] }]
 * ```
 */
export function orderBookingEvents(body: OrderBody): OrderBookingEvent[] {
  const order = body.order;
  const bookings = order?.bookings;
  if (!Array.isArray(bookings)) return [];
  const diff = Array.isArray(body.diff) && body.diff.length > 0 ? body.diff : undefined;
  const orderChanged = statusChange(diff, "order") !== undefined;
  const events: OrderBookingEvent[] = [];
  bookings.forEach((booking: unknown, index) => {
    if (!isObject(booking)) return;
    let own: Array<Record<string, unknown>> | undefined;
    if (diff !== undefined) {
      const prefix = `/bookings/${index}`;
      own = [];
      for (const change of diff) {
        if (!isObject(change) || typeof change.path !== "string" || change.op === "remove") continue;
        if (change.path === prefix) {
          const was = isObject(change.was) ? change.was.status : undefined;
          own.push({ op: change.op, path: "/status", was, value: booking.status });
        } else if (change.path.startsWith(`${prefix}/`)) {
          own.push({ ...change, path: change.path.slice(prefix.length) });
        }
      }
      if (own.length === 0) {
        if (!orderChanged || booking.status !== order?.status) return;
        own = undefined;
      }
    }
    const lifecycle = bookingLifecycleEvent({ booking, diff: own });
    if (lifecycle !== undefined) events.push({ lifecycle, booking, diff: own });
  });
  return events;
}
