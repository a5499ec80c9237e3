import type { Booking, Diff, Order, OrderUpdateEvent } from "@octo-webhooks/core";
import { type BookingStatus, bookingUpdate } from "./booking.ts";
import { diffOf } from "./diff.ts";
import { createRandom } from "./random.ts";
import {
  createdAtOf,
  type FactoryOptions,
  hasPricing,
  pricing,
  supplierOf,
  utc,
  webhookEcho,
} from "./shared.ts";

/** An order status: the OCTO ones autocomplete; any string is accepted. */
export type OrderStatus = NonNullable<Order["status"]>;

/** One state of an order: its status and the statuses of its bookings, in order. */
export interface OrderState {
  /** The order's status. */
  status: OrderStatus;
  /** The status of each booking of the order (the number of bookings too). */
  bookings: readonly BookingStatus[];
}

/** Options of {@link orderUpdate}; every one has a default. */
export interface OrderUpdateOptions extends FactoryOptions {
  /** The order's status (default `"CONFIRMED"`). */
  status?: OrderStatus;
  /** The statuses of its bookings (default: two bookings in the order's status). */
  bookings?: readonly BookingStatus[];
  /**
   * The state the `diff` is from (default: the usual previous one, ON_HOLD for a CONFIRMED order with
   * ON_HOLD bookings, CONFIRMED for a CANCELLED one...); `null` leaves `diff` out.
   */
  was?: OrderState | null;
  /** Order fields to override, applied last (shallow). */
  order?: Partial<Order>;
  /** The `diff` to send instead of the one derived from `was`. */
  diff?: Diff | null;
}

const PREVIOUS: Record<string, OrderStatus> = {
  CONFIRMED: "ON_HOLD",
  CANCELLED: "CONFIRMED",
  EXPIRED: "ON_HOLD",
};
// every update changes them; a diff entry for them would be noise
const NOT_DIFFED = new Set(["/utcUpdatedAt"]);

/** The order of `options`'s seed in `state`, its bookings made by `bookingUpdate` (one seed each). */
function orderAt(state: OrderState, options: OrderUpdateOptions): Order {
  const random = createRandom(`${options.seed ?? 1}:order`);
  const id = random.uuid();
  const reference = random.reference();
  const bookings: Booking[] = state.bookings.map((status, i) => ({
    ...bookingUpdate({ ...options, seed: `${options.seed ?? 1}:order:${i}`, status, diff: null }).booking,
    orderId: id,
    orderReference: reference,
  }));
  const createdAt = createdAtOf(options);
  const latest = (key: "utcUpdatedAt" | "utcConfirmedAt") =>
    bookings
      .map((booking) => booking[key])
      .reduce<string | null>((a, b) => (b && (!a || b > a) ? b : a), null);
  const order: Order = {
    id,
    testMode: true,
    supplierReference: reference,
    settlementMethod: "DEFERRED",
    status: state.status,
    utcCreatedAt: utc(createdAt),
    utcUpdatedAt: latest("utcUpdatedAt") ?? utc(createdAt),
    utcExpiresAt: state.status === "ON_HOLD" ? utc(new Date(createdAt.getTime() + 30 * 60_000)) : null,
    utcConfirmedAt: state.status === "CONFIRMED" ? latest("utcConfirmedAt") : null,
    cancellable: state.status === "ON_HOLD" || state.status === "CONFIRMED",
    bookings,
    contact: { ...(bookings[0]?.contact ?? {}) },
    termsAccepted: true,
  };
  if (hasPricing(options)) {
    order.pricing = pricing(bookings.reduce((sum, booking) => sum + (booking.pricing?.retail ?? 0), 0));
  }
  return order;
}

/**
 * A realistic `order_update` body (the `octo/cart` capability, always on for this event): an order
 * whose bookings are full bookings, valid against OCTO's strict schema (`strictSchemas.OrderUpdate`)
 * and the same for the same options. The `diff` is the exact change from `was`, down to the bookings
 * (`/bookings/1/status`...), as Ventrata sends it.
 *
 * @example
 * ```ts
 * import { orderUpdate } from "@octo-webhooks/testing";
 *
 * // an order confirmed with two bookings, then one of them cancelled inside the order
 * const confirmed = orderUpdate();
 * const oneCancelled = orderUpdate({ bookings: ["CONFIRMED", "CANCELLED"], was: { status: "CONFIRMED", bookings: ["CONFIRMED", "CONFIRMED"] } });
 * await webhooks.receive(oneCancelled); // onBookingCancelled runs once, with context.order
 * ```
 */
export function orderUpdate(options: OrderUpdateOptions = {}): OrderUpdateEvent {
  const status = options.status ?? "CONFIRMED";
  const state: OrderState = { status, bookings: options.bookings ?? [status, status] };
  const order = { ...orderAt(state, options), ...options.order } as Order;
  const capabilities = [...new Set(["octo/cart", ...(options.capabilities ?? [])])];
  const body: OrderUpdateEvent = {
    webhook: webhookEcho("order_update", { ...options, capabilities }),
    order,
  };
  let diff = options.diff;
  if (diff === undefined && options.was !== null) {
    const previous = PREVIOUS[status];
    const was =
      options.was ??
      (previous === undefined
        ? undefined
        : { status: previous, bookings: state.bookings.map(() => previous) });
    if (was !== undefined) diff = diffOf(orderAt(was, options), order, NOT_DIFFED);
  }
  if (diff != null && diff.length > 0) body.diff = diff;
  const supplier = supplierOf(options);
  if (supplier !== undefined) body.supplier = supplier;
  return body;
}
