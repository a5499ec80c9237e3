// A sync of one kind of registration: the plan (what to create, update, delete and keep, from the desired
// list and the supplier's), then its application.
import { configError, OctoApiError } from "../errors.ts";
import type { Applied, Kind, Plan, RequestOptions, SupplierTraits, SyncOptions } from "../types.ts";
import type { RestResource } from "./rest-resource.ts";

/**
 * Decides what a sync does, from the desired registrations (checked) and the supplier's: each desired
 * one is matched to the registered ones with the same key (`kind.keyOf`), keeping the one already right
 * (or else the first, to update) and deleting the others as duplicates; unmatched desired ones are
 * created; registered ones nothing matched are deleted unless `prune: false`.
 */
export function planSync<Noun extends string, Input, Registered, Field extends string>(
  desired: readonly Input[],
  existing: readonly Registered[],
  options: Pick<SyncOptions, "prune">,
  kind: Kind<Noun, Input, Registered, Field>,
): Plan<Noun, Input, Registered, Field> {
  /**
   * Fields the desired one sets that differ from what the supplier echoed. A field the desired entry
   * leaves out, or the supplier does not echo, is not compared: otherwise a supplier that never echoes
   * `retryOnError` would get an update on every run.
   */
  const changesOf = (registered: Registered, input: Input): Field[] => {
    const want = kind.patchBody(input) as Record<string, unknown>;
    const have = registered as Record<string, unknown>;
    return kind.synced.filter(
      (field) =>
        want[field] !== undefined && have[field] !== undefined && !kind.same(field, have[field], want[field]),
    );
  };
  const named = (registered: Registered) => ({ [kind.noun]: registered }) as { [noun in Noun]: Registered };
  const byKey = new Map<string, Registered[]>();
  for (const registered of existing) {
    const key = kind.keyOf(registered);
    if (key !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), registered]);
  }
  const plan: Plan<Noun, Input, Registered, Field> = { create: [], update: [], delete: [], keep: [] };
  const matched = new Set<Registered>();
  for (const input of desired) {
    const candidates = byKey.get(kind.keyOf(input) as string) ?? [];
    const best = candidates.find((r) => changesOf(r, input).length === 0) ?? candidates[0];
    if (best === undefined) {
      plan.create.push(input);
      continue;
    }
    for (const registered of candidates) {
      matched.add(registered);
      if (registered !== best) plan.delete.push({ ...named(registered), reason: "duplicate" });
    }
    const changes = changesOf(best, input);
    if (changes.length === 0) plan.keep.push(best);
    else plan.update.push({ ...named(best), desired: input, changes });
  }
  if (options.prune ?? true) {
    for (const registered of existing) {
      if (!matched.has(registered)) plan.delete.push({ ...named(registered), reason: "not-desired" });
    }
  }
  return plan;
}

const isGone = (error: unknown) => error instanceof OctoApiError && error.status === 404;
const noPatch = (error: unknown) => error instanceof OctoApiError && [404, 405, 501].includes(error.status);

/**
 * Applies a plan: creates first, then updates (PATCH, or create + delete when the supplier has none),
 * then deletes, so that a delivery is never missed while a registration is being replaced (the receiver
 * may see one event twice, which OCTO's at-least-once delivery already requires it to handle).
 */
export async function applySync<
  Noun extends string,
  Input,
  Registered extends { id: string },
  Field extends string,
>(
  plan: Plan<Noun, Input, Registered, Field>,
  api: Pick<RestResource<Input, Registered>, "create" | "update" | "delete">,
  options: SyncOptions,
  supplier: SupplierTraits,
  kind: Pick<Kind<Noun, Input, Registered, Field>, "noun">,
): Promise<Applied<Noun, Registered, Field>> {
  const mode = options.update ?? "auto";
  if (mode !== "auto" && mode !== "patch" && mode !== "recreate") {
    configError('`update` must be "auto", "patch" or "recreate"');
  }
  const request: RequestOptions = options.signal ? { signal: options.signal } : {};
  const deleteIfThere = async (id: string) => {
    try {
      await api.delete(id, request);
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  };
  const named = (registered: Registered) => ({ [kind.noun]: registered }) as { [noun in Noun]: Registered };
  const result: Applied<Noun, Registered, Field> = {
    created: [],
    updated: [],
    deleted: [],
    kept: [...plan.keep],
    changed: false,
  };

  for (const input of plan.create) result.created.push(await api.create(input, request));

  for (const entry of plan.update) {
    const { desired, changes } = entry;
    const previous: Registered = entry[kind.noun];
    if (mode === "patch" || (mode === "auto" && supplier.patchSupported !== false)) {
      const fields = desired as Record<string, unknown>;
      const patch = Object.fromEntries(changes.map((field) => [field, fields[field]])) as Partial<Input>;
      try {
        const updated = await api.update(previous.id, patch, request);
        supplier.patchSupported = true;
        result.updated.push({ ...named(updated), previous, changes, via: "patch" });
        continue;
      } catch (error) {
        if (mode === "patch" || !noPatch(error)) throw error;
        supplier.patchSupported = false;
      }
    }
    const created = await api.create(desired, request);
    await deleteIfThere(previous.id);
    result.updated.push({ ...named(created), previous, changes, via: "recreate" });
  }

  for (const entry of plan.delete) {
    const registered: Registered = entry[kind.noun];
    await deleteIfThere(registered.id);
    result.deleted.push(registered);
  }
  result.changed = result.created.length + result.updated.length + result.deleted.length > 0;
  return result;
}
