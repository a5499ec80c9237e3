// `client.notifications.sync`: the supplier's subscriptions made exactly what is desired, like the
// webhooks' `sync` (sync.ts), with subscriptions matched by URL (one subscription holds many types).
import { configError, OctoApiError } from "./errors.ts";
import {
  checkSubscription,
  normaliseTypes,
  type RegisteredSubscription,
  type SubscriptionCalls,
  type SubscriptionInput,
  type SubscriptionPatch,
} from "./notifications.ts";
import { redactUrl } from "./redact-url.ts";
import type { SupplierTraits, SyncOptions } from "./sync.ts";

/** The fields `notifications.sync` keeps in line; `url` identifies a subscription. */
export type SubscriptionField = "notificationTypes" | "headers" | "retryOnError" | "active";

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

const FIELDS: readonly SubscriptionField[] = ["notificationTypes", "headers", "retryOnError", "active"];

function keyOf(url: string | null | undefined): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

const sorted = (entries: Array<[string, string]>) =>
  JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : 1)));

/** Fields the desired entry sets that differ from what the supplier echoed (unechoed fields: not compared). */
function changesOf(existing: RegisteredSubscription, desired: SubscriptionInput): SubscriptionField[] {
  return FIELDS.filter((field) => {
    const want = desired[field];
    const have = existing[field];
    if (want === undefined || have === undefined || have === null) return false;
    if (field === "notificationTypes") {
      return (
        JSON.stringify(normaliseTypes(have as string[]).sort()) !==
        JSON.stringify(normaliseTypes(want as readonly string[]).sort())
      );
    }
    if (field === "headers") {
      const norm = (h: Record<string, string>) =>
        sorted(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v] as [string, string]));
      return norm(have as Record<string, string>) !== norm(want as Record<string, string>);
    }
    return have !== want;
  });
}

/** Checks the desired list before anything is sent: each entry, and no URL twice. */
export function checkDesiredSubscriptions(desired: readonly SubscriptionInput[]): void {
  if (!Array.isArray(desired)) configError("`notifications.sync` takes an array of subscriptions");
  const seen = new Set<string>();
  desired.forEach((input, i) => {
    try {
      checkSubscription(input, true);
    } catch (error) {
      configError(`desired[${i}]: ${(error as Error).message.replace(/^\[[^\]]+\] /, "")}`);
    }
    const key = keyOf(input.url) as string;
    if (seen.has(key)) {
      configError(`desired[${i}] repeats ${redactUrl(input.url)}; list every type of a URL in one entry`);
    }
    seen.add(key);
  });
}

/** Decides what `notifications.sync` does, from the desired subscriptions (checked) and the supplier's. */
export function planSubscriptions(
  desired: readonly SubscriptionInput[],
  existing: readonly RegisteredSubscription[],
  options: Pick<SyncOptions, "prune">,
): SubscriptionPlan {
  const byKey = new Map<string, RegisteredSubscription[]>();
  for (const subscription of existing) {
    const key = keyOf(subscription.url);
    if (key !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), subscription]);
  }
  const plan: SubscriptionPlan = { create: [], update: [], delete: [], keep: [] };
  const matched = new Set<RegisteredSubscription>();
  for (const input of desired) {
    const candidates = byKey.get(keyOf(input.url) as string) ?? [];
    const best = candidates.find((s) => changesOf(s, input).length === 0) ?? candidates[0];
    if (best === undefined) {
      plan.create.push(input);
      continue;
    }
    for (const subscription of candidates) {
      matched.add(subscription);
      if (subscription !== best) plan.delete.push({ subscription, reason: "duplicate" });
    }
    const changes = changesOf(best, input);
    if (changes.length === 0) plan.keep.push(best);
    else plan.update.push({ subscription: best, desired: input, changes });
  }
  if (options.prune ?? true) {
    for (const subscription of existing) {
      if (!matched.has(subscription)) plan.delete.push({ subscription, reason: "not-desired" });
    }
  }
  return plan;
}

const isGone = (error: unknown) => error instanceof OctoApiError && error.status === 404;
const noPatch = (error: unknown) => error instanceof OctoApiError && [404, 405, 501].includes(error.status);

/**
 * Applies a plan: creates, then updates (PATCH, or create + delete when the supplier has none), then
 * deletes, so that no notification is missed while a subscription is replaced.
 */
export async function applySubscriptions(
  plan: SubscriptionPlan,
  api: SubscriptionCalls,
  options: SyncOptions,
  supplier: SupplierTraits,
): Promise<SubscriptionSyncResult> {
  const mode = options.update ?? "auto";
  if (mode !== "auto" && mode !== "patch" && mode !== "recreate") {
    configError('`update` must be "auto", "patch" or "recreate"');
  }
  const request = options.signal ? { signal: options.signal } : {};
  const remove = async (id: string) => {
    try {
      await api.delete(id, request);
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  };
  const result: SubscriptionSyncResult = {
    created: [],
    updated: [],
    deleted: [],
    kept: [...plan.keep],
    changed: false,
  };
  for (const input of plan.create) result.created.push(await api.create(input, request));
  for (const { subscription, desired, changes } of plan.update) {
    if (mode === "patch" || (mode === "auto" && supplier.patchSupported !== false)) {
      const patch: SubscriptionPatch = {};
      for (const field of changes) Object.assign(patch, { [field]: desired[field] });
      try {
        const updated = await api.update(subscription.id, patch, request);
        supplier.patchSupported = true;
        result.updated.push({ subscription: updated, previous: subscription, changes, via: "patch" });
        continue;
      } catch (error) {
        if (mode === "patch" || !noPatch(error)) throw error;
        supplier.patchSupported = false;
      }
    }
    const created = await api.create(desired, request);
    await remove(subscription.id);
    result.updated.push({ subscription: created, previous: subscription, changes, via: "recreate" });
  }
  for (const { subscription } of plan.delete) {
    await remove(subscription.id);
    result.deleted.push(subscription);
  }
  result.changed = result.created.length + result.updated.length + result.deleted.length > 0;
  return result;
}
