// The types the client's files share: what webhooks and notification subscriptions are, what syncing
// them plans and does, and the `Kind` that tells the generic calls one kind from the other. Type-only
// and importing nothing of this package, so that every other file can import it.
import type { NotificationType, Webhook } from "@octo-webhooks/core";

/** An event a webhook can subscribe to; known ones autocomplete, newer ones are accepted. */
export type WebhookEvent =
  | "booking_update"
  | "availability_update"
  | "order_update"
  | "product_update"
  | (string & {});

/** What `POST /webhooks` takes. */
export interface WebhookInput {
  /** Where deliveries go; put Basic credentials in it with `webhookUrl()`. */
  url: string;
  /** The event to subscribe to. */
  event: WebhookEvent;
  /** Whether the supplier retries non-2xx answers (OCTO default: true). */
  retryOnError?: boolean;
  /** Whether the supplier writes deliveries in the booking contact's language (translated content). */
  useContactLanguage?: boolean;
  /** Static headers sent with every delivery (e.g. `{ "x-api-key": "..." }`). */
  headers?: Record<string, string>;
  /**
   * Capabilities the supplier activates before triggering this webhook, which decide the data its
   * deliveries carry (`["octo/pricing"]`...). An `order_update` webhook always gets `octo/cart` (added
   * when missing, after the client's `capabilities` when this is left out).
   */
  capabilities?: readonly string[];
  /** Whether the supplier delivers to it (supplier default: true); `false` pauses it without deleting it. */
  active?: boolean;
}

/** What `PATCH /webhooks/:id` takes: any field of {@link WebhookInput}. */
export type WebhookPatch = Partial<WebhookInput>;

/** A webhook as the supplier returned it: `id` and `event` are always there; unknown fields are kept. */
export type RegisteredWebhook = Webhook & {
  id: string;
  event: NonNullable<Webhook["event"]>;
  /** Whether the supplier delivers to it (suppliers that support pausing a webhook echo it). */
  active?: boolean | null;
};

/** A notification type: the three OCTO ones autocomplete; any case is accepted and sent upper case. */
export type NotificationTypeName = NotificationType | (string & {});

/** What `POST /notifications/subscriptions` takes. */
export interface SubscriptionInput {
  /** Where notifications go; put Basic credentials in it with `webhookUrl()`. */
  url: string;
  /** The types to receive (`["BOOKING_UPDATE"]`...), at least one. */
  notificationTypes: readonly NotificationTypeName[];
  /** Static headers sent with every notification (e.g. `{ "x-api-key": "..." }`). */
  headers?: Record<string, string>;
  /** Whether the supplier retries non-2xx answers (suppliers that support it). */
  retryOnError?: boolean;
  /** Whether the supplier delivers to it (suppliers that support pausing). */
  active?: boolean;
}

/** What `PATCH /notifications/subscriptions/{id}` takes: any field of {@link SubscriptionInput}. */
export type SubscriptionPatch = Partial<SubscriptionInput>;

/**
 * A subscription as the supplier returned it, read leniently: `notificationTypes` comes from
 * `notificationTypes` or the earlier draft's `notification_types`, upper-cased; unknown fields are kept.
 */
export interface RegisteredSubscription {
  id: string;
  url: string | null;
  notificationTypes: string[];
  headers: Record<string, string>;
  retryOnError?: boolean | null;
  active?: boolean | null;
  [field: string]: unknown;
}

/** Which capability id `Octo-Capabilities` names for notifications calls (`"both"`: the two spellings). */
export type NotificationsCapability = "notifications" | "octo/notifications" | "both";

/** Options every management call takes. */
export interface RequestOptions {
  /** Cancels the request (and its retries). */
  signal?: AbortSignal;
}

/** Options of `sync()`. */
export interface SyncOptions extends RequestOptions {
  /** Delete the supplier's registrations that are not desired (default `true`). */
  prune?: boolean;
  /**
   * How a matched registration whose fields changed is updated: `"auto"` (default) tries `PATCH` and
   * falls back to delete + create when the supplier has no `PATCH` (404, 405 or 501); `"patch"` or
   * `"recreate"` force one.
   */
  update?: "auto" | "patch" | "recreate";
}

/** The fields `sync` keeps in line; `url` and `event` identify a webhook. */
export type SyncedField = "retryOnError" | "useContactLanguage" | "headers" | "capabilities" | "active";

/** The fields `notifications.sync` keeps in line; `url` identifies a subscription. */
export type SubscriptionField = "notificationTypes" | "headers" | "retryOnError" | "active";

/** A webhook `sync` would update, and why. */
export interface PlannedUpdate {
  /** The supplier's webhook, as listed. */
  webhook: RegisteredWebhook;
  /** What it should be. */
  desired: WebhookInput;
  /** The fields that differ. */
  changes: SyncedField[];
}

/** What `sync` would do. */
export interface SyncPlan {
  create: WebhookInput[];
  update: PlannedUpdate[];
  delete: Array<{ webhook: RegisteredWebhook; reason: "not-desired" | "duplicate" }>;
  keep: RegisteredWebhook[];
}

/** What `sync` did. */
export interface SyncResult {
  created: RegisteredWebhook[];
  /** `via: "recreate"` when the supplier has no PATCH: the webhook was deleted and created again (new id). */
  updated: Array<{
    webhook: RegisteredWebhook;
    previous: RegisteredWebhook;
    changes: SyncedField[];
    via: "patch" | "recreate";
  }>;
  deleted: RegisteredWebhook[];
  kept: RegisteredWebhook[];
  /** Whether anything was created, updated or deleted. */
  changed: boolean;
}

/** What `notifications.sync` would do. */
export interface SubscriptionPlan {
  create: SubscriptionInput[];
  update: Array<{
    subscription: RegisteredSubscription;
    desired: SubscriptionInput;
    changes: SubscriptionField[];
  }>;
  delete: Array<{ subscription: RegisteredSubscription; reason: "not-desired" | "duplicate" }>;
  keep: RegisteredSubscription[];
}

/** What `notifications.sync` did. */
export interface SubscriptionSyncResult {
  created: RegisteredSubscription[];
  /** `via: "recreate"` when the supplier has no PATCH (deleted and created again: a new id). */
  updated: Array<{
    subscription: RegisteredSubscription;
    previous: RegisteredSubscription;
    changes: SubscriptionField[];
    via: "patch" | "recreate";
  }>;
  deleted: RegisteredSubscription[];
  kept: RegisteredSubscription[];
  /** Whether anything was created, updated or deleted. */
  changed: boolean;
}

/** The supplier's registration, under the name of its kind: `{ webhook }` or `{ subscription }`. */
type Named<Noun extends string, Registered> = { [noun in Noun]: Registered };

/**
 * What a sync would do, for the code written once for both kinds; `SyncPlan` and `SubscriptionPlan`
 * are its two cases, spelled out so that the public types name nothing this package does not export.
 */
export interface Plan<Noun extends string, Input, Registered, Field> {
  create: Input[];
  update: Array<Named<Noun, Registered> & { desired: Input; changes: Field[] }>;
  delete: Array<Named<Noun, Registered> & { reason: "not-desired" | "duplicate" }>;
  keep: Registered[];
}

/** What a sync did, for the code written once for both kinds (see {@link Plan}). */
export interface Applied<Noun extends string, Registered, Field> {
  created: Registered[];
  updated: Array<
    Named<Noun, Registered> & { previous: Registered; changes: Field[]; via: "patch" | "recreate" }
  >;
  deleted: Registered[];
  kept: Registered[];
  changed: boolean;
}

/** What a client learns about its supplier while syncing. */
export interface SupplierTraits {
  patchSupported: boolean | undefined;
}

/** A field `checkInput` checks, besides `url` and `headers` (checked for every kind). */
export interface FieldRule {
  /** Checked even when missing, when the whole input is required (on create). */
  required: boolean;
  valid(value: unknown): boolean;
  /** Why a value is refused. */
  message: string;
}

/**
 * What differs between webhooks and notification subscriptions, for the calls written once for both
 * (`checkInput`, `restResource`, `planSync`, `applySync`, `checkDesired`).
 */
export interface Kind<Noun extends string, Input, Registered, Field extends string> {
  /** `"webhook"`: names one in messages, and holds it in plan and result entries. */
  noun: Noun;
  /** The collection's path under `baseUrl`: `"webhooks"`. */
  collection: string;
  /** The call that takes a desired list, for messages: `"sync"`. */
  call: string;
  /** The fields checked after `url`, in this order. */
  fields: Readonly<Record<string, FieldRule>>;
  /** The fields that must be booleans when given, checked next. */
  booleans: readonly string[];
  /** What `POST` sends for an input (`capabilities`: the client's). */
  createBody(input: Input, capabilities: readonly string[] | undefined): unknown;
  /** What `PATCH` sends for a patch; also what a desired one is compared as. */
  patchBody(patch: Partial<Input>): Partial<Input>;
  /** One from the supplier's answer, or an `INVALID_RESPONSE` error naming what is wrong. */
  parse(value: unknown, what: string): Registered;
  /** What identifies one: a desired and a registered one with the same key are the same registration. */
  keyOf(item: Input | Registered): string | undefined;
  /** The fields a sync keeps in line. */
  synced: readonly Field[];
  /** Whether what the supplier echoed (`have`, never `undefined`) is what is wanted. */
  same(field: Field, have: unknown, want: unknown): boolean;
  /** Names a desired entry listed twice. */
  repeated(input: Input): string;
}

/**
 * The supplier's webhook management API (`client.webhooks`). Every call takes `{ signal }`, throws an
 * `OctoApiError` for an OCTO error answer and an `OctoClientError` otherwise.
 */
export interface OctoWebhooksApi {
  /** `POST /webhooks`. */
  create(input: WebhookInput, options?: RequestOptions): Promise<RegisteredWebhook>;
  /** `GET /webhooks`. */
  list(options?: RequestOptions): Promise<RegisteredWebhook[]>;
  /** `PATCH /webhooks/:id` (newer suppliers). */
  update(id: string, patch: WebhookPatch, options?: RequestOptions): Promise<RegisteredWebhook>;
  /** `DELETE /webhooks/:id`. */
  delete(id: string, options?: RequestOptions): Promise<void>;
  /** What `sync(desired)` would do, without doing it. */
  plan(desired: readonly WebhookInput[], options?: Pick<SyncOptions, "prune" | "signal">): Promise<SyncPlan>;
  /**
   * Makes the supplier's webhooks exactly `desired`: creates what is missing, updates changed
   * `retryOnError`/`useContactLanguage`/`headers`/`capabilities`/`active` (PATCH, or delete + create when the supplier has no
   * PATCH), deletes what is not desired (unless `prune: false`). Webhooks are matched by (event, url).
   * Running it twice changes nothing the second time.
   */
  sync(desired: readonly WebhookInput[], options?: SyncOptions): Promise<SyncResult>;
}

/**
 * The supplier's OCTO `notifications` subscriptions (`client.notifications`). Every call takes
 * `{ signal }`, throws an `OctoApiError` for an OCTO error answer and an `OctoClientError` otherwise.
 */
export interface OctoNotificationsApi {
  /** `POST /notifications/subscriptions`: subscribes `url` to `notificationTypes`. */
  create(input: SubscriptionInput, options?: RequestOptions): Promise<RegisteredSubscription>;
  /** `GET /notifications/subscriptions`. */
  list(options?: RequestOptions): Promise<RegisteredSubscription[]>;
  /** `GET /notifications/subscriptions/{id}`. */
  get(id: string, options?: RequestOptions): Promise<RegisteredSubscription>;
  /** `PATCH /notifications/subscriptions/{id}`. */
  update(id: string, patch: SubscriptionPatch, options?: RequestOptions): Promise<RegisteredSubscription>;
  /** `DELETE /notifications/subscriptions/{id}`. */
  delete(id: string, options?: RequestOptions): Promise<void>;
  /** What `sync(desired)` would do, without doing it. */
  plan(
    desired: readonly SubscriptionInput[],
    options?: Pick<SyncOptions, "prune" | "signal">,
  ): Promise<SubscriptionPlan>;
  /**
   * Makes the supplier's subscriptions exactly `desired`: creates what is missing, updates changed
   * `notificationTypes`/`headers`/`retryOnError`/`active` (PATCH, or create + delete when the supplier
   * has no PATCH), deletes what is not desired (unless `prune: false`) and duplicates. Subscriptions are
   * matched by URL; types compare in any case and order. Running it twice changes nothing the second time.
   */
  sync(desired: readonly SubscriptionInput[], options?: SyncOptions): Promise<SubscriptionSyncResult>;
}
