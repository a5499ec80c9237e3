// From a body (text, or a value a body parser made) to a validated delivery with its handler context.
import { DeliveryContext } from "./delivery-context.ts";
import { OctoRequestError } from "./errors.ts";
import { isModelled } from "./events.ts";
import type { HeaderLookup } from "./headers.ts";
import { bookingLifecycleEvent } from "./lifecycle.ts";
import { isNotificationBody, type OctoNotification, toNotification } from "./notification.ts";
import { type OrderBookingEvent, orderBookingEvents, orderLifecycleEvent } from "./order-lifecycle.ts";
import type { ReadBody } from "./read-body.ts";
import { resolveEvent } from "./resolve-event.ts";
import type { ReceiverSettings } from "./resolve-options.ts";
import type { AnyOctoEvent, BookingUpdateEvent } from "./types.ts";

/** A body that parsed and passed validation: what admission and the handlers work on. */
export interface ParsedDelivery {
  /** The event it is dispatched as. */
  event: string;
  /** Whether this version models the event (`booking_update`, ..., `product_update`). */
  known: boolean;
  /** For an `order_update`: the booking lifecycle events its bookings fire (see `orderBookingEvents`). */
  bookings?: OrderBookingEvent[] | undefined;
  /** The parsed body. */
  body: Record<string, unknown>;
  /** What its handlers get second. */
  context: DeliveryContext;
  /** For a notification delivery (`{ type, data }`, event `"notification"`): the normalised notification. */
  notification?: OctoNotification | undefined;
}

/** Whether a `content-type` is JSON (`application/json`, `application/*+json`, or none at all). */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === "application/json" || value === "application/json; charset=utf-8") return true;
  if (value === undefined || value.trim() === "") return true;
  const type = (value.split(";", 1)[0] ?? "").trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // only what JSON.parse refused is looked at again: an empty body is not worth a scan of every body
    if (/^\s*$/.test(text))
      throw new OctoRequestError("EMPTY_BODY", "the body is empty; expected a JSON object");
    throw new OctoRequestError("MALFORMED_JSON", "the body is not valid JSON");
  }
}

/**
 * Parses and validates a body; throws `OctoRequestError` (400, or 422 for an unknown event with
 * `unknownEvents: "reject"`). `key` is a delivery key the caller already has; `supplier` the
 * configured supplier that sent it.
 */
export function parseDelivery(
  input: ReadBody,
  headers: HeaderLookup | undefined,
  key: string | undefined,
  settings: Pick<ReceiverSettings<unknown>, "validator" | "strict" | "unknownEvents">,
  supplier?: string,
): ParsedDelivery {
  const rawBody = input.text;
  const body = rawBody === undefined ? input.parsed : parseText(rawBody);
  if (!isObject(body)) throw new OctoRequestError("INVALID_BODY", "the body must be a JSON object");
  if (isNotificationBody(body)) {
    // a thin OCTO notification: normalised here; its own path (notification-dispatch.ts) takes it on
    const notification = toNotification(body);
    const context = new DeliveryContext(
      "notification",
      undefined,
      rawBody,
      undefined,
      body,
      headers,
      key,
      supplier,
    );
    context.notification = notification;
    const normalised = notification as unknown as Record<string, unknown>;
    return { event: "notification", known: true, body: normalised, context, notification };
  }
  const { event, webhookEvent } = resolveEvent(body);
  const known = isModelled(event);
  if (!known && settings.unknownEvents === "reject") {
    throw new OctoRequestError(
      "UNKNOWN_EVENT",
      `"${event.slice(0, 100)}" is not an event this receiver handles (unknownEvents: "reject")`,
    );
  }
  const issues = settings.validator(event, body);
  if (issues.length > 0) {
    throw new OctoRequestError(
      "INVALID_BODY",
      `the ${event} body is invalid at ${issues.map((i) => i.path).join(", ")}` +
        (settings.strict ? ' (validation: "strict")' : ""),
      { issues: [...issues] },
    );
  }
  // validated: a booking_update body has a booking with a uuid, an order_update an order with an id
  const isOrder = event === "order_update";
  const lifecycle =
    event === "booking_update"
      ? bookingLifecycleEvent(body as BookingUpdateEvent)
      : isOrder
        ? orderLifecycleEvent(body)
        : undefined;
  const context = new DeliveryContext(event, webhookEvent, rawBody, lifecycle, body, headers, key, supplier);
  return { event, known, body, context, bookings: isOrder ? orderBookingEvents(body) : undefined };
}

/** What handlers get first: the body, with `productId` and `optionId` at the top of an `availability_update`. */
export function toPayload({ event, body }: Pick<ParsedDelivery, "event" | "body">): AnyOctoEvent {
  // validated: the body has the shape of its event
  if (event !== "availability_update") return body as AnyOctoEvent;
  const availability = isObject(body.availability) ? body.availability : {};
  const pick = (key: "productId" | "optionId") => {
    const top = body[key];
    if (typeof top === "string") return top;
    const inner = availability[key];
    return typeof inner === "string" ? inner : undefined;
  };
  return { ...body, productId: pick("productId"), optionId: pick("optionId") } as AnyOctoEvent;
}
