// Worker bundle size: the Workers the root README shows, bundled as a user bundles them (wrangler, and
// plain esbuild without conditions), gzipped. Writes docs/sizes.json, then every size figure of the docs
// from it (`<!-- size: hono.wrangler.gzip -->30.1 KB`); test/sizes.test.ts fails when one differs.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { readmeSnippets, snippetDocuments, withSizeFigures } from "../../scripts/readme-snippets.mjs";
import { addTo } from "./owners.ts";

const root = join(import.meta.dirname, "../..");
const benchRoot = join(import.meta.dirname, "..");
/** The committed file of figures. */
export const SIZES_FILE = join(root, "docs/sizes.json");

/** Bytes of one bundle, and of it gzipped (level 9). */
export interface Size {
  bytes: number;
  gzip: number;
}

export interface BundleResult {
  /** The key in docs/sizes.json (`hono`, `hono-tiny`, `core`). */
  key: string;
  what: string;
  /** The Worker's source, as the README shows it. */
  source: string;
  /** `wrangler deploy --dry-run --minify` (wrangler keeps function names: `keep_names` is on by default). */
  wrangler: Size;
  /** `wrangler deploy --dry-run`, not minified: what `wrangler deploy` ships without `--minify`. */
  wranglerUnminified: Size;
  /** `esbuild --bundle --minify --format=esm`, no conditions, no other option. */
  esbuild: Size;
}

/** The Workers measured: the root README's own snippets, so that a figure is of the code beside it. */
function workers(): { key: string; what: string; source: string }[] {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const snippet = (title: string) => {
    const code = readmeSnippets(readme).find((s) => s.title === title)?.code;
    if (code === undefined) throw new Error(`the root README has no "${title}" snippet`);
    return code;
  };
  const hono = snippet("Hono on Cloudflare Workers");
  return [
    { key: "hono", what: "the README's Hono Worker (core + Hono adapter + hono)", source: hono },
    {
      key: "hono-tiny",
      what: 'the same with `import { Hono } from "hono/tiny"` (Hono\'s size preset)',
      source: hono.replace('from "hono";', 'from "hono/tiny";'),
    },
    {
      key: "core",
      what: "core alone (`export default { fetch: webhooks.fetch }`)",
      source: snippet("Anything else"),
    },
  ];
}

const size = (bytes: Uint8Array): Size => ({
  bytes: bytes.byteLength,
  gzip: gzipSync(bytes, { level: 9 }).byteLength,
});

/** wrangler as installed in examples/hono-workers: the version a user of that example runs. */
function wranglerBin(): { bin: string; version: string } {
  const require = createRequire(join(root, "examples/hono-workers/package.json"));
  const manifest = require.resolve("wrangler/package.json");
  const { version, bin } = JSON.parse(readFileSync(manifest, "utf8")) as {
    version: string;
    bin: { wrangler: string };
  };
  return { bin: join(manifest, "..", bin.wrangler), version };
}

/** `wrangler deploy --dry-run --outdir` of `source`, in a scratch project resolving bench's packages. */
function wranglerBundle(source: string, minify: boolean): Uint8Array {
  const project = mkdtempSync(join(tmpdir(), "octo-worker-size-"));
  try {
    mkdirSync(join(project, "src"));
    writeFileSync(join(project, "src/index.ts"), source);
    symlinkSync(join(benchRoot, "node_modules"), join(project, "node_modules"), "dir");
    writeFileSync(
      join(project, "wrangler.json"),
      JSON.stringify({ name: "octo-size", main: "src/index.ts", compatibility_date: "2026-04-01" }),
    );
    const args = ["deploy", "--dry-run", "--outdir", "out", ...(minify ? ["--minify"] : [])];
    execFileSync(process.execPath, [wranglerBin().bin, ...args], {
      cwd: project,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    return readFileSync(join(project, "out/index.js"));
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

/**
 * `esbuild --bundle --minify --format=esm`: esbuild's defaults otherwise (platform `browser`, no
 * `--conditions`), from the published builds (run `pnpm build` first), or `fromSource` (each package's
 * `@octo-webhooks/source` export, so that each of our files is its own module in the metafile).
 */
function esbuildBundle(contents: string, fromSource = false) {
  return build({
    stdin: { contents, resolveDir: import.meta.dirname, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    ...(fromSource ? { conditions: ["@octo-webhooks/source"] } : {}),
    write: false,
    metafile: true,
    outfile: "worker.js",
    logLevel: "silent",
  });
}

/** Minified bytes per module of a Worker's bundle, built from our sources so that each file is its own row. */
export interface ModuleShare {
  module: string;
  bytes: number;
}

/** Where the Hono Worker's bytes come from: esbuild's metafile of the same build, from source. */
export async function bundleModules(): Promise<ModuleShare[]> {
  const hono = workers().find((worker) => worker.key === "hono");
  const output = await esbuildBundle(hono?.source ?? "", true);
  const inputs = Object.values(output.metafile.outputs)[0]?.inputs ?? {};
  const shares = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    // hono's own files as one row: it is the same with or without us
    const module = path.includes("node_modules/hono/")
      ? "hono (the framework)"
      : path.replace(/^.*packages\//, "").replace(/^<stdin>$/, "the Worker itself");
    addTo(shares, module, bytesInOutput);
  }
  return [...shares]
    .map(([module, bytes]) => ({ module, bytes }))
    .filter((share) => share.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}

/** Measures every Worker and writes docs/sizes.json. */
export async function benchBundles(): Promise<BundleResult[]> {
  const results: BundleResult[] = [];
  for (const worker of workers()) {
    const esbuilt = (await esbuildBundle(worker.source)).outputFiles[0]?.contents;
    if (esbuilt === undefined) throw new Error(`esbuild wrote nothing for ${worker.key}`);
    results.push({
      ...worker,
      wrangler: size(wranglerBundle(worker.source, true)),
      wranglerUnminified: size(wranglerBundle(worker.source, false)),
      esbuild: size(esbuilt),
    });
  }
  const esbuildVersion = (
    JSON.parse(readFileSync(join(benchRoot, "node_modules/esbuild/package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  const honoVersion = (
    JSON.parse(readFileSync(join(benchRoot, "node_modules/hono/package.json"), "utf8")) as { version: string }
  ).version;
  const file = {
    $comment:
      "Written by `pnpm bench --only=bundle` (bench/src/bundle.ts) from the published builds; every size figure of the READMEs comes from here (test/sizes.test.ts). Bytes exact; gzip at level 9.",
    measured: new Date().toISOString().slice(0, 10),
    tools: { wrangler: wranglerBin().version, esbuild: esbuildVersion, hono: honoVersion },
    workers: Object.fromEntries(results.map(({ key, ...rest }) => [key, rest])),
  };
  writeFileSync(SIZES_FILE, `${JSON.stringify(file, null, 2)}\n`);
  // the docs' figures, from the file just written
  for (const doc of snippetDocuments(root)) {
    const path = join(root, doc);
    const text = readFileSync(path, "utf8");
    const updated = withSizeFigures(text, file);
    if (updated !== text) {
      writeFileSync(path, updated);
      console.log(`size figures updated in ${doc}`);
    }
  }
  return results;
}

export function printBundles(results: BundleResult[]): void {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log("\n## Worker bundle (written to docs/sizes.json)\n");
  console.log(
    "| Worker | wrangler --minify | gzip | esbuild --bundle --minify | gzip | wrangler, not minified, gzip |",
  );
  console.log("|---|---|---|---|---|---|");
  for (const r of results) {
    console.log(
      `| ${r.key} | ${kb(r.wrangler.bytes)} | ${kb(r.wrangler.gzip)} | ${kb(r.esbuild.bytes)} | ${kb(r.esbuild.gzip)} | ${kb(r.wranglerUnminified.gzip)} |`,
    );
  }
}

export function printBundleModules(shares: ModuleShare[]): void {
  const total = shares.reduce((sum, share) => sum + share.bytes, 0);
  console.log(
    "\n## The Hono Worker: minified bytes per module (esbuild, from source; gzip is not per module)\n",
  );
  console.log("| module | minified bytes | share |");
  console.log("|---|---|---|");
  for (const { module, bytes } of shares) {
    console.log(`| ${module} | ${bytes} | ${((bytes / total) * 100).toFixed(1)}% |`);
  }
  console.log(`| **total** | ${total} | 100% |`);
}
