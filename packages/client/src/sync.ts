import { checkInput, withCart } from "./check-input.ts";
import type {
  OctoWebhooksApi,
  RegisteredWebhook,
  RequestOptions,
  WebhookInput,
  WebhookPatch,
} from "./create-octo-client.ts";
import { configError, OctoApiError } from "./errors.ts";
import { redactUrl } from "./redact-url.ts";

/** Options of `sync()`. */
export interface SyncOptions extends RequestOptions {
  /** Delete the supplier's webhooks that are not desired (default `true`). */
  prune?: boolean;
  /**
   * How a matched webhook whose fields changed is updated: `"auto"` (default) tries `PATCH` and falls back
   * to delete + create when the supplier has no `PATCH` (404, 405 or 501); `"patch"` or `"recreate"` force one.
   */
  update?: "auto" | "patch" | "recreate";
}

/** The fields `sync` keeps in line; `url` and `event` identify a webhook. */
export type SyncedField = "retryOnError" | "useContactLanguage" | "headers" | "capabilities" | "active";

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

/** What a client learns about its supplier while syncing. */
export interface SupplierTraits {
  patchSupported: boolean | undefined;
}

const FIELDS: readonly SyncedField[] = [
  "retryOnError",
  "useContactLanguage",
  "headers",
  "capabilities",
  "active",
];

/** The same capabilities in any order (`octo/webhooks`, implied, left out). */
function sameCapabilities(a: readonly string[], b: readonly string[]): boolean {
  const norm = (list: readonly string[]) =>
    JSON.stringify([...new Set(list)].filter((c) => c !== "octo/webhooks").sort());
  return norm(a) === norm(b);
}

function keyOf(event: string, url: string | null | undefined): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    return `${event} ${new URL(url).href}`;
  } catch {
    return `${event} ${url}`;
  }
}

function sameHeaders(a: Record<string, string>, b: Record<string, string>): boolean {
  const norm = (h: Record<string, string>) =>
    JSON.stringify(
      Object.entries(h)
        .map(([k, v]) => [k.toLowerCase(), v])
        .sort(([x], [y]) => ((x as string) < (y as string) ? -1 : 1)),
    );
  return norm(a) === norm(b);
}

/**
 * Fields the desired webhook sets that differ from what the supplier echoed. A field the desired entry
 * leaves out, or the supplier does not echo, is not compared: otherwise a supplier that never echoes
 * `retryOnError` would get an update on every run.
 */
function changesOf(existing: RegisteredWebhook, desired: WebhookInput): SyncedField[] {
  return FIELDS.filter((field) => {
    // capabilities the entry leaves out are the client's, which the supplier may echo in any form
    const want =
      field === "capabilities" && desired.capabilities !== undefined
        ? withCart(desired, undefined).capabilities
        : desired[field];
    const have = existing[field];
    if (want === undefined || have === undefined) return false;
    if (field === "headers")
      return !sameHeaders((have ?? {}) as Record<string, string>, want as Record<string, string>);
    if (field === "capabilities") {
      return Array.isArray(have) && !sameCapabilities(have as string[], want as readonly string[]);
    }
    return have !== null && have !== want;
  });
}

/** Checks the desired list before anything is sent: each entry, and no (event, url) twice. */
export function checkDesired(desired: readonly WebhookInput[]): void {
  if (!Array.isArray(desired)) configError("`sync` takes an array of webhooks");
  const seen = new Set<string>();
  desired.forEach((input, i) => {
    try {
      checkInput(input, true);
    } catch (error) {
      configError(`desired[${i}]: ${(error as Error).message.replace(/^\[[^\]]+\] /, "")}`);
    }
    const key = keyOf(input.event, input.url) as string;
    if (seen.has(key)) configError(`desired[${i}] repeats ${input.event} ${redactUrl(input.url)}`);
    seen.add(key);
  });
}

/** Decides what `sync` does, from the desired webhooks (checked) and the supplier's. */
export function planSync(
  desired: readonly WebhookInput[],
  existing: readonly RegisteredWebhook[],
  options: Pick<SyncOptions, "prune">,
): SyncPlan {
  const byKey = new Map<string, RegisteredWebhook[]>();
  for (const webhook of existing) {
    const key = keyOf(webhook.event, webhook.url);
    if (key !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), webhook]);
  }
  const plan: SyncPlan = { create: [], update: [], delete: [], keep: [] };
  const matched = new Set<RegisteredWebhook>();
  for (const input of desired) {
    const candidates = byKey.get(keyOf(input.event, input.url) as string) ?? [];
    const best = candidates.find((w) => changesOf(w, input).length === 0) ?? candidates[0];
    if (best === undefined) {
      plan.create.push(input);
      continue;
    }
    for (const webhook of candidates) {
      matched.add(webhook);
      if (webhook !== best) plan.delete.push({ webhook, reason: "duplicate" });
    }
    const changes = changesOf(best, input);
    if (changes.length === 0) plan.keep.push(best);
    else plan.update.push({ webhook: best, desired: input, changes });
  }
  if (options.prune ?? true) {
    for (const webhook of existing) {
      if (!matched.has(webhook)) plan.delete.push({ webhook, reason: "not-desired" });
    }
  }
  return plan;
}

const isGone = (error: unknown) => error instanceof OctoApiError && error.status === 404;
const noPatch = (error: unknown) => error instanceof OctoApiError && [404, 405, 501].includes(error.status);

async function deleteIfThere(api: OctoWebhooksApi, id: string, options: RequestOptions): Promise<void> {
  try {
    await api.delete(id, options);
  } catch (error) {
    if (!isGone(error)) throw error;
  }
}

/**
 * Applies a plan: creates first, then updates, then deletes, so that a delivery is never missed while a
 * webhook is being replaced (the receiver may see one event twice, which OCTO's at-least-once delivery
 * already requires it to handle).
 */
export async function applySync(
  plan: SyncPlan,
  api: OctoWebhooksApi,
  options: SyncOptions,
  supplier: SupplierTraits,
): Promise<SyncResult> {
  const mode = options.update ?? "auto";
  if (mode !== "auto" && mode !== "patch" && mode !== "recreate") {
    configError('`update` must be "auto", "patch" or "recreate"');
  }
  const request: RequestOptions = options.signal ? { signal: options.signal } : {};
  const result: SyncResult = { created: [], updated: [], deleted: [], kept: [...plan.keep], changed: false };

  for (const input of plan.create) result.created.push(await api.create(input, request));

  for (const { webhook, desired, changes } of plan.update) {
    if (mode === "patch" || (mode === "auto" && supplier.patchSupported !== false)) {
      const patch: WebhookPatch = {};
      for (const field of changes) Object.assign(patch, { [field]: desired[field] });
      try {
        const updated = await api.update(webhook.id, patch, request);
        supplier.patchSupported = true;
        result.updated.push({ webhook: updated, previous: webhook, changes, via: "patch" });
        continue;
      } catch (error) {
        if (mode === "patch" || !noPatch(error)) throw error;
        supplier.patchSupported = false;
      }
    }
    const created = await api.create(desired, request);
    await deleteIfThere(api, webhook.id, request);
    result.updated.push({ webhook: created, previous: webhook, changes, via: "recreate" });
  }

  for (const { webhook } of plan.delete) {
    await deleteIfThere(api, webhook.id, request);
    result.deleted.push(webhook);
  }
  result.changed = result.created.length + result.updated.length + result.deleted.length > 0;
  return result;
}
