// The rules of the lifecycle table (packages/core/README.md), shared by bookings and orders: from a
// resource's status and a delivery's diff to the lifecycle event it stands for.

/**
 * The `diff` entry that changes the resource's status (at `/status`, `status` or `/<resource>/status`,
 * with a `value` other than its `was`), or `undefined`.
 */
export function statusChange(diff: unknown, resource: string): { value?: unknown } | undefined {
  if (!Array.isArray(diff)) return undefined;
  for (const change of diff) {
    if (typeof change !== "object" || change === null) continue;
    const { path, was, value } = change as { path?: unknown; was?: unknown; value?: unknown };
    if ((path === "/status" || path === "status" || path === `/${resource}/status`) && was !== value) {
      return change;
    }
  }
  return undefined;
}

/**
 * The lifecycle event of `status` and `diff` in `table` (status -> event), or `amended` for a
 * `CONFIRMED` resource whose non-empty diff does not change its status.
 */
export function lifecycleOf<E extends string>(
  table: Readonly<Record<string, E>>,
  amended: E,
  resource: string,
  status: unknown,
  diff: unknown,
): E | undefined {
  if (!Array.isArray(diff) || diff.length === 0) return eventOf(table, status);
  const change = statusChange(diff, resource);
  if (change !== undefined) return eventOf(table, typeof status === "string" ? status : change.value);
  return status === "CONFIRMED" ? amended : undefined;
}

/**
 * The lifecycle event of a resource that came without `diff` (a reconciled or hydrated one) whose last
 * applied status is `previous`: its status event when the status changed, `amended` for a `CONFIRMED`
 * resource whose content changed (it reached admission, so it did), nothing otherwise.
 */
export function lifecycleSince<E extends string>(
  table: Readonly<Record<string, E>>,
  amended: E,
  previous: string,
  status: unknown,
): E | undefined {
  if (typeof status !== "string") return undefined;
  if (status !== previous) return eventOf(table, status);
  return status === "CONFIRMED" ? amended : undefined;
}

function eventOf<E extends string>(table: Readonly<Record<string, E>>, status: unknown): E | undefined {
  return typeof status === "string" && Object.hasOwn(table, status) ? table[status] : undefined;
}
