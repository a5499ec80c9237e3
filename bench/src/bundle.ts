// Edge bundle size: the Worker a user ships, bundled and minified as wrangler would, then gzipped.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { addTo } from "./owners.ts";

export interface BundleResult {
  name: string;
  minified: number;
  gzip: number;
  /** gzip of the bundle not minified, as `wrangler deploy` without `--minify` ships it. */
  unminifiedGzip: number;
}

const HONO_WORKER = "core + Hono adapter + hono";

const WORKERS: Record<string, string> = {
  "core only (fetch entry)": `
    import { createOctoWebhooks } from "@octo-webhooks/core";
    const webhooks = createOctoWebhooks({
      auth: (env) => ({ basic: { username: env.USER, password: env.PASS } }),
      onBookingUpdate: ({ booking }) => console.log(booking.uuid),
    });
    export default { fetch: webhooks.fetch };`,
  [HONO_WORKER]: `
    import { Hono } from "hono";
    import { octoWebhooks } from "@octo-webhooks/hono";
    const app = new Hono();
    app.post("/webhooks/octo", octoWebhooks({
      auth: (c) => ({ basic: { username: c.env.USER, password: c.env.PASS } }),
      onBookingUpdate: ({ booking }) => console.log(booking.uuid),
    }));
    export default app;`,
  // Hono's size preset (PatternRouter): 6.0 KB gzip alone against the default preset's 8.4 KB
  "core + Hono adapter + hono/tiny": `
    import { Hono } from "hono/tiny";
    import { octoWebhooks } from "@octo-webhooks/hono";
    const app = new Hono();
    app.post("/webhooks/octo", octoWebhooks({
      auth: (c) => ({ basic: { username: c.env.USER, password: c.env.PASS } }),
      onBookingUpdate: ({ booking }) => console.log(booking.uuid),
    }));
    export default app;`,
};

/** Registers another Worker source to measure (the Hono adapter adds itself once it exists). */
export function addWorker(name: string, source: string): void {
  WORKERS[name] = source;
}

/** Minified bytes per module of a Worker's bundle, built from our sources so that each file is its own row. */
export interface ModuleShare {
  module: string;
  bytes: number;
}

/**
 * A Worker bundled as wrangler bundles it: from the published builds (run `pnpm build` first), resolved
 * with wrangler's conditions, or `fromSource` (each package's `@octo-webhooks/source` export, so that each
 * of our files is its own module in the metafile).
 */
function bundleWorker(contents: string, options: { minify: boolean; fromSource?: boolean }) {
  const conditions = ["workerd", "worker", "browser", "import"];
  return build({
    stdin: { contents, resolveDir: import.meta.dirname, loader: "ts" },
    bundle: true,
    minify: options.minify,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: options.fromSource ? ["@octo-webhooks/source", ...conditions] : conditions,
    mainFields: ["module", "main"],
    write: false,
    metafile: true,
    outfile: "worker.js",
    logLevel: "silent",
  });
}

/** Where the Hono Worker's bytes come from: esbuild's metafile of the same build, from source. */
export async function bundleModules(): Promise<ModuleShare[]> {
  const output = await bundleWorker(WORKERS[HONO_WORKER] as string, { minify: true, fromSource: true });
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

export async function benchBundles(): Promise<BundleResult[]> {
  const results: BundleResult[] = [];
  for (const [name, contents] of Object.entries(WORKERS)) {
    // minified, and as `wrangler deploy` ships it without `--minify`
    const [minified, unminified] = await Promise.all(
      [true, false].map(async (minify) => {
        const output = await bundleWorker(contents, { minify });
        return output.outputFiles[0]?.contents ?? new Uint8Array();
      }),
    );
    results.push({
      name,
      minified: minified?.byteLength ?? 0,
      gzip: gzipSync(minified ?? new Uint8Array(), { level: 9 }).byteLength,
      unminifiedGzip: gzipSync(unminified ?? new Uint8Array(), { level: 9 }).byteLength,
    });
  }
  return results;
}

export function printBundles(results: BundleResult[]): void {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log("\n## Worker bundle (esbuild, minified)\n");
  console.log("| bundle | minified | gzip | target | not minified, gzip |");
  console.log("|---|---|---|---|---|");
  for (const r of results) {
    console.log(
      `| ${r.name} | ${kb(r.minified)} | ${kb(r.gzip)} | <= 20 KB gzip | ${kb(r.unminifiedGzip)} |`,
    );
  }
}

export function printBundleModules(shares: ModuleShare[]): void {
  const total = shares.reduce((sum, share) => sum + share.bytes, 0);
  console.log(`\n## ${HONO_WORKER}: minified bytes per module (from source; gzip is not per module)\n`);
  console.log("| module | minified bytes | share |");
  console.log("|---|---|---|");
  for (const { module, bytes } of shares) {
    console.log(`| ${module} | ${bytes} | ${((bytes / total) * 100).toFixed(1)}% |`);
  }
  console.log(`| **total** | ${total} | 100% |`);
}
