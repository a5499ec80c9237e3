// `syncSuppliers`: one receiver's registrations made right at every supplier of the config, each
// supplier on its own (one that fails does not stop the others).
import { clientOfEntry } from "./client-of-entry.ts";
import type { OctoClientOptions } from "./create-octo-client.ts";
import { eachSupplier } from "./each-supplier.ts";
import { fromEnv } from "./from-env.ts";
import { receiverUrlOf } from "./receiver-url-of.ts";
import { redactUrl } from "./redact-url.ts";
import { subscriptionKind } from "./subscription-kind.ts";
import type { EnvSource, SuppliersConfig } from "./suppliers-config.ts";
import { syncRegistrations } from "./sync-registrations.ts";
import { webhookKind } from "./webhook-kind.ts";
import { webhookUrl } from "./webhook-url.ts";

/** Options of {@link syncSuppliers} and {@link supplierStatus}. */
export interface SyncSuppliersOptions {
  /** Plan only: list what would change, change nothing. */
  dryRun?: boolean;
  /** Only these supplier ids (default: all). */
  only?: readonly string[];
  /**
   * Register the next password of each supplier whose `hook.nextPasswordEnv` is set, dropping the
   * registrations of the current one (the receiver must accept both meanwhile: `receiverSuppliers`).
   */
  rotate?: boolean;
  /** Where the config's env var names are read (default `process.env`). */
  env?: EnvSource;
  /** Client options for every supplier (`timeoutMs`, `retries`, `fetch`...). */
  client?: Partial<Omit<OctoClientOptions, "baseUrl" | "apiKey">>;
  /** Cancels every request. */
  signal?: AbortSignal;
}

/** One line of the plan: a supplier's event (or notification subscription) and what happens to it. */
export interface SupplierSyncRow {
  supplier: string;
  /** `"notification"` for a notification subscription (its types in `event`, joined with `,`); webhooks have none. */
  kind?: "notification";
  event: string;
  action: "create" | "update" | "delete" | "keep";
  /** The supplier's webhook id (not known before a dry-run's create). */
  webhookId: string | undefined;
  /** Where it points, credentials redacted. */
  url: string;
}

/** What happened at one supplier. */
export type SupplierSyncOutcome =
  | { supplier: string; ok: true; rows: SupplierSyncRow[]; changed: boolean }
  | { supplier: string; ok: false; error: string };

/** What {@link syncSuppliers} did (or would do, with `dryRun`). */
export interface SyncSuppliersResult {
  outcomes: SupplierSyncOutcome[];
  /** Whether anything was (or, with `dryRun`, would be) created, updated or deleted. */
  changed: boolean;
  /** The suppliers that failed, by id. */
  failed: string[];
}

/**
 * Makes every supplier's webhooks point at the receiver, as the config says: creates what is missing,
 * updates what changed, deletes this receiver's registrations that are no longer wanted (those of old
 * credentials after a rotation too), and leaves registrations pointing elsewhere alone (`supplierStatus`
 * flags them). Suppliers are synced at once; one that fails is reported and does not stop the others.
 * Running it twice changes nothing the second time.
 *
 * @example
 * ```ts
 * import { syncSuppliers } from "@octo-webhooks/client";
 * import config from "./octo-webhooks.config.ts";
 *
 * const { outcomes, changed, failed } = await syncSuppliers(config, { dryRun: true });
 * ```
 */
export async function syncSuppliers(
  config: SuppliersConfig,
  options: SyncSuppliersOptions = {},
): Promise<SyncSuppliersResult> {
  const done = await eachSupplier(config, options, async (id, entry, env) => {
    const receiver = receiverUrlOf(config, id);
    const hook = entry.hook;
    const username = fromEnv(env, hook.usernameEnv, id);
    // a rotation moves the suppliers whose next password is set; the others keep the current one
    const next = options.rotate && hook.nextPasswordEnv !== undefined ? env[hook.nextPasswordEnv] : undefined;
    const password = next || fromEnv(env, hook.passwordEnv, id);
    const url = webhookUrl(receiver, { username, password });
    const retry = entry.retryOnError === undefined ? {} : { retryOnError: entry.retryOnError };
    const octo = clientOfEntry(id, entry, env, options.client);
    const target = { receiver, dryRun: options.dryRun, signal: options.signal };
    const types = entry.notifications;
    // one subscription of all the types; `[]` deletes this receiver's
    const notified =
      types === undefined
        ? { rows: [], changed: false }
        : await syncRegistrations(
            octo.notifications,
            subscriptionKind,
            types.length === 0 ? [] : [{ url, notificationTypes: types, ...retry }],
            target,
            (action, subscription, to): SupplierSyncRow => ({
              supplier: id,
              kind: "notification",
              event: (to?.notificationTypes ?? subscription?.notificationTypes ?? [])
                .map((t) => t.toUpperCase())
                .join(","),
              action,
              webhookId: subscription?.id,
              url: redactUrl(to?.url ?? subscription?.url ?? ""),
            }),
          );
    const hooked = await syncRegistrations(
      octo.webhooks,
      webhookKind,
      entry.events.map((event) => ({ url, event, ...retry })),
      target,
      (action, webhook, to): SupplierSyncRow => ({
        supplier: id,
        event: (webhook ?? to)?.event ?? "",
        action,
        webhookId: webhook?.id,
        url: redactUrl((webhook ?? to)?.url ?? ""),
      }),
    );
    return { rows: [...hooked.rows, ...notified.rows], changed: hooked.changed || notified.changed };
  });
  const outcomes: SupplierSyncOutcome[] = done.map((d) =>
    d.ok ? { supplier: d.supplier, ok: true, ...d.value } : d,
  );
  return {
    outcomes,
    changed: outcomes.some((o) => o.ok && o.changed),
    failed: outcomes.filter((o) => !o.ok).map((o) => o.supplier),
  };
}
