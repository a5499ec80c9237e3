import { configError, OctoApiError } from "./errors.ts";
import type { RestResource } from "./rest-resource.ts";
import type { Applied, Kind, Plan, RequestOptions, SupplierTraits, SyncOptions } from "./types.ts";

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
