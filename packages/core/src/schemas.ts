/**
 * `@octo-webhooks/core/schemas`: the zod schemas of OCTO payloads (lenient and strict) and
 * {@link strictValidation}, apart from core's main entry, which leaves zod out to stay small on every
 * runtime and bundler.
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
