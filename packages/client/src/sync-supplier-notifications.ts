// The notification subscriptions part of `syncSuppliers`/`supplierStatus`: a supplier entry's
// `notifications` types become one subscription at the supplier's receiver URL, synced like its webhooks.
import { applySubscriptions, planSubscriptions } from "./notification-sync.ts";
import type { RegisteredSubscription } from "./notifications.ts";
import type { OctoNotificationsApi } from "./notifications-api.ts";
import { redactUrl } from "./redact-url.ts";
import { placeOf } from "./suppliers-config.ts";

/** One row of a subscription, as `syncSuppliers` reports it. */
export interface SubscriptionRow {
  supplier: string;
  kind: "notification";
  /** The subscription's types, joined with `,`. */
  event: string;
  action: "create" | "update" | "delete" | "keep";
  webhookId: string | undefined;
  url: string;
}

/**
 * Plans (and unless `dryRun`, applies) the one subscription of `types` at `url` (credentials in it),
 * over the supplier's subscriptions pointing at `receiver` (any credentials); others are left alone.
 */
export async function syncSupplierSubscriptions(
  supplier: string,
  api: OctoNotificationsApi,
  desired: { url: string; types: readonly string[]; receiver: string; retryOnError?: boolean | undefined },
  options: { dryRun?: boolean | undefined; signal?: AbortSignal | undefined },
): Promise<{ rows: SubscriptionRow[]; changed: boolean }> {
  const request = options.signal ? { signal: options.signal } : {};
  const place = placeOf(desired.receiver);
  const ours = (await api.list(request)).filter((s) => placeOf(s.url) === place);
  const wanted =
    desired.types.length === 0
      ? []
      : [
          {
            url: desired.url,
            notificationTypes: desired.types,
            ...(desired.retryOnError === undefined ? {} : { retryOnError: desired.retryOnError }),
          },
        ];
  const plan = planSubscriptions(wanted, ours, { prune: true });
  const row = (
    action: SubscriptionRow["action"],
    subscription?: RegisteredSubscription,
    to?: { url: string; notificationTypes: readonly string[] },
  ): SubscriptionRow => ({
    supplier,
    kind: "notification",
    event: (to?.notificationTypes ?? subscription?.notificationTypes ?? [])
      .map((t) => t.toUpperCase())
      .join(","),
    action,
    webhookId: subscription?.id,
    url: redactUrl(to?.url ?? subscription?.url ?? ""),
  });
  if (options.dryRun) {
    const rows = [
      ...plan.create.map((input) => row("create", undefined, input)),
      ...plan.update.map(({ desired: to, subscription }) => row("update", subscription, to)),
      ...plan.delete.map(({ subscription }) => row("delete", subscription)),
      ...plan.keep.map((subscription) => row("keep", subscription)),
    ];
    return { rows, changed: rows.some((r) => r.action !== "keep") };
  }
  const result = await applySubscriptions(plan, api, request, { patchSupported: undefined });
  return {
    rows: [
      ...result.created.map((s) => row("create", s)),
      ...result.updated.map(({ subscription }) => row("update", subscription)),
      ...result.deleted.map((s) => row("delete", s)),
      ...result.kept.map((s) => row("keep", s)),
    ],
    changed: result.changed,
  };
}
