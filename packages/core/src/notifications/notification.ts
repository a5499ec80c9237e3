// OCTO `notifications` deliveries (the specification's own capability): thin bodies `{ type, data }`
// that carry only the identifiers of a resource. Recognised by their shape, validated leniently, and
// normalised to one spelling of each field, so that handlers and the hydrator read one shape.
import { OctoRequestError } from "../errors/errors.ts";

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
    if (found !== undefined) data[name] = given[found];
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
  // unknown fields are kept as sent; the spellings read above are replaced by their canonical names
  for (const [key, value] of Object.entries(given)) if (!aliases.has(key)) data[key] = value;
  return { type, data } as OctoNotification;
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
  return JSON.stringify([supplier ?? null, type, ...ids]);
}
