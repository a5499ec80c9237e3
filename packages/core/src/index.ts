/**
 * Receive OCTO webhooks (`booking_update`, `availability_update`, `order_update`, `product_update`) with typed handlers, lenient parsing
 * of what real suppliers send and optional auth, on Node and Web-standard runtimes. `createOctoWebhooks()`
 * makes a receiver; its `handle()` and `fetch()` make every HTTP decision (see {@link STATUS_BY_CODE}).
 * One build for every runtime and bundler, without zod: the zod schemas and `strictValidation` are at
 * `@octo-webhooks/core/schemas`; what only adapters use is at `@octo-webhooks/core/adapter`.
 *
 * @packageDocumentation
 */
export { createMemoryStore, type MemoryStoreOptions } from "./admission/create-memory-store.ts";
export type {
  ClaimedDelivery,
  ClaimResult,
  DeliveryStore,
  ResourceState,
  StatePage,
} from "./admission/delivery-store.ts";
export type {
  AuthConfig,
  AuthOption,
  AuthRequest,
  BasicCredentials,
  HeaderCredential,
  SupplierConfig,
  SuppliersOption,
} from "./auth/credentials.ts";
export { type OctoErrorCode, STATUS_BY_CODE } from "./errors/codes.ts";
export {
  NonRetryableError,
  OctoHandlerError,
  OctoRequestError,
  OctoWebhooksError,
  type ValidationIssue,
} from "./errors/errors.ts";
export {
  BOOKING_LIFECYCLE_EVENTS,
  BOOKING_STATUS_EVENTS,
  type BookingLifecycleEvent,
  bookingLifecycleEvent,
} from "./events/booking-lifecycle.ts";
export { deliveryKey } from "./events/delivery-key.ts";
export { lenientValidation, type OctoValidator } from "./events/lenient-validation.ts";
export type { OrderBody } from "./events/order-lifecycle.ts";
export {
  ORDER_LIFECYCLE_EVENTS,
  ORDER_STATUS_EVENTS,
  type OrderBookingEvent,
  type OrderLifecycleEvent,
  orderBookingEvents,
  orderLifecycleEvent,
} from "./events/order-lifecycle.ts";
export { parseInstant } from "./events/parse-instant.ts";
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
  OrderUpdateHandler,
  Pricing,
  Product,
  ProductOption,
  ProductUnit,
  ProductUpdateEvent,
  ProductUpdateHandler,
  StaleCheckedEvent,
  StaleContext,
  StatusEvents,
  Supplier,
  Ticket,
  UnitItem,
  UnknownEvent,
  Webhook,
  WithVendorFields,
} from "./events/types.ts";
export type { HeaderLookup } from "./http/headers.ts";
export type { RequestBody } from "./http/read-body.ts";
export { createMemoryLog, type MemoryLogOptions } from "./log/create-memory-log.ts";
export {
  type DeliveryLog,
  type DeliveryLogEntry,
  type DeliveryLogFilter,
  type DeliveryLogPage,
  type DeliveryOutcome,
  type LoggedHandler,
  matchesFilter,
} from "./log/delivery-log.ts";
export { LOG_INSTRUMENT, type LogInstrument, type LogInstrumentSettings } from "./log/log-instrument.ts";
export { logDeliveries } from "./log/log-telemetry.ts";
export type { Logger, OctoLogFields } from "./log/logger.ts";
export { type ReplayOptions, type ReplaySummary, replayDeliveries } from "./log/replay-deliveries.ts";
export type { HydrateOption, OctoHydrator } from "./notifications/create-hydrator.ts";
export type {
  AvailabilityNotification,
  BookingNotification,
  NotificationType,
  OctoNotification,
  ProductNotification,
} from "./notifications/notification.ts";
export { createOctoWebhooks } from "./receiver/create-octo-webhooks.ts";
export type { AnyHandler } from "./receiver/handler-registry.ts";
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
  RememberedResource,
  StaleGuardOptions,
} from "./receiver/types.ts";
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
export type {
  DeliveryTelemetry,
  OctoTelemetry,
  ReceiverTelemetry,
  TelemetryDelivery,
  TelemetryReceiver,
} from "./telemetry/telemetry.ts";
