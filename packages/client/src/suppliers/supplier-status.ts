// `supplierStatus`: what every supplier of the config has registered, and whether it points at this
// receiver.
import { redactUrl } from "../http/urls.ts";
import { eachSupplier } from "./each-supplier.ts";
import { clientOfEntry } from "./supplier-clients.ts";
import { placeOf, receiverUrlOf, type SuppliersConfig } from "./suppliers-config.ts";
import type { SyncSuppliersOptions } from "./sync-suppliers.ts";

/** One registration a supplier has, and whether it points at this supplier's receiver URL. */
export interface SupplierStatusRow {
  supplier: string;
  /** `"notification"` for a notification subscription (its types in `event`, joined with `,`; its id in `webhookId`). */
  kind?: "notification";
  webhookId: string;
  event: string;
  url: string;
  /** `false` when the URL is not this supplier's receiver URL in the config. */
  known: boolean;
}

/** What {@link supplierStatus} found at one supplier. */
export type SupplierStatusOutcome =
  | { supplier: string; ok: true; rows: SupplierStatusRow[] }
  | { supplier: string; ok: false; error: string };

/**
 * What every supplier of the config has registered, each registration flagged `known: false` when it
 * points at a URL other than this supplier's receiver URL in the config.
 *
 * @example
 * ```ts
 * import { supplierStatus } from "@octo-webhooks/client";
 * import config from "./octo-webhooks.config.ts";
 *
 * for (const outcome of await supplierStatus(config)) console.log(outcome);
 * ```
 */
export async function supplierStatus(
  config: SuppliersConfig,
  options: Pick<SyncSuppliersOptions, "only" | "env" | "client" | "signal"> = {},
): Promise<SupplierStatusOutcome[]> {
  const done = await eachSupplier(config, options, async (id, entry, env) => {
    const place = placeOf(receiverUrlOf(config, id));
    const octo = clientOfEntry(id, entry, env, options.client);
    const request = options.signal ? { signal: options.signal } : {};
    const webhooks = await octo.webhooks.list(request);
    const subscriptions = entry.notifications === undefined ? [] : await octo.notifications.list(request);
    return [
      ...webhooks.map((w) => ({
        supplier: id,
        webhookId: w.id,
        event: w.event,
        url: redactUrl(w.url ?? ""),
        known: placeOf(w.url) === place,
      })),
      ...subscriptions.map((s) => ({
        supplier: id,
        kind: "notification" as const,
        webhookId: s.id,
        event: s.notificationTypes.join(","),
        url: redactUrl(s.url ?? ""),
        known: placeOf(s.url) === place,
      })),
    ];
  });
  return done.map((d) => (d.ok ? { supplier: d.supplier, ok: true, rows: d.value } : d));
}
