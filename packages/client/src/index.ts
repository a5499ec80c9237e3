/**
 * Manage a supplier's OCTO webhooks and notification subscriptions: {@link createOctoClient} creates,
 * lists, updates and deletes them, and `sync()` makes them exactly what you declare; its `hydrator()`
 * (and {@link hydrators} for many suppliers) fetches what a thin notification names;
 * {@link webhookUrl} puts Basic credentials in a URL; {@link createReconciler} reads back what a supplier
 * holds so that what it did not deliver still reaches the receiver's handlers, once.
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
export type { ClientLogger, RetryOptions } from "./http/send.ts";
export { redactUrl } from "./http/urls.ts";
export { type HydratingClient, hydrators, isNotFound } from "./reads/hydrators.ts";
export type {
  AvailabilityQuery,
  BookingsQuery,
  OctoAvailabilityApi,
  OctoBookingsApi,
  OctoOrdersApi,
  OctoProductsApi,
  ReadOptions,
} from "./reads/read-calls.ts";
export { createReconciler } from "./reconcile/create-reconciler.ts";
export type {
  AvailabilityToReconcile,
  DriftedRegistration,
  ReconcileCounts,
  ReconciledClient,
  ReconciledReceiver,
  ReconciledSupplier,
  ReconcileIds,
  ReconcileResume,
  ReconcileRunOptions,
  Reconciler,
  ReconcilerOptions,
  ReconcileSummary,
  RecreatedRegistration,
  StateListing,
  SupplierReconcileSummary,
  SupplierResume,
  TravelWindow,
  WatchedRegistrations,
} from "./reconcile/types.ts";
export { isHeaderName } from "./registrations/check-input.ts";
export { reconcilerSuppliers } from "./suppliers/reconciler-suppliers.ts";
export { supplierClients } from "./suppliers/supplier-clients.ts";
export {
  type SupplierDrift,
  type SupplierStatusOutcome,
  type SupplierStatusRow,
  supplierStatus,
} from "./suppliers/supplier-status.ts";
export {
  type EnvSource,
  type HookCredentialsEnv,
  type HookHeaderEnv,
  receiverSuppliers,
  type SupplierEntry,
  type SupplierEventName,
  type SuppliersConfig,
} from "./suppliers/suppliers-config.ts";
export {
  type SupplierSyncOutcome,
  type SupplierSyncRow,
  type SyncSuppliersOptions,
  type SyncSuppliersResult,
  syncSuppliers,
} from "./suppliers/sync-suppliers.ts";
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
