import { lifecycleOf } from "./lifecycle-rules.ts";

/**
 * The lifecycle event each booking status fires, and the name of the handler option and method that
 * registers for it. Statuses outside this table (a supplier's own) fire no lifecycle event; their
 * deliveries still reach `booking_update`.
 *
 * @example
 * ```ts
 * BOOKING_STATUS_EVENTS.CANCELLED; // "booking.cancelled"
 * BOOKING_LIFECYCLE_EVENTS[BOOKING_STATUS_EVENTS.CANCELLED]; // "onBookingCancelled"
 * ```
 */
export const BOOKING_STATUS_EVENTS = {
  ON_HOLD: "booking.on_hold",
  CONFIRMED: "booking.confirmed",
  CANCELLED: "booking.cancelled",
  EXPIRED: "booking.expired",
  REDEEMED: "booking.redeemed",
  PENDING: "booking.pending",
  REJECTED: "booking.rejected",
  // Ventrata's own statuses
  NOSHOW: "booking.no_show",
  UPGRADED: "booking.upgraded",
} as const;

/**
 * Every lifecycle event, with the handler option and method that registers for it.
 *
 * @example
 * ```ts
 * for (const [event, method] of Object.entries(BOOKING_LIFECYCLE_EVENTS)) console.log(event, method);
 * // booking.confirmed onBookingConfirmed ...
 * ```
 */
export const BOOKING_LIFECYCLE_EVENTS = {
  "booking.on_hold": "onBookingOnHold",
  "booking.confirmed": "onBookingConfirmed",
  "booking.amended": "onBookingAmended",
  "booking.cancelled": "onBookingCancelled",
  "booking.expired": "onBookingExpired",
  "booking.redeemed": "onBookingRedeemed",
  "booking.pending": "onBookingPending",
  "booking.rejected": "onBookingRejected",
  "booking.no_show": "onBookingNoShow",
  "booking.upgraded": "onBookingUpgraded",
} as const;

/** A lifecycle event name: `"booking.confirmed"`, `"booking.cancelled"`, `"booking.amended"`... */
export type BookingLifecycleEvent = keyof typeof BOOKING_LIFECYCLE_EVENTS;

/**
 * The lifecycle event a `booking_update` body stands for, or `undefined` when it stands for none.
 * This is the table of the README, as code:
 * - a non-empty `diff` with an entry at `/status` whose `value` differs from its `was`: the status
 *   changed, the event of the booking's status fires (`booking.status`, else that entry's `value`);
 * - a non-empty `diff` without such an entry: `booking.amended` when the booking is `CONFIRMED`,
 *   nothing otherwise;
 * - no `diff` (absent, `null` or `[]`): the event of the booking's status fires. It then says the state
 *   the booking is in, not that it just changed, and `booking.amended` cannot fire.
 *
 * @example
 * ```ts
 * bookingLifecycleEvent({
 *   booking: { uuid: "b-1", status: "CANCELLED" },
 *   diff: [{ op: "replace", path: "/status", was: "CONFIRMED", value: "CANCELLED" }],
 * }); // "booking.cancelled"
 * ```
 */
export function bookingLifecycleEvent(body: {
  booking?: { status?: unknown } | null | undefined;
  diff?: readonly unknown[] | null | undefined;
}): BookingLifecycleEvent | undefined {
  return lifecycleOf(BOOKING_STATUS_EVENTS, "booking.amended", "booking", body.booking?.status, body.diff);
}
