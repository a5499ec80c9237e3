// What both builds export, zod-free; the entry points add their `createOctoWebhooks`, and the Node
// build the zod schemas too (on the edge they are at `@octo-webhooks/core/schemas`). What only
// adapters use is at `@octo-webhooks/core/adapter` (`adapter.ts`); `AdapterOptions`, the type of every
// adapter's options, is in both.
export type { AuthConfig, AuthOption, AuthRequest, BasicCredentials, HeaderCredential } from "./auth.ts";
export { createMemoryStore, type MemoryStoreOptions } from "./create-memory-store.ts";
export { deliveryKey } from "./delivery-key.ts";
export type { ClaimedDelivery, ClaimResult, DeliveryStore } from "./delivery-store.ts";
export {
  NonRetryableError,
  type OctoErrorCode,
  OctoHandlerError,
  OctoRequestError,
  OctoWebhooksError,
  type ValidationIssue,
} from "./errors.ts";
export type { AnyHandler } from "./handler-registry.ts";
export type { HeaderLookup } from "./headers.ts";
export type { HydrateOption, OctoHydrator } from "./hydrate.ts";
export {
  BOOKING_LIFECYCLE_EVENTS,
  BOOKING_STATUS_EVENTS,
  type BookingLifecycleEvent,
  bookingLifecycleEvent,
} from "./lifecycle.ts";
export type { OctoLogFields } from "./log-fields.ts";
export type {
  AvailabilityNotification,
  BookingNotification,
  NotificationType,
  OctoNotification,
  ProductNotification,
} from "./notification.ts";
export type { OrderBody } from "./order-lifecycle.ts";
export {
  ORDER_LIFECYCLE_EVENTS,
  ORDER_STATUS_EVENTS,
  type OrderBookingEvent,
  type OrderLifecycleEvent,
  orderBookingEvents,
  orderLifecycleEvent,
} from "./order-lifecycle.ts";
export { parseInstant } from "./parse-instant.ts";
export type { RequestBody } from "./read-body.ts";
export type {
  AckFirstOptions,
  AdapterOptions,
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
} from "./receiver-types.ts";
export {
  AVAILABILITY_STATUSES,
  AVAILABILITY_TYPES,
  BOOKING_STATUSES,
  DELIVERY_FORMATS,
  DELIVERY_METHODS,
  DIFF_OPS,
  DURATION_UNITS,
  ORDER_STATUSES,
  REDEMPTION_METHODS,
  REFUND_TYPES,
  SETTLEMENT_METHODS,
  UNIT_TYPES,
  WEBHOOK_EVENTS,
} from "./schemas/enums.ts";
export { STATUS_BY_CODE } from "./status.ts";
export type { SupplierConfig, SuppliersOption } from "./supplier-auth.ts";
export type {
  DeliveryTelemetry,
  OctoTelemetry,
  ReceiverTelemetry,
  TelemetryDelivery,
  TelemetryReceiver,
} from "./telemetry.ts";
export type {
  AnyOctoEvent,
  Availability,
  AvailabilityUpdateEvent,
  AvailabilityUpdateHandler,
  Booking,
  BookingAvailability,
  BookingLifecycleEventMap,
  BookingLifecyclePayload,
  BookingOption,
  BookingProduct,
  BookingUpdateEvent,
  BookingUpdateHandler,
  Cancellation,
  Contact,
  Diff,
  DiffEntry,
  DuplicateContext,
  HandlerContext,
  LifecycleHandler,
  LifecycleStatus,
  Logger,
  OctoDuplicateHandler,
  OctoErrorHandler,
  OctoEventMap,
  OctoEventName,
  OctoHandler,
  OctoHandlerEventMap,
  OctoStaleHandler,
  Order,
  OrderLifecycleEventMap,
  OrderUpdateEvent,
  Pricing,
  Product,
  ProductOption,
  ProductUnit,
  ProductUpdateEvent,
  StaleCheckedEvent,
  StaleContext,
  StatusEvents,
  Supplier,
  Ticket,
  UnitItem,
  UnknownEvent,
  Webhook,
  WithVendorFields,
} from "./types.ts";
export { lenientValidation, type OctoValidator } from "./validation.ts";
