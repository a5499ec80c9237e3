// Known values of the OCTO enums. Lenient parsing accepts any string besides these (real senders add
// values, e.g. Ventrata's `NOSHOW` and `UPGRADED`); they are listed so that editors autocomplete them.

/**
 * Booking and unit item statuses OCTO defines. Lenient parsing accepts any other string too (Ventrata
 * sends `NOSHOW` and `UPGRADED`); the known ones are typed so that editors autocomplete them.
 *
 * @example
 * ```ts
 * const known = (BOOKING_STATUSES as readonly string[]).includes(booking.status ?? "");
 * ```
 */
export const BOOKING_STATUSES = [
  "ON_HOLD",
  "CONFIRMED",
  "EXPIRED",
  "CANCELLED",
  "REDEEMED",
  "PENDING",
  "REJECTED",
] as const;

/**
 * Availability statuses OCTO defines.
 *
 * @example
 * ```ts
 * const bookable = availability.status !== "SOLD_OUT" && availability.status !== "CLOSED"; // one of AVAILABILITY_STATUSES, or a sender's own
 * ```
 */
export const AVAILABILITY_STATUSES = ["AVAILABLE", "FREESALE", "SOLD_OUT", "LIMITED", "CLOSED"] as const;

/**
 * How tickets reach the customer: one voucher for the booking, or a ticket per unit item.
 *
 * @example
 * ```ts
 * if (booking.deliveryMethods?.includes("TICKET")) sendTickets(booking.unitItems); // one of DELIVERY_METHODS, or a sender's own
 * ```
 */
export const DELIVERY_METHODS = ["VOUCHER", "TICKET"] as const;

/**
 * Formats of a voucher's or ticket's `deliveryOptions`.
 *
 * @example
 * ```ts
 * const qr = booking.voucher?.deliveryOptions?.find((o) => o.deliveryFormat === "QRCODE")?.deliveryValue;
 * ```
 */
export const DELIVERY_FORMATS = [
  "PDF_URL",
  "QRCODE",
  "CODE128",
  "PKPASS_URL",
  "AZTECCODE",
  "GOOGLE_WALLET_URL",
  "PNG_URL",
] as const;

/**
 * How a voucher or ticket is redeemed.
 *
 * @example
 * ```ts
 * const printable = booking.voucher?.redemptionMethod === "PRINT"; // one of REDEMPTION_METHODS
 * ```
 */
export const REDEMPTION_METHODS = ["DIGITAL", "PRINT", "MANIFEST"] as const;

/**
 * Unit (ticket) types OCTO defines.
 *
 * @example
 * ```ts
 * for (const type of UNIT_TYPES) console.log(type); // ADULT, YOUTH, CHILD, ...
 * ```
 */
export const UNIT_TYPES = [
  "ADULT",
  "YOUTH",
  "CHILD",
  "INFANT",
  "FAMILY",
  "SENIOR",
  "STUDENT",
  "MILITARY",
  "OTHER",
] as const;

/**
 * Refunds of a cancellation.
 *
 * @example
 * ```ts
 * if (booking.cancellation?.refund === "FULL") refund(booking.uuid); // one of REFUND_TYPES
 * ```
 */
export const REFUND_TYPES = ["FULL", "PARTIAL", "NONE"] as const;

/**
 * Operations of a `diff` entry (JSON Patch verbs).
 *
 * @example
 * ```ts
 * const removed = diff?.filter((change) => change.op === "remove"); // one of DIFF_OPS
 * ```
 */
export const DIFF_OPS = ["replace", "add", "remove"] as const;

/**
 * Order statuses OCTO defines (the `octo/cart` capability; `@octocloud/types` `OrderStatus`). Lenient
 * parsing accepts any other string too.
 *
 * @example
 * ```ts
 * const open = order.status === "ON_HOLD" || order.status === "PENDING"; // one of ORDER_STATUSES, or a sender's own
 * ```
 */
export const ORDER_STATUSES = ["ON_HOLD", "CONFIRMED", "CANCELLED", "EXPIRED", "PENDING"] as const;

/**
 * How an order is paid for (`order.settlementMethod`; Ventrata's `SettlementMethod`).
 *
 * @example
 * ```ts
 * if (order.settlementMethod === "DEFERRED") invoiceLater(order.id); // one of SETTLEMENT_METHODS
 * ```
 */
export const SETTLEMENT_METHODS = ["DEFERRED", "DEPOSIT", "DIRECT", "VOUCHER", "WHOLESALE"] as const;

/**
 * How a product's availability is sold: by start time or by opening hours.
 *
 * @example
 * ```ts
 * const timed = product.availabilityType === "START_TIME"; // one of AVAILABILITY_TYPES
 * ```
 */
export const AVAILABILITY_TYPES = ["START_TIME", "OPENING_HOURS"] as const;

/**
 * Units of an option's `cancellationCutoffUnit` (lower case, as OCTO spells them).
 *
 * @example
 * ```ts
 * const hours = option.cancellationCutoffUnit === "day" ? 24 * (option.cancellationCutoffAmount ?? 0) : undefined;
 * ```
 */
export const DURATION_UNITS = ["minute", "hour", "day"] as const;

/**
 * The events OCTO webhooks deliver, each with a typed payload (the seed's supplier documents all four).
 *
 * @example
 * ```ts
 * for (const event of WEBHOOK_EVENTS) await client.webhooks.create({ event, url }); // booking_update, availability_update, order_update, product_update
 * ```
 */
export const WEBHOOK_EVENTS = [
  "booking_update",
  "availability_update",
  "order_update",
  "product_update",
] as const;
