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
 * At run time `lenientValidation` (validation.ts) checks these shapes by hand, without zod, so that the
 * default path stays fast and out of edge bundles; a test holds the two equal on every combination.
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
