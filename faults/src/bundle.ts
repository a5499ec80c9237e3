// app.ts bundled once per run with esbuild (the workspace sources through the `@octo-webhooks/source`
// condition, bullmq, ioredis, pg, graphile-worker and the frameworks left to node_modules): a process of a scenario then starts in a fraction
// of the time tsx takes to transpile the sources at each start, which the restarts of every kill pay.
import { build } from "esbuild";

/** Where the bundle goes: inside faults/, so that `bullmq`, `ioredis`, `pg`... resolve from its node_modules. */
export const APP_BUNDLE = new URL("../node_modules/.cache/faults/app.mjs", import.meta.url).pathname;

/** Bundles src/app.ts into {@link APP_BUNDLE}. */
export async function bundleApp(): Promise<void> {
  await build({
    entryPoints: [new URL("app.ts", import.meta.url).pathname],
    outfile: APP_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@octo-webhooks/source"],
    // the frameworks too: they are CommonJS, and faults/ depends on each
    external: [
      "bullmq",
      "ioredis",
      "express",
      "fastify",
      "hono",
      "@hono/node-server",
      "koa",
      "pg",
      "graphile-worker",
    ],
    logLevel: "warning",
  });
}
