// What spans and metrics say about a delivery, read from it once parsed, and error messages made safe to
// record: configured secrets and the request's credentials replaced before anything leaves the process.
import type { Attributes } from "@opentelemetry/api";
import { SHOWN_LENGTH } from "../errors/codes.ts";
import { BOOKING_LIFECYCLE_EVENTS } from "../events/booking-lifecycle.ts";
import { isModelled } from "../events/event-table.ts";
import { ORDER_LIFECYCLE_EVENTS } from "../events/order-lifecycle.ts";
import type { TelemetryDelivery } from "./telemetry.ts";

/** A string attribute or span name from a delivery, at most `SHOWN_LENGTH` characters. */
export const bounded = (text: string): string =>
  text.length <= SHOWN_LENGTH ? text : text.slice(0, SHOWN_LENGTH);

/**
 * An event as a metric records it: a modelled event, a lifecycle event (a lifecycle handler's) or
 * `notification`, else `_OTHER` (as OpenTelemetry's HTTP conventions record an unknown method), so that
 * names a body invents cannot make new series.
 */
export const metricEvent = (event: string): string =>
  isModelled(event) ||
  event === "notification" ||
  Object.hasOwn(BOOKING_LIFECYCLE_EVENTS, event) ||
  Object.hasOwn(ORDER_LIFECYCLE_EVENTS, event)
    ? event
    : "_OTHER";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A string field of an object of the body (`booking.uuid`...), if it is one. */
function field(body: Record<string, unknown>, key: string, name: string): string | undefined {
  const resource = body[key];
  if (!isObject(resource)) return undefined;
  const value = resource[name];
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

/** The `octo.*` attributes of a parsed delivery (the resource ids present in its body). */
export function deliveryAttributes(delivery: TelemetryDelivery): Attributes {
  const { body, context } = delivery;
  const attributes: Attributes = { "octo.event": bounded(delivery.event) };
  const lifecycle: string[] = [];
  if (context.lifecycle !== undefined) lifecycle.push(context.lifecycle);
  // an order_update fires its bookings' lifecycle events too (ParsedDelivery.bookings)
  const bookings = (delivery as { bookings?: Array<{ lifecycle?: unknown }> }).bookings;
  for (const booking of bookings ?? []) {
    if (typeof booking.lifecycle === "string" && !lifecycle.includes(booking.lifecycle)) {
      lifecycle.push(booking.lifecycle);
    }
  }
  if (lifecycle.length > 0) attributes["octo.lifecycle_events"] = lifecycle;
  const ids: Array<[string, string, string]> = [
    ["octo.booking.uuid", "booking", "uuid"],
    ["octo.availability.id", "availability", "id"],
    ["octo.order.id", "order", "id"],
    ["octo.product.id", "product", "id"],
  ];
  for (const [attribute, key, name] of ids) {
    const value = field(body, key, name);
    if (value !== undefined) attributes[attribute] = bounded(value);
  }
  // an OCTO notification (thin `{ type, data }`): its type and the identifiers it names
  const notification = (delivery as { notification?: { type: string; data: Record<string, unknown> } })
    .notification;
  if (notification !== undefined) {
    attributes["octo.notification.type"] = notification.type;
    const { uuid, productId } = notification.data;
    if (typeof uuid === "string") attributes["octo.booking.uuid"] = bounded(uuid);
    if (typeof productId === "string") attributes["octo.product.id"] = bounded(productId);
  }
  if (context.supplier !== undefined) attributes["octo.supplier"] = context.supplier;
  attributes["octo.delivery.key"] = context.deliveryKey;
  return attributes;
}

/** The size of a body as received, in bytes (`undefined` when a parser had read it first). */
export function bodyBytes(rawBody: string | undefined): number | undefined {
  if (rawBody === undefined) return undefined;
  // UTF-8 length counted without encoding a copy: 1 byte per code unit, +1 up to U+07FF, +2 above,
  // +1 for each half of a surrogate pair (4 bytes together)
  let bytes = rawBody.length;
  for (let i = 0; i < rawBody.length; i++) {
    const unit = rawBody.charCodeAt(i);
    if (unit > 0x7f) bytes += unit <= 0x7ff || (unit >= 0xd800 && unit <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}

const REDACTED = "[REDACTED]";
const MAX_SCRUBBED = 1000;
// anything shaped like a credential in an Authorization-style header, whoever wrote it into a message:
// the separator is either `:`/`=` with optional spaces around it or spaces alone, never both ways at
// once, so a long run of spaces is matched once (`\s*[:=]?\s+` tried every split of it: quadratic)
const CREDENTIAL = /\b(basic|bearer|token|apikey|api-key)(\s*[:=]\s*|\s+)[^\s,;"']+/gi;

function credentialValues(auth: unknown): string[] {
  if (!isObject(auth)) return [];
  const values: string[] = [];
  const basic = auth.basic;
  for (const credentials of Array.isArray(basic) ? basic : [basic]) {
    if (isObject(credentials) && typeof credentials.password === "string") {
      values.push(credentials.password);
      if (typeof credentials.username === "string" && typeof btoa === "function") {
        try {
          values.push(btoa(`${credentials.username}:${credentials.password}`));
        } catch {
          // a user name or password outside Latin-1 has no btoa form; the password alone is scrubbed
        }
      }
    }
  }
  const header = auth.header;
  for (const credential of Array.isArray(header) ? header : [header]) {
    const value = isObject(credential) ? credential.value : undefined;
    for (const one of Array.isArray(value) ? value : [value]) if (typeof one === "string") values.push(one);
  }
  return values;
}

/** The secrets of a receiver's options that must never be recorded: `auth`'s and each supplier's. */
export function configuredSecrets(options: object): string[] {
  const { auth, suppliers } = options as { auth?: unknown; suppliers?: unknown };
  const secrets = credentialValues(auth);
  if (isObject(suppliers)) {
    for (const supplier of Object.values(suppliers)) {
      if (isObject(supplier)) secrets.push(...credentialValues(supplier.auth));
    }
  }
  // a secret of 1-3 characters would blank out ordinary words; it is weak anyway
  return secrets.filter((secret) => secret.length >= 4);
}

/**
 * `text` with every secret, and anything shaped like a credential, replaced; at most 1,000 characters.
 * Only what can be shown is scrubbed: the text is cut first (keeping the longest secret's length past the
 * cut, so a secret that starts before it is still found whole), which bounds the work whatever its size.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let longest = 0;
  for (const secret of secrets) longest = Math.max(longest, secret.length);
  const cut = text.length > MAX_SCRUBBED + longest;
  let safe = cut ? text.slice(0, MAX_SCRUBBED + longest) : text;
  for (const secret of secrets) if (safe.includes(secret)) safe = safe.split(secret).join(REDACTED);
  safe = safe.replace(CREDENTIAL, `$1$2${REDACTED}`);
  return cut || safe.length > MAX_SCRUBBED ? `${safe.slice(0, MAX_SCRUBBED)}...` : safe;
}

/** The `error.type` of a failure: our error's code (`UNAUTHORIZED`...), else the error's class name. */
export function errorType(error: unknown): string {
  if (isObject(error) || error instanceof Error) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    // a label of a metric: a thrown object's own `code` or `name` must not make a series per value
    if (typeof code === "string" && code.length <= 64 && /^[A-Z_]+$/.test(code)) return code;
    if (typeof name === "string" && name !== "") return bounded(name);
  }
  return "_OTHER";
}
