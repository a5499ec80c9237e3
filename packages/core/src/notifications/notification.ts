// OCTO `notifications` deliveries (the specification's own capability): thin bodies `{ type, data }`
// that carry only the identifiers of a resource. Recognised by their shape, validated leniently, and
// normalised to one spelling of each field, so that handlers and the hydrator read one shape.
import { OctoRequestError } from "../errors/errors.ts";
import { deliveryKey } from "../events/delivery-key.ts";

/** The kinds of OCTO notification: `"BOOKING_UPDATE"`, `"AVAILABILITY_UPDATE"`, `"PRODUCT_UPDATE"`. */
export type NotificationType = "BOOKING_UPDATE" | "AVAILABILITY_UPDATE" | "PRODUCT_UPDATE";

/** A thin booking notification: the booking's `uuid` (normalised from `bookingUuid`, `booking_uuid`...). */
export interface BookingNotification {
  type: "BOOKING_UPDATE";
  data: { uuid: string } & Record<string, unknown>;
}

/**
 * A thin availability notification: the product, the option when the supplier names one, and the
 * dates whose availability changed (normalised from `product_id`, `option_id`, `local_date_start`...).
 */
export interface AvailabilityNotification {
  type: "AVAILABILITY_UPDATE";
  data: { productId: string; optionId?: string; localDateStart: string; localDateEnd: string } & Record<
    string,
    unknown
  >;
}

/** A thin product notification: the product's id (normalised from `product_id`, `id`). */
export interface ProductNotification {
  type: "PRODUCT_UPDATE";
  data: { productId: string } & Record<string, unknown>;
}

/**
 * A notification delivery as handlers and the hydrator get it: `type` in upper case, `data` with the
 * canonical field names (unknown fields kept). Narrow it with `switch (notification.type)`.
 *
 * @example
 * ```ts
 * webhooks.onNotification((notification) => {
 *   if (notification.type === "BOOKING_UPDATE") console.log("booking changed", notification.data.uuid);
 * });
 * ```
 */
export type OctoNotification = BookingNotification | AvailabilityNotification | ProductNotification;

/** The canonical field of each type, and the spellings suppliers use for it (first found wins). */
const FIELDS: Record<NotificationType, ReadonlyArray<[string, readonly string[], boolean]>> = {
  BOOKING_UPDATE: [
    ["uuid", ["uuid", "bookingUuid", "booking_uuid", "bookingUUID", "bookingId", "booking_id"], true],
  ],
  AVAILABILITY_UPDATE: [
    ["productId", ["productId", "product_id"], true],
    ["optionId", ["optionId", "option_id"], false],
    ["localDateStart", ["localDateStart", "local_date_start", "localDate", "local_date"], true],
    ["localDateEnd", ["localDateEnd", "local_date_end", "localDate", "local_date"], true],
  ],
  PRODUCT_UPDATE: [["productId", ["productId", "product_id", "id"], true]],
};

/** The longest identifier a notification may name (real ones are uuids and short ids; a hydrator puts them in URLs). */
export const MAX_ID_LENGTH = 256;
/** The most days an `AVAILABILITY_UPDATE` may span (`localDateStart` to `localDateEnd`, both included). */
export const MAX_AVAILABILITY_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The notification type a body's `type` names (any case), or `undefined`. */
const typeOf = (value: unknown): NotificationType | undefined => {
  if (typeof value !== "string") return undefined;
  const upper = value.trim().toUpperCase();
  return Object.hasOwn(FIELDS, upper) ? (upper as NotificationType) : undefined;
};

/**
 * Whether a parsed body is a notification rather than a webhook: a `type` naming one of the three
 * kinds (any case) and no `webhook` or `event` field of a webhook.
 */
export function isNotificationBody(body: Record<string, unknown>): boolean {
  return typeOf(body.type) !== undefined && body.webhook === undefined && body.event === undefined;
}

/**
 * The normalised notification of a body `isNotificationBody` accepted. Throws `OctoRequestError`
 * (400) naming the missing field: no `data` object, or a required identifier missing or not a string.
 */
export function toNotification(body: Record<string, unknown>): OctoNotification {
  const type = typeOf(body.type) as NotificationType;
  const given = body.data;
  if (!isObject(given)) {
    throw new OctoRequestError("INVALID_BODY", `the ${type} notification has no \`data\` object`, {
      issues: [{ path: "data", message: "expected object" }],
    });
  }
  const data: Record<string, unknown> = {};
  const aliases = new Set<string>();
  for (const [name, spellings, required] of FIELDS[type]) {
    const found = spellings.find((spelling) => typeof given[spelling] === "string" && given[spelling] !== "");
    for (const spelling of spellings) aliases.add(spelling);
    const value = found === undefined ? undefined : (given[found] as string);
    if (value !== undefined && value.length > MAX_ID_LENGTH) {
      throw new OctoRequestError(
        "INVALID_BODY",
        `the ${type} notification's \`data.${name}\` is longer than ${MAX_ID_LENGTH} characters`,
        { issues: [{ path: `data.${name}`, message: `longer than ${MAX_ID_LENGTH} characters` }] },
      );
    }
    if (value !== undefined) data[name] = value;
    else if (required) {
      throw new OctoRequestError(
        "INVALID_BODY",
        `the ${type} notification lacks \`data.${name}\` (a non-empty string; also read as ${spellings
          .filter((s) => s !== name)
          .map((s) => `\`${s}\``)
          .join(", ")})`,
        { issues: [{ path: `data.${name}`, message: "expected string" }] },
      );
    }
  }
  if (type === "AVAILABILITY_UPDATE")
    checkDateRange(data.localDateStart as string, data.localDateEnd as string);
  // unknown fields are kept as sent; the spellings read above are replaced by their canonical names. A
  // `__proto__` key is an own field, as JSON.parse makes it, never the object's prototype
  for (const [key, value] of Object.entries(given)) {
    if (aliases.has(key)) continue;
    if (key === "__proto__") {
      Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
    } else data[key] = value;
  }
  return { type, data } as OctoNotification;
}

/**
 * Refuses an availability range that is not two dates (`YYYY-MM-DD`), ends before it starts, or spans
 * more than `MAX_AVAILABILITY_DAYS`: one notification must not fan out into a year of slots.
 */
function checkDateRange(start: string, end: string): void {
  const day = (value: string) =>
    /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value.slice(0, 10)) : Number.NaN;
  const from = day(start);
  const to = day(end);
  const refuse = (why: string, path = "data.localDateEnd") => {
    throw new OctoRequestError("INVALID_BODY", `the AVAILABILITY_UPDATE notification ${why}`, {
      issues: [{ path, message: why }],
    });
  };
  if (Number.isNaN(from))
    refuse("has a `data.localDateStart` that is not a date (YYYY-MM-DD)", "data.localDateStart");
  if (Number.isNaN(to)) refuse("has a `data.localDateEnd` that is not a date (YYYY-MM-DD)");
  if (to < from) refuse("has a `data.localDateEnd` before its `data.localDateStart`");
  if ((to - from) / DAY_MS + 1 > MAX_AVAILABILITY_DAYS) {
    refuse(
      `spans more than ${MAX_AVAILABILITY_DAYS} days (at most ${MAX_AVAILABILITY_DAYS} per notification)`,
    );
  }
}

/**
 * The identity of the resource a notification names (its type and identifiers, without unknown
 * fields): what coalesces and caches hydrations, behind the supplier's id when there is one.
 */
export function resourceKey(notification: OctoNotification, supplier: string | undefined): string {
  const { type, data } = notification;
  const ids =
    type === "BOOKING_UPDATE"
      ? [data.uuid]
      : type === "PRODUCT_UPDATE"
        ? [data.productId]
        : [data.productId, data.optionId ?? "", data.localDateStart, data.localDateEnd];
  const key = JSON.stringify([supplier ?? null, type, ...ids]);
  // identifiers are bounded when checked (MAX_ID_LENGTH), the key is bounded whatever they are
  return key.length <= 1000 ? key : `hash:${deliveryKey(key)}`;
}
