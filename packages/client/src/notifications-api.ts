// `client.notifications` put together: the subscription calls, `plan` and `sync`, sent with the
// `notifications` capability in `Octo-Capabilities`.
import { configError } from "./errors.ts";
import type { HttpSettings } from "./http.ts";
import {
  applySubscriptions,
  checkDesiredSubscriptions,
  planSubscriptions,
  type SubscriptionPlan,
  type SubscriptionSyncResult,
} from "./notification-sync.ts";
import { type SubscriptionCalls, type SubscriptionInput, subscriptionCalls } from "./notifications.ts";
import type { SupplierTraits, SyncOptions } from "./sync.ts";

/** Which capability id `Octo-Capabilities` names for notifications calls (`"both"`: the two spellings). */
export type NotificationsCapability = "notifications" | "octo/notifications" | "both";

/**
 * The supplier's OCTO `notifications` subscriptions (`client.notifications`). Every call takes
 * `{ signal }`, throws an `OctoApiError` for an OCTO error answer and an `OctoClientError` otherwise.
 */
export interface OctoNotificationsApi extends SubscriptionCalls {
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

/** The `Octo-Capabilities` of notifications calls: the capability id(s), then the client's own. */
export function notificationsHeader(
  capability: NotificationsCapability | undefined,
  own: readonly string[],
): string {
  const chosen = capability ?? "notifications";
  if (chosen !== "notifications" && chosen !== "octo/notifications" && chosen !== "both") {
    configError('`notificationsCapability` must be "notifications", "octo/notifications" or "both"');
  }
  const ids = chosen === "both" ? ["notifications", "octo/notifications"] : [chosen];
  return [...new Set([...ids, ...own])].join(", ");
}

/** `client.notifications` over `settings` (whose `octo-capabilities` is already the notifications one). */
export function notificationsApi(settings: HttpSettings): OctoNotificationsApi {
  const calls = subscriptionCalls(settings);
  // learnt by the first `sync` that needs an update
  const supplier: SupplierTraits = { patchSupported: undefined };
  const api: OctoNotificationsApi = {
    ...calls,
    async plan(desired, options) {
      checkDesiredSubscriptions(desired);
      return planSubscriptions(desired, await calls.list(options), options ?? {});
    },
    async sync(desired, options = {}) {
      return applySubscriptions(await api.plan(desired, options), calls, options, supplier);
    },
  };
  return api;
}
