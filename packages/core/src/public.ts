// What both builds export, zod-free; the entry points add their `createOctoWebhooks` and `adapterWebhooks`,
// and the Node build the zod schemas too (on the edge they are at `@octo-webhooks/core/schemas`).
export type { AdapterOptions } from "./adapter-options.ts";
export type { AuthConfig, AuthOption, AuthRequest, BasicCredentials, HeaderCredential } from "./auth.ts";
export { createMemoryStore, type MemoryStoreOptions } from "./create-memory-store.ts";
export type {
  AckFirstOptions,
  DedupeOptions,
  DeliveryHookOptions,
  ExecutionContextLike,
  LifecycleHandlerMethods,
  LifecycleHandlerOptions,
  OctoHandlerOptions,
  OctoRequest,
  OctoResponse,
  OctoWebhooks,
  OctoWebhooksOptions,
  ReceiveOptions,
  ReceiveResult,
  StaleGuardOptions,
} from "./create-receiver.ts";
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
export { lenientValidation, type OctoValidator } from "./validation.ts";
