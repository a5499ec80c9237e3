import type { Kind, Plan, SyncOptions } from "./types.ts";

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
