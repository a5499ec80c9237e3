/**
 * `@octo-webhooks/core/schemas`: the zod schemas of OCTO payloads (lenient and strict) and
 * {@link strictValidation}, apart from the edge build, which leaves zod out to stay small. The Node build
 * of `@octo-webhooks/core` exports them too.
 *
 * @packageDocumentation
 */

export { strictValidation } from "./events/strict-validation.ts";
export {
  AvailabilitySchema,
  AvailabilityUpdateSchema,
  BookingAvailabilitySchema,
  BookingSchema,
  BookingUpdateSchema,
  CancellationSchema,
  ContactSchema,
  DiffSchema,
  lenientSchemas,
  OrderSchema,
  OrderUpdateSchema,
  PricingSchema,
  ProductSchema,
  ProductUpdateSchema,
  SupplierSchema,
  strictSchemas,
  TicketSchema,
  UnitItemSchema,
  WebhookSchema,
} from "./schemas/index.ts";
