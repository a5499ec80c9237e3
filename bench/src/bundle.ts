// Edge bundle size: the Worker a user ships, bundled and minified as wrangler would, then gzipped.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export interface BundleResult {
  name: string;
  minified: number;
  gzip: number;
  /** gzip of the bundle not minified, as `wrangler deploy` without `--minify` ships it. */
  unminifiedGzip: number;
}

const WORKERS: Record<string, string> = {
  "core only (fetch entry)": `
    import { createOctoWebhooks } from "@octo-webhooks/core";
    const webhooks = createOctoWebhooks({
      auth: (env) => ({ basic: { username: env.USER, password: env.PASS } }),
      onBookingUpdate: ({ booking }) => console.log(booking.uuid),
    });
    export default { fetch: webhooks.fetch };`,
  "core + Hono adapter + hono": `
    import { Hono } from "hono";
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

export async function benchBundles(): Promise<BundleResult[]> {
  const results: BundleResult[] = [];
  for (const [name, contents] of Object.entries(WORKERS)) {
    // minified, and as `wrangler deploy` ships it without `--minify`
    const [minified, unminified] = await Promise.all(
      [true, false].map(async (minify) => {
        const output = await build({
          stdin: { contents, resolveDir: import.meta.dirname, loader: "ts" },
          bundle: true,
          minify,
          format: "esm",
          platform: "neutral",
          target: "es2022",
          // the published build (run `pnpm build` first), resolved as wrangler resolves it
          conditions: ["workerd", "worker", "browser", "import"],
          mainFields: ["module", "main"],
          write: false,
          logLevel: "silent",
        });
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
