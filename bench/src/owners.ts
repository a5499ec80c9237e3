// Who owns the code a profile or an instruction count names: ours, a package, Node, the engine.

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
