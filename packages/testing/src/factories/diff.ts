import type { DiffEntry } from "@octo-webhooks/core";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const pointerKey = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * The changes from one snapshot to the next as OCTO `diff` entries (`{ op, path, was, value }`, JSON
 * pointers), down to the changed leaves. Paths in `ignore` (e.g. `/utcUpdatedAt`) are left out.
 *
 * @example
 * ```ts
 * diffOf({ status: "ON_HOLD", notes: null }, { status: "CONFIRMED", notes: null });
 * // [{ op: "replace", path: "/status", was: "ON_HOLD", value: "CONFIRMED" }]
 * ```
 */
export function diffOf(
  before: unknown,
  after: unknown,
  ignore: ReadonlySet<string> = new Set(),
): DiffEntry[] {
  const out: DiffEntry[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (ignore.has(path) || JSON.stringify(a) === JSON.stringify(b)) return;
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (i >= a.length) out.push({ op: "add", path: `${path}/${i}`, was: null, value: b[i] });
        else if (i >= b.length) out.push({ op: "remove", path: `${path}/${i}`, was: a[i], value: null });
        else walk(a[i], b[i], `${path}/${i}`);
      }
    } else if (isObject(a) && isObject(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        const child = `${path}/${pointerKey(key)}`;
        if (!(key in b)) out.push({ op: "remove", path: child, was: a[key], value: null });
        else if (!(key in a)) out.push({ op: "add", path: child, was: null, value: b[key] });
        else walk(a[key], b[key], child);
      }
    } else {
      out.push({ op: "replace", path, was: a, value: b });
    }
  };
  walk(before, after, "");
  return out;
}
