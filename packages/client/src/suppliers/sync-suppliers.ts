// `syncSuppliers`: one receiver's registrations made right at every supplier of the config, each
// supplier on its own (one that fails does not stop the others), leaving the registrations that point
// elsewhere alone.
import type { OctoClientOptions } from "../create-octo-client.ts";
import { redactUrl } from "../http/urls.ts";
import { subscriptionKind, webhookKind } from "../registrations/kinds.ts";
import type { RestResource } from "../registrations/rest-resource.ts";
import { applySync, planSync } from "../registrations/sync.ts";
import type { Kind, SubscriptionInput, WebhookInput } from "../types.ts";
import { webhookUrl } from "../webhook-url.ts";
import { eachSupplier } from "./each-supplier.ts";
import { clientOfEntry } from "./supplier-clients.ts";
import {
  type EnvSource,
  eventsOf,
  type HookCredentials,
  hookCredentials,
  placeOf,
  receiverUrlOf,
  type SupplierEntry,
  type SuppliersConfig,
} from "./suppliers-config.ts";

/** Options of {@link syncSuppliers} and {@link supplierStatus}. */
export interface SyncSuppliersOptions {
  /** Plan only: list what would change, change nothing. */
  dryRun?: boolean;
  /** Only these supplier ids (default: all). */
  only?: readonly string[];
  /**
   * Register the next password of each supplier whose `hook.nextPasswordEnv` is set (the next header
   * value of one whose `hook.nextValueEnv` is), dropping the registrations of the current one (the receiver must accept both meanwhile: `receiverSuppliers`).
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

/** What happens to one registration. */
type SyncAction = "create" | "update" | "delete" | "keep";

/**
 * Plans (and unless `dryRun`, applies) `desired` over the supplier's registrations of `kind` that point at
 * `receiver` (with any credentials); the others are left alone. Every registration becomes a row, made by
 * `row` of the supplier's registration (none for a dry run's create) and of the desired one (for a dry
 * run's create and update).
 */
async function syncRegistrations<
  Noun extends string,
  Input,
  Registered extends { id: string; url?: string | null | undefined },
  Field extends string,
  Row,
>(
  api: Pick<RestResource<Input, Registered>, "list" | "create" | "update" | "delete">,
  kind: Kind<Noun, Input, Registered, Field>,
  desired: readonly Input[],
  target: { receiver: string; dryRun?: boolean | undefined; signal?: AbortSignal | undefined },
  row: (action: SyncAction, registered?: Registered, desired?: Input) => Row,
): Promise<{ rows: Row[]; changed: boolean }> {
  const request = target.signal ? { signal: target.signal } : {};
  const place = placeOf(target.receiver);
  const ours = (await api.list(request)).filter((registered) => placeOf(registered.url) === place);
  const plan = planSync(desired, ours, { prune: true }, kind);
  if (target.dryRun) {
    return {
      rows: [
        ...plan.create.map((input) => row("create", undefined, input)),
        ...plan.update.map((update) => row("update", update[kind.noun], update.desired)),
        ...plan.delete.map((deletion) => row("delete", deletion[kind.noun])),
        ...plan.keep.map((registered) => row("keep", registered)),
      ],
      changed: plan.create.length + plan.update.length + plan.delete.length > 0,
    };
  }
  const result = await applySync(plan, api, request, { patchSupported: undefined }, kind);
  return {
    rows: [
      ...result.created.map((registered) => row("create", registered)),
      ...result.updated.map((update) => row("update", update[kind.noun])),
      ...result.deleted.map((registered) => row("delete", registered)),
      ...result.kept.map((registered) => row("keep", registered)),
    ],
    changed: result.changed,
  };
}

/**
 * What a supplier's registrations carry: the receiver URL with the Basic credentials in it, or the URL
 * as it is and the header. A rotation (`rotate`) moves the suppliers whose next password (or value) is
 * set; the others keep the current one.
 */
export function registeredCredentials(
  receiver: string,
  hook: HookCredentials,
  rotate: boolean | undefined,
): { url: string; headers?: Record<string, string> } {
  if (hook.kind === "basic") {
    const password = (rotate ? hook.passwords[1] : undefined) ?? (hook.passwords[0] as string);
    return { url: webhookUrl(receiver, { username: hook.username, password }) };
  }
  const value = (rotate ? hook.values[1] : undefined) ?? (hook.values[0] as string);
  return { url: receiver, headers: { [hook.name]: value } };
}

/**
 * What the config registers at supplier `id`: its receiver URL, its webhooks, and its notification
 * subscription (`undefined`: the supplier's subscriptions are not touched; `[]`: this receiver's is
 * deleted), carrying the current credentials, or the next ones with `rotate`.
 */
export function desiredRegistrations(
  config: SuppliersConfig,
  id: string,
  hook: HookCredentials,
  rotate: boolean | undefined,
): { receiver: string; webhooks: WebhookInput[]; notifications: SubscriptionInput[] | undefined } {
  const entry = config.suppliers[id] as SupplierEntry;
  const receiver = receiverUrlOf(config, id);
  const { url, headers } = registeredCredentials(receiver, hook, rotate);
  const retry = {
    ...(entry.retryOnError === undefined ? {} : { retryOnError: entry.retryOnError }),
    ...(headers === undefined ? {} : { headers }),
  };
  const types = entry.notifications;
  return {
    receiver,
    webhooks: eventsOf(entry).map((event) => ({ url, event, ...retry })),
    // one subscription of all the types
    notifications:
      types === undefined
        ? undefined
        : types.length === 0
          ? []
          : [{ url, notificationTypes: types, ...retry }],
  };
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
    const desired = desiredRegistrations(config, id, hookCredentials(entry, env, id), options.rotate);
    const { receiver } = desired;
    const octo = clientOfEntry(id, entry, env, options.client);
    const target = { receiver, dryRun: options.dryRun, signal: options.signal };
    const notified =
      desired.notifications === undefined
        ? { rows: [], changed: false }
        : await syncRegistrations(
            octo.notifications,
            subscriptionKind,
            desired.notifications,
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
      desired.webhooks,
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
