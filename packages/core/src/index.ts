export { type AdapterOptions, adapterWebhooks } from "./adapter-options.ts";
export type { AuthConfig, AuthOption, AuthRequest, BasicCredentials, HeaderCredential } from "./auth.ts";
export {
  createOctoWebhooks,
  type OctoHandlerOptions,
  type OctoRequest,
  type OctoResponse,
  type OctoWebhooks,
  type OctoWebhooksOptions,
  type ReceiveOptions,
  type ReceiveResult,
} from "./create-octo-webhooks.ts";
export {
  NonRetryableError,
  type OctoErrorCode,
  OctoHandlerError,
  OctoRequestError,
  OctoWebhooksError,
  type ValidationIssue,
} from "./errors.ts";
export type { HeaderLookup } from "./headers.ts";
export { matchesPath } from "./match-path.ts";
export type { RequestBody } from "./read-body.ts";
export {
  AVAILABILITY_STATUSES,
  BOOKING_STATUSES,
  DELIVERY_FORMATS,
  DELIVERY_METHODS,
  DIFF_OPS,
  NEWER_WEBHOOK_EVENTS,
  REDEMPTION_METHODS,
  REFUND_TYPES,
  UNIT_TYPES,
  WEBHOOK_EVENTS,
} from "./schemas/enums.ts";
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
export { STATUS_BY_CODE } from "./status.ts";
export type {
  AnyOctoEvent,
  Availability,
  AvailabilityUpdateEvent,
  Booking,
  BookingAvailability,
  BookingUpdateEvent,
  Cancellation,
  Contact,
  Diff,
  HandlerContext,
  Logger,
  OctoErrorHandler,
  OctoEventMap,
  OctoEventName,
  OctoHandler,
  Pricing,
  Supplier,
  Ticket,
  UnitItem,
  UnknownEvent,
  Webhook,
} from "./types.ts";
