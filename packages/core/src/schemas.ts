// `@octo-webhooks/core/schemas`: the zod schemas and strict validation, apart from the edge build
// (which leaves zod out to stay small). The Node build of `@octo-webhooks/core` exports them too.
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
  PricingSchema,
  SupplierSchema,
  strictSchemas,
  TicketSchema,
  UnitItemSchema,
  WebhookSchema,
} from "./schemas/index.ts";
export { strictValidation } from "./strict-validation.ts";
