export { type AdapterOptions, adapterWebhooks } from "./adapter-options.ts";
export type { AuthConfig, AuthOption, AuthRequest, BasicCredentials, HeaderCredential } from "./auth.ts";
export { createMemoryStore, type MemoryStoreOptions } from "./create-memory-store.ts";
export {
  type AckFirstOptions,
  createOctoWebhooks,
  type DedupeOptions,
  type DeliveryHookOptions,
  type ExecutionContextLike,
  type LifecycleHandlerMethods,
  type LifecycleHandlerOptions,
  type OctoHandlerOptions,
  type OctoRequest,
  type OctoResponse,
  type OctoWebhooks,
  type OctoWebhooksOptions,
  type ReceiveOptions,
  type ReceiveResult,
  type StaleGuardOptions,
} from "./create-octo-webhooks.ts";
export { deliveryKey } from "./delivery-key.ts";
export type { ClaimResult, DeliveryStore } from "./delivery-store.ts";
export {
  NonRetryableError,
  type OctoErrorCode,
  OctoHandlerError,
  OctoRequestError,
  OctoWebhooksError,
  type ValidationIssue,
} from "./errors.ts";
export type { HeaderLookup } from "./headers.ts";
export {
  BOOKING_LIFECYCLE_EVENTS,
  BOOKING_STATUS_EVENTS,
  type BookingLifecycleEvent,
  bookingLifecycleEvent,
} from "./lifecycle.ts";
export { lingerBeforeClose, type NodeRequestLike } from "./linger-before-close.ts";
export { matchesPath } from "./match-path.ts";
export { parseInstant } from "./parse-instant.ts";
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
  BookingLifecycleEventMap,
  BookingUpdateEvent,
  Cancellation,
  Contact,
  Diff,
  DuplicateContext,
  HandlerContext,
  Logger,
  OctoDuplicateHandler,
  OctoErrorHandler,
  OctoEventMap,
  OctoEventName,
  OctoHandler,
  OctoHandlerEventMap,
  OctoStaleHandler,
  Pricing,
  StaleContext,
  Supplier,
  Ticket,
  UnitItem,
  UnknownEvent,
  Webhook,
} from "./types.ts";
