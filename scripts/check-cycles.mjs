#!/usr/bin/env node
// No import cycles: dpdm follows every import from the source entry points of each package (its
// `exports` "@octo-webhooks/source" paths, or the source of its `bin`) and from every file of conformance/,
// bench/src, faults/src, test-helpers/ and queue-shared/, type-only imports included (a cycle through types is still a
// tangle), and this fails listing each cycle found. Files given as arguments are followed too.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseCircular, parseDependencyTree } from "dpdm";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const started = performance.now();

function sourcePaths(value, found) {
  if (typeof value === "string") {
    if (/\.tsx?$/.test(value)) found.push(value);
  } else if (value && typeof value === "object") {
    for (const [condition, target] of Object.entries(value)) {
      if (condition === "@octo-webhooks/source") strings(target, found);
      else sourcePaths(target, found);
    }
  }
}

function strings(value, found) {
  if (typeof value === "string") found.push(value);
  else if (value && typeof value === "object")
    for (const target of Object.values(value)) strings(target, found);
}

function packageEntries(packageDir) {
  const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8"));
  const found = [];
  for (const value of Object.values(manifest.exports ?? {})) {
    if (value && typeof value === "object") sourcePaths(value, found);
  }
  // a command without exports (the CLI): the source its bin is built from
  if (found.length === 0) {
    const bins = typeof manifest.bin === "string" ? [manifest.bin] : Object.values(manifest.bin ?? {});
    for (const bin of bins) found.push(bin.replace(/^(\.\/)?dist\//, "src/").replace(/\.c?js$/, ".ts"));
  }
  if (found.length === 0) found.push("src/index.ts");
  return [...new Set(found)].map((file) => path.join(packageDir, file)).filter((file) => existsSync(file));
}

function filesUnder(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(full));
    else if (/\.tsx?$/.test(entry.name)) found.push(full);
  }
  return found;
}

const entries = [
  ...readdirSync(path.join(root, "packages"))
    .sort()
    .map((dir) => path.join(root, "packages", dir))
    .filter((dir) => existsSync(path.join(dir, "package.json")))
    .flatMap(packageEntries),
  ...["conformance", "bench/src", "faults/src", "test-helpers", "queue-shared"].flatMap((dir) =>
    filesUnder(path.join(root, dir)),
  ),
  // more files to follow, given as arguments
  ...process.argv.slice(2).map((file) => path.resolve(file)),
];

// the repository's tsconfig resolves our packages to their sources (customConditions), as the tests do
const tree = await parseDependencyTree(entries, {
  cwd: root,
  context: root,
  tsconfig: path.join(root, "tsconfig.json"),
  transform: false,
});
const cycles = parseCircular(tree);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const files = Object.keys(tree).length;

if (cycles.length > 0) {
  console.error(`${cycles.length} import cycle${cycles.length === 1 ? "" : "s"}:`);
  for (const cycle of cycles) console.error(`  ${[...cycle, cycle[0]].join(" -> ")}`);
  console.error(`(${entries.length} entry points, ${files} files, ${seconds}s)`);
  process.exit(1);
}
console.log(`no import cycles: ${entries.length} entry points, ${files} files, ${seconds}s`);
