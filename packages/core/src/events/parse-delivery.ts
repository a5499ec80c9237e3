// The parse step: from a body (text, or a value a body parser made) to a validated delivery with its
// handler context, its event resolved and its lifecycle event decided.

import { shown } from "../errors/codes.ts";
import { OctoRequestError } from "../errors/errors.ts";
import type { ReadBody } from "../http/read-body.ts";
import { isNotificationBody, type OctoNotification, toNotification } from "../notifications/notification.ts";
import type { DeliveryTelemetry } from "../telemetry/telemetry.ts";
import { bookingLifecycleEvent } from "./booking-lifecycle.ts";
import { DeliveryContext, type DeliveryOrigin } from "./delivery-context.ts";
import { isModelled } from "./event-table.ts";
import type { OctoValidator } from "./lenient-validation.ts";
import { type OrderBookingEvent, orderBookingEvents, orderLifecycleEvent } from "./order-lifecycle.ts";
import { resolveEvent } from "./resolve-event.ts";
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
  /** Its telemetry, with the `telemetry` option: handlers run in its spans, log lines carry its trace id. */
  span?: DeliveryTelemetry | undefined;
  /** Handlers run whatever `dedupe` and `staleGuard` would say (`receive()`'s `force`, a replay). */
  force?: boolean | undefined;
}

/** How bodies are checked: the validator, whether it is the strict one, and what an unknown event gets. */
export interface ParseSettings {
  validator: OctoValidator;
  /** Said in the message of a 400, so that a strict refusal is not mistaken for a lenient one. */
  strict: boolean;
  unknownEvents: "accept" | "reject";
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
 * `unknownEvents: "reject"`). `origin` says where it came from (headers, supplier, a known key).
 */
export function parseDelivery(
  input: ReadBody,
  origin: DeliveryOrigin,
  settings: ParseSettings,
): ParsedDelivery {
  const rawBody = input.text;
  const body = rawBody === undefined ? input.parsed : parseText(rawBody);
  if (!isObject(body)) throw new OctoRequestError("INVALID_BODY", "the body must be a JSON object");
  if (isNotificationBody(body)) {
    // a thin OCTO notification: normalised here; the pipeline's notification step takes it on
    const notification = toNotification(body);
    const context = new DeliveryContext({ ...origin, event: "notification", rawBody, body, notification });
    const normalised = notification as unknown as Record<string, unknown>;
    const bookings = undefined;
    return {
      event: "notification",
      known: true,
      body: normalised,
      context,
      bookings,
      notification,
      span: undefined,
    };
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
      `the ${shown(event)} body is invalid at ${issues.map((i) => i.path).join(", ")}` +
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
  const context = new DeliveryContext({
    headers: origin.headers,
    key: origin.key,
    supplier: origin.supplier,
    source: origin.source,
    event,
    webhookEvent,
    rawBody,
    lifecycle,
    body,
  });
  const bookings = isOrder ? orderBookingEvents(body) : undefined;
  return { event, known, body, context, bookings, notification: undefined, span: undefined };
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
