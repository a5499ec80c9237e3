// Who owns the code a profile or an instruction count names (ours, a package, Node, the engine), and the
// per-owner and per-function sums both gap accountings (profile-gap.ts, instructions.ts) print.

/** Who owns a function: ours, the framework, Node, the engine (GC, JSON, builtins). */
export function ownerOf(functionName: string, url: string): string {
  if (functionName === "(garbage collector)") return "V8: garbage collection";
  if (functionName === "(program)") return "V8: program (outside JS)";
  if (url.includes("/packages/") || url.includes("@octo-webhooks")) return "octo-webhooks";
  const framework = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (framework) return `package: ${framework[1]}`;
  if (url.startsWith("node:")) return "Node.js (node:*)";
  if (url === "") return `engine/native: ${functionName || "(anonymous)"}`;
  return "other";
}

/** Adds `value` to `map`'s entry for `key` (also the per-module bytes of bundle.ts and the answer counts of scale.ts). */
export function addTo(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/** One row per key of any of `counts` (one column each), sorted by how much the last adds over the first. */
export function rows(counts: Map<string, number>[]) {
  const keys = new Set(counts.flatMap((c) => [...c.keys()]));
  return [...keys]
    .map((key) => ({ key, values: counts.map((c) => c.get(key) ?? 0) }))
    .map((row) => ({ ...row, delta: (row.values.at(-1) ?? 0) - (row.values[0] ?? 0) }))
    .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta));
}
