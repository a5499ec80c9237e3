// `syncSuppliers`: one receiver's registrations made right at every supplier of the config, each
// supplier on its own (one that fails does not stop the others); `supplierStatus`: what each has.
import type { OctoClientOptions, RegisteredWebhook, WebhookInput } from "./create-octo-client.ts";
import { configError } from "./errors.ts";
import { redactUrl } from "./redact-url.ts";
import { clientOfEntry } from "./supplier-clients.ts";
import {
  checkSuppliersConfig,
  defaultEnv,
  type EnvSource,
  fromEnv,
  placeOf,
  receiverUrlOf,
  type SupplierEntry,
  type SuppliersConfig,
} from "./suppliers-config.ts";
import { applySync, planSync, type SupplierTraits } from "./sync.ts";
import { syncSupplierSubscriptions } from "./sync-supplier-notifications.ts";
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

function selected(config: SuppliersConfig, only: readonly string[] | undefined): string[] {
  const ids = checkSuppliersConfig(config);
  if (only === undefined || only.length === 0) return ids;
  const unknown = only.filter((id) => !ids.includes(id));
  if (unknown.length > 0)
    configError(`no supplier ${unknown.join(", ")} in the config (it has ${ids.join(", ")})`);
  return ids.filter((id) => only.includes(id));
}

const clientOf = (id: string, entry: SupplierEntry, env: EnvSource, options: SyncSuppliersOptions) =>
  clientOfEntry(id, entry, env, options.client);

const messageOf = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(/^\[@octo-webhooks\/[a-z-]+\] /, "");

/** Runs `work` for every selected supplier at once; a failure is that supplier's outcome only. */
async function eachSupplier<T>(
  config: SuppliersConfig,
  options: SyncSuppliersOptions,
  work: (id: string, entry: SupplierEntry, env: EnvSource) => Promise<T>,
): Promise<Array<{ supplier: string; ok: true; value: T } | { supplier: string; ok: false; error: string }>> {
  const env = options.env ?? defaultEnv();
  const ids = selected(config, options.only);
  return Promise.all(
    ids.map(async (supplier) => {
      try {
        return {
          supplier,
          ok: true as const,
          value: await work(supplier, config.suppliers[supplier] as SupplierEntry, env),
        };
      } catch (error) {
        return { supplier, ok: false as const, error: messageOf(error) };
      }
    }),
  );
}

const request = (options: SyncSuppliersOptions) => (options.signal ? { signal: options.signal } : {});

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
    const desired: WebhookInput[] = entry.events.map((event) => ({
      url,
      event,
      ...(entry.retryOnError === undefined ? {} : { retryOnError: entry.retryOnError }),
    }));
    const octo = clientOf(id, entry, env, options);
    const api = octo.webhooks;
    const notified =
      entry.notifications === undefined
        ? { rows: [], changed: false }
        : await syncSupplierSubscriptions(
            id,
            octo.notifications,
            { url, types: entry.notifications, receiver, retryOnError: entry.retryOnError },
            { dryRun: options.dryRun, signal: options.signal },
          );
    const place = placeOf(receiver);
    const ours = (await api.list(request(options))).filter((w) => placeOf(w.url) === place);
    const plan = planSync(desired, ours, { prune: true });
    const row = (
      event: string,
      action: SupplierSyncRow["action"],
      webhook?: RegisteredWebhook,
      to?: string,
    ) => ({
      supplier: id,
      event,
      action,
      webhookId: webhook?.id,
      url: redactUrl(to ?? webhook?.url ?? ""),
    });
    if (options.dryRun) {
      const rows = [
        ...plan.create.map((input) => row(input.event, "create", undefined, input.url)),
        ...plan.update.map(({ webhook }) => row(webhook.event, "update", webhook)),
        ...plan.delete.map(({ webhook }) => row(webhook.event, "delete", webhook)),
        ...plan.keep.map((webhook) => row(webhook.event, "keep", webhook)),
      ];
      return {
        rows: [...rows, ...notified.rows],
        changed: notified.changed || rows.some((r) => r.action !== "keep"),
      };
    }
    const traits: SupplierTraits = { patchSupported: undefined };
    const result = await applySync(plan, api, request(options), traits);
    const rows = [
      ...result.created.map((webhook) => row(webhook.event, "create", webhook)),
      ...result.updated.map(({ webhook }) => row(webhook.event, "update", webhook)),
      ...result.deleted.map((webhook) => row(webhook.event, "delete", webhook)),
      ...result.kept.map((webhook) => row(webhook.event, "keep", webhook)),
    ];
    return { rows: [...rows, ...notified.rows], changed: result.changed || notified.changed };
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
    const octo = clientOf(id, entry, env, options);
    const webhooks = await octo.webhooks.list(request(options));
    const subscriptions =
      entry.notifications === undefined ? [] : await octo.notifications.list(request(options));
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
