/**
 * Manage a supplier's OCTO webhooks and notification subscriptions: {@link createOctoClient} creates,
 * lists, updates and deletes them, and `sync()` makes them exactly what you declare; its `hydrator()`
 * (and {@link hydrators} for many suppliers) fetches what a thin notification names;
 * {@link webhookUrl} puts Basic credentials in a URL.
 * Runs on Node and Web-standard runtimes.
 *
 * @packageDocumentation
 */
export {
  createOctoClient,
  type OctoClient,
  type OctoClientOptions,
  type OctoWebhooksApi,
  type RegisteredWebhook,
  type RequestOptions,
  type WebhookEvent,
  type WebhookInput,
  type WebhookPatch,
} from "./create-octo-client.ts";
export { OctoApiError, OctoClientError, type OctoClientErrorCode } from "./errors.ts";
export { isHeaderName } from "./header-name.ts";
export type { ClientLogger, RetryOptions } from "./http.ts";
export { type HydratingClient, hydrators, isNotFound } from "./hydrator.ts";
export type {
  SubscriptionField,
  SubscriptionPlan,
  SubscriptionSyncResult,
} from "./notification-sync.ts";
export type {
  AvailabilityNotification,
  BookingNotification,
  NotificationType,
  OctoHydrator,
  OctoNotification,
  ProductNotification,
} from "./notification-types.ts";
export type {
  NotificationTypeName,
  RegisteredSubscription,
  SubscriptionInput,
  SubscriptionPatch,
} from "./notifications.ts";
export type { NotificationsCapability, OctoNotificationsApi } from "./notifications-api.ts";
export type {
  AvailabilityQuery,
  OctoAvailabilityApi,
  OctoBookingsApi,
  OctoProductsApi,
  ReadOptions,
} from "./reads.ts";
export { redactUrl } from "./redact-url.ts";
export { supplierClients } from "./supplier-clients.ts";
export {
  type EnvSource,
  type HookCredentialsEnv,
  receiverSuppliers,
  type SupplierEntry,
  type SuppliersConfig,
} from "./suppliers-config.ts";
export type { PlannedUpdate, SyncedField, SyncOptions, SyncPlan, SyncResult } from "./sync.ts";
export {
  type SupplierStatusOutcome,
  type SupplierStatusRow,
  type SupplierSyncOutcome,
  type SupplierSyncRow,
  type SyncSuppliersOptions,
  type SyncSuppliersResult,
  supplierStatus,
  syncSuppliers,
} from "./sync-suppliers.ts";
export { type WebhookCredentials, webhookUrl } from "./webhook-url.ts";
