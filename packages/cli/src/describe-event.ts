import type { Colors } from "./output.ts";
import { safeText } from "./safe-text.ts";

type Json = Record<string, unknown>;
// every value printed comes from the delivery: escaped, so that it cannot drive the terminal
const str = (value: unknown) =>
  typeof value === "string" || typeof value === "number" ? safeText(value) : "?";

/**
 * One readable line for a delivery body: what happened to which booking or slot. Reads only what it
 * prints, so any body (lenient, unknown events) can be described.
 */
export function describeEvent(event: string, body: Json, c: Colors): string {
  if (isNotification(body)) return describeNotification(body, c);
  if (event === "booking_update" && typeof body.booking === "object" && body.booking !== null) {
    const booking = body.booking as Json;
    const diff = Array.isArray(body.diff) ? (body.diff as Json[]) : [];
    const change = diff.find((d) => d.path === "/status");
    const status = change
      ? `${str(change.was)} → ${c.bold(str(booking.status))}`
      : c.bold(str(booking.status));
    const others = diff.length - (change ? 1 : 0);
    const units = Array.isArray(booking.unitItems) ? `${booking.unitItems.length} units` : undefined;
    const details = [
      units,
      booking.productId ? `product ${str(booking.productId)}` : undefined,
      others > 0 ? `${others} other change${others === 1 ? "" : "s"}` : undefined,
    ].filter(Boolean);
    return `booking ${str(booking.uuid)} ${status}${details.length ? c.dim(` (${details.join(", ")})`) : ""}`;
  }
  if (
    event === "availability_update" &&
    typeof body.availability === "object" &&
    body.availability !== null
  ) {
    const slot = body.availability as Json;
    const productId = body.productId ?? slot.productId;
    const seats =
      slot.vacancies === null || slot.vacancies === undefined
        ? "no seat limit"
        : `${str(slot.vacancies)}/${str(slot.capacity)} left`;
    return `availability ${str(slot.id)} ${c.bold(str(slot.status))}${c.dim(` (${seats}${productId ? `, product ${str(productId)}` : ""})`)}`;
  }
  if (event === "order_update" && typeof body.order === "object" && body.order !== null) {
    const order = body.order as Json;
    const change = Array.isArray(body.diff)
      ? (body.diff as Json[]).find((d) => d.path === "/status")
      : undefined;
    const status = change ? `${str(change.was)} → ${c.bold(str(order.status))}` : c.bold(str(order.status));
    const bookings = Array.isArray(order.bookings) ? (order.bookings as Json[]) : [];
    const statuses = bookings.map((b) => str(b?.status)).join(", ");
    return `order ${str(order.id)} ${status}${c.dim(` (${bookings.length} booking${bookings.length === 1 ? "" : "s"}${statuses ? `: ${statuses}` : ""})`)}`;
  }
  if (event === "product_update" && typeof body.product === "object" && body.product !== null) {
    const product = body.product as Json;
    const options = Array.isArray(product.options) ? product.options.length : 0;
    return `product ${str(product.id)} ${c.bold(str(product.internalName))}${c.dim(` (${options} option${options === 1 ? "" : "s"})`)}`;
  }
  return `${safeText(event)} ${c.dim("(an event this version does not model; accepted)")}`;
}

/** Whether a body is a thin OCTO notification (`{ type, data }`, no webhook resource). */
export function isNotification(body: Json): body is { type: string; data: Json } {
  return (
    typeof body.type === "string" &&
    typeof body.data === "object" &&
    body.data !== null &&
    !("webhook" in body)
  );
}

/** One line for a thin notification: its type and the identifiers it carries (any field spelling). */
export function describeNotification(body: { type: string; data: Json }, c: Colors): string {
  const { data } = body;
  const type = c.bold(safeText(body.type.toUpperCase()));
  const pick = (...names: string[]) => names.map((n) => data[n]).find((v) => v !== undefined && v !== null);
  const ids = [
    ["booking", pick("uuid", "bookingUuid", "booking_uuid")],
    ["product", pick("productId", "product_id")],
    ["option", pick("optionId", "option_id")],
    ["from", pick("localDateStart", "local_date_start")],
    ["to", pick("localDateEnd", "local_date_end")],
  ]
    .filter(([, v]) => v !== undefined)
    .map(([name, v]) => `${name} ${str(v)}`);
  return `${type} ${ids.join(" ")}${c.dim(" (thin notification)")}`;
}
