// `supplierStatus`: what every supplier of the config has registered, and whether it points at this
// receiver.
import { redactUrl } from "../http/urls.ts";
import { eachSupplier } from "./each-supplier.ts";
import { clientOfEntry } from "./supplier-clients.ts";
import {
  type HookCredentials,
  hookCredentials,
  placeOf,
  receiverUrlOf,
  type SuppliersConfig,
} from "./suppliers-config.ts";
import type { SyncSuppliersOptions } from "./sync-suppliers.ts";

/**
 * What of a registration differs from the config's credentials: the URL's Basic `username` or
 * `password`, or `header <name>` (missing, or another value) for a supplier authenticated by a header.
 */
export type SupplierDrift = "username" | "password" | `header ${string}`;

/** One registration a supplier has, whether it points at this supplier's receiver URL, and with the right credentials. */
export interface SupplierStatusRow {
  supplier: string;
  /** `"notification"` for a notification subscription (its types in `event`, joined with `,`; its id in `webhookId`). */
  kind?: "notification";
  webhookId: string;
  event: string;
  url: string;
  /** `false` when the URL is not this supplier's receiver URL in the config. */
  known: boolean;
  /**
   * For a registration at this supplier's receiver URL: what of its credentials differs from the
   * config's (deliveries would be refused); empty when they match (the next password or value of a
   * rotation matches too). A header the supplier does not echo back is not compared.
   */
  drifted: SupplierDrift[];
}

const decoded = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** What of a registration's credentials differs from the config's (never the values themselves). */
function driftOf(
  registered: { url?: string | null | undefined; headers?: Record<string, string> | null | undefined },
  hook: HookCredentials,
): SupplierDrift[] {
  if (hook.kind === "basic") {
    let url: URL;
    try {
      url = new URL(registered.url ?? "");
    } catch {
      return ["username", "password"];
    }
    const drift: SupplierDrift[] = [];
    if (decoded(url.username) !== hook.username) drift.push("username");
    if (!hook.passwords.includes(decoded(url.password))) drift.push("password");
    return drift;
  }
  const headers = registered.headers;
  // a supplier that does not echo headers: nothing to compare
  if (typeof headers !== "object" || headers === null) return [];
  const name = hook.name.toLowerCase();
  const value = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return value !== undefined && hook.values.includes(value) ? [] : [`header ${hook.name}`];
}

/** What {@link supplierStatus} found at one supplier. */
export type SupplierStatusOutcome =
  | { supplier: string; ok: true; rows: SupplierStatusRow[] }
  | { supplier: string; ok: false; error: string };

/**
 * What every supplier of the config has registered, each registration flagged `known: false` when it
 * points at a URL other than this supplier's receiver URL in the config, and `drifted` when it points
 * there with other credentials than the config's (read from the env, like `syncSuppliers`).
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
    const hook = hookCredentials(entry, env, id);
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
        drifted: placeOf(w.url) === place ? driftOf(w, hook) : [],
      })),
      ...subscriptions.map((s) => ({
        supplier: id,
        kind: "notification" as const,
        webhookId: s.id,
        event: s.notificationTypes.join(","),
        url: redactUrl(s.url ?? ""),
        known: placeOf(s.url) === place,
        drifted: placeOf(s.url) === place ? driftOf(s, hook) : [],
      })),
    ];
  });
  return done.map((d) => (d.ok ? { supplier: d.supplier, ok: true, rows: d.value } : d));
}
