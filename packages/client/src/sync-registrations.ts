import { applySync } from "./apply-sync.ts";
import { placeOf } from "./place-of.ts";
import { planSync } from "./plan-sync.ts";
import type { RestResource } from "./rest-resource.ts";
import type { Kind } from "./types.ts";

/** What happens to one registration. */
export type SyncAction = "create" | "update" | "delete" | "keep";

/**
 * Plans (and unless `dryRun`, applies) `desired` over the supplier's registrations of `kind` that point at
 * `receiver` (with any credentials); the others are left alone. Every registration becomes a row, made by
 * `row` of the supplier's registration (none for a dry run's create) and of the desired one (for a dry
 * run's create and update).
 */
export async function syncRegistrations<
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
