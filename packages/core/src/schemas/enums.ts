/**
 * Known values of the OCTO enums. Lenient parsing accepts any string besides these (real senders add
 * values, e.g. Ventrata's `NOSHOW` and `UPGRADED`); they are listed so that editors autocomplete them.
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

export const AVAILABILITY_STATUSES = ["AVAILABLE", "FREESALE", "SOLD_OUT", "LIMITED", "CLOSED"] as const;

export const DELIVERY_METHODS = ["VOUCHER", "TICKET"] as const;

export const DELIVERY_FORMATS = [
  "PDF_URL",
  "QRCODE",
  "CODE128",
  "PKPASS_URL",
  "AZTECCODE",
  "GOOGLE_WALLET_URL",
  "PNG_URL",
] as const;

export const REDEMPTION_METHODS = ["DIGITAL", "PRINT", "MANIFEST"] as const;

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

export const REFUND_TYPES = ["FULL", "PARTIAL", "NONE"] as const;

export const DIFF_OPS = ["replace", "add", "remove"] as const;

export const WEBHOOK_EVENTS = ["booking_update", "availability_update"] as const;

/** Events newer suppliers send; they reach `on(name)`, `onAny` and `onUnknownEvent` as a generic envelope. */
export const NEWER_WEBHOOK_EVENTS = ["order_update", "product_update"] as const;
