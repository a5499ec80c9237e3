/**
 * Manage a supplier's OCTO webhooks and notification subscriptions: {@link createOctoClient} creates,
 * lists, updates and deletes them, and `sync()` makes them exactly what you declare; its `hydrator()`
 * (and {@link hydrators} for many suppliers) fetches what a thin notification names;
 * {@link webhookUrl} puts Basic credentials in a URL.
 * Runs on Node and Web-standard runtimes.
 *
 * @packageDocumentation
 */
// The notification types a hydrator written with the client alone is typed with: core's.
export type {
  AvailabilityNotification,
  BookingNotification,
  NotificationType,
  OctoHydrator,
  OctoNotification,
  ProductNotification,
} from "@octo-webhooks/core";
export { createOctoClient, type OctoClient, type OctoClientOptions } from "./create-octo-client.ts";
export { OctoApiError, OctoClientError, type OctoClientErrorCode } from "./errors.ts";
export type { HydratingClient } from "./hydrator-of.ts";
export { hydrators } from "./hydrators.ts";
export { isHeaderName } from "./is-header-name.ts";
export { isNotFound } from "./is-not-found.ts";
export type {
  AvailabilityQuery,
  OctoAvailabilityApi,
  OctoBookingsApi,
  OctoProductsApi,
  ReadOptions,
} from "./read-calls.ts";
export { receiverSuppliers } from "./receiver-suppliers.ts";
export { redactUrl } from "./redact-url.ts";
export type { ClientLogger, RetryOptions } from "./send.ts";
export { supplierClients } from "./supplier-clients.ts";
export { type SupplierStatusOutcome, type SupplierStatusRow, supplierStatus } from "./supplier-status.ts";
export type { EnvSource, HookCredentialsEnv, SupplierEntry, SuppliersConfig } from "./suppliers-config.ts";
export {
  type SupplierSyncOutcome,
  type SupplierSyncRow,
  type SyncSuppliersOptions,
  type SyncSuppliersResult,
  syncSuppliers,
} from "./sync-suppliers.ts";
export type {
  NotificationsCapability,
  NotificationTypeName,
  OctoNotificationsApi,
  OctoWebhooksApi,
  PlannedUpdate,
  RegisteredSubscription,
  RegisteredWebhook,
  RequestOptions,
  SubscriptionField,
  SubscriptionInput,
  SubscriptionPatch,
  SubscriptionPlan,
  SubscriptionSyncResult,
  SyncedField,
  SyncOptions,
  SyncPlan,
  SyncResult,
  WebhookEvent,
  WebhookInput,
  WebhookPatch,
} from "./types.ts";
export { type WebhookCredentials, webhookUrl } from "./webhook-url.ts";
