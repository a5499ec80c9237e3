import * as z from "zod/mini";
import { buildSchemas } from "./build-schemas.ts";
import { lenientKit, strictKit } from "./kit.ts";

/**
 * Lenient schemas: what real OCTO senders send. Use them to parse payloads yourself
 * (`BookingSchema.parse(json)`); every public payload type is inferred from them.
 */
export const lenientSchemas = buildSchemas(lenientKit);

/** Strict schemas: the official OCTO shape (required fields, closed enums, ISO 8601 UTC timestamps). */
export const strictSchemas = buildSchemas(strictKit);

export const {
  Booking: BookingSchema,
  UnitItem: UnitItemSchema,
  Contact: ContactSchema,
  Ticket: TicketSchema,
  Cancellation: CancellationSchema,
  Pricing: PricingSchema,
  BookingAvailability: BookingAvailabilitySchema,
  Availability: AvailabilitySchema,
  Webhook: WebhookSchema,
  Diff: DiffSchema,
  Supplier: SupplierSchema,
  BookingUpdate: BookingUpdateSchema,
  AvailabilityUpdate: AvailabilityUpdateSchema,
} = lenientSchemas;

const { Booking, Availability, Webhook, Diff } = lenientSchemas;
const optional = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));

/**
 * What lenient mode checks at run time: only the fields that dispatch and delivery semantics read.
 * Everything else is passed to handlers as sent (typed by the lenient schemas, not checked), so a
 * sender's surprise in a field nobody reads never turns a delivery into a 400 that is retried forever.
 * These are plain (stripping) objects on purpose: they visit the listed keys only.
 */
const DispatchWebhook = optional(z.object({ event: Webhook.shape.event }));

export const dispatchSchemas = {
  booking_update: z.object({
    webhook: DispatchWebhook,
    booking: z.object({
      uuid: Booking.shape.uuid,
      status: Booking.shape.status,
      utcUpdatedAt: Booking.shape.utcUpdatedAt,
    }),
    diff: optional(z.array(z.object({ op: Diff.shape.op, path: Diff.shape.path }))),
  }),
  availability_update: z.object({
    webhook: DispatchWebhook,
    availability: z.object({
      id: Availability.shape.id,
      productId: Availability.shape.productId,
      optionId: Availability.shape.optionId,
    }),
    productId: optional(z.string()),
    optionId: optional(z.string()),
  }),
  unknown: z.object({ webhook: DispatchWebhook }),
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isOptionalString = (value: unknown) =>
  value === undefined || value === null || typeof value === "string";
const webhookPasses = (webhook: unknown) =>
  webhook === undefined || webhook === null || (isObject(webhook) && isOptionalString(webhook.event));

/**
 * `dispatchSchemas[event].safeParse(body).success`, by hand: the same answer for every body (a test
 * holds them equal) in a twentieth of the time. Lenient validation asks this first and runs zod only
 * on a refusal, for its issues; zod was a tenth of a delivery.
 */
export function passesDispatchSchema(
  event: keyof typeof dispatchSchemas,
  body: Record<string, unknown>,
): boolean {
  if (!webhookPasses(body.webhook)) return false;
  if (event === "booking_update") {
    const { booking, diff } = body;
    if (!isObject(booking) || typeof booking.uuid !== "string") return false;
    if (!isOptionalString(booking.status) || !isOptionalString(booking.utcUpdatedAt)) return false;
    if (diff === undefined || diff === null) return true;
    if (!Array.isArray(diff)) return false;
    for (const change of diff) {
      if (!isObject(change) || !isOptionalString(change.op) || !isOptionalString(change.path)) return false;
    }
    return true;
  }
  if (event === "availability_update") {
    const { availability } = body;
    return (
      isObject(availability) &&
      typeof availability.id === "string" &&
      isOptionalString(availability.productId) &&
      isOptionalString(availability.optionId) &&
      isOptionalString(body.productId) &&
      isOptionalString(body.optionId)
    );
  }
  return true;
}
