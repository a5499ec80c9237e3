/**
 * Test OCTO webhooks with no account anywhere: event factories valid against OCTO's strict schema
 * ({@link bookingUpdate}, {@link availabilityUpdate}, {@link bookingLifecycle}, {@link orderUpdate},
 * {@link productUpdate}), {@link sendWebhook},
 * {@link startReceiver}, and {@link startMockSupplier}, a supplier that really delivers, with retries.
 *
 * @packageDocumentation
 */
export {
  createDelivery,
  type Delivery,
  type DeliveryAttempt,
  type DeliveryPolicy,
  type DeliveryTarget,
  runDelivery,
} from "./deliver.ts";
export {
  type AvailabilityStatus,
  type AvailabilityUpdateOptions,
  availabilityUpdate,
} from "./factories/availability.ts";
export {
  type BookingLifecycleOptions,
  type BookingStatus,
  type BookingUpdateOptions,
  bookingLifecycle,
  bookingUpdate,
} from "./factories/booking.ts";
export { diffOf } from "./factories/diff.ts";
export {
  type OrderState,
  type OrderStatus,
  type OrderUpdateOptions,
  orderUpdate,
} from "./factories/order.ts";
export { type ProductUpdateOptions, productUpdate } from "./factories/product.ts";
export type { Seed } from "./factories/random.ts";
export type { FactoryOptions } from "./factories/shared.ts";
export type { DeletedWebhook, MockFaultSettings } from "./mock-supplier/faults.ts";
export type {
  BookingBatchOptions,
  FailureOptions,
  ManagementRequest,
  MockSupplier,
  MockSupplierOptions,
} from "./mock-supplier/mock-supplier.ts";
export type { MockReadSettings, MockReadStats } from "./mock-supplier/resources.ts";
export { startMockSupplier } from "./mock-supplier/start-mock-supplier.ts";
export {
  type MockSuppliers,
  type MockSuppliersOptions,
  startMockSuppliers,
} from "./mock-supplier/start-mock-suppliers.ts";
export type { MockWebhook } from "./mock-supplier/webhooks.ts";
export { type SendWebhookAnswer, type SendWebhookOptions, sendWebhook } from "./send-webhook.ts";
export { type Receiver, type ReceiverOptions, startReceiver } from "./start-receiver.ts";
