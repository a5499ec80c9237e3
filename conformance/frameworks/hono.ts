// Hono as the suite and the fuzz tests start it: through `app.request` (as on Workers) and on
// @hono/node-server, with or without a middleware that reads the body first.
import { getRequestListener } from "@hono/node-server";
import { octoWebhooks } from "@octo-webhooks/hono";
import { Hono } from "hono";
import { type FrameworkUnderTest, OTHER_PATH, PATH, type ParserTraits, type Setup, serve } from "../app.ts";
import { forkedApart } from "../fork-server.ts";

/**
 * Hono's app under test (under `basePath(prefix)` when given): the parser, the adapter (mounted as
 * asked), the app's own routes. Bun and Deno serve it too (runtimes/).
 */
export function buildHonoApp({ options, parser, mount, prefix }: Setup) {
  const app = new Hono().basePath(prefix ?? "/");
  if (parser === "c.req.json()")
    app.use(async (c, next) => {
      await c.req.json().catch(() => undefined);
      await next();
    });
  if (parser === "c.req.text()" || parser === "c.req.arrayBuffer()")
    app.use(async (c, next) => {
      await (parser === "c.req.text()" ? c.req.text() : c.req.arrayBuffer());
      await next();
    });
  const middleware = octoWebhooks(options);
  if (mount === "app") app.use(middleware);
  else app.post(PATH, middleware);
  app.get(OTHER_PATH, (c) => c.text("other"));
  app.post(OTHER_PATH, async (c) => c.text(`other:${await c.req.text()}`));
  return { app, drain: () => middleware.webhooks.drain() };
}

// Hono has no body-parser middleware: apps read the body with c.req.json() (validators do), Hono
// caches it, and the adapter reuses the cache. These middlewares never answer by themselves.
const parsers: { none: ParserTraits } & Record<string, ParserTraits> = {
  none: { keepsRawBody: true },
  "c.req.json()": { keepsRawBody: true, common: true, readsBodyFirst: true },
  "c.req.text()": { keepsRawBody: true, readsBodyFirst: true },
  "c.req.arrayBuffer()": { keepsRawBody: true, readsBodyFirst: true },
};
const isContext = (value: unknown) =>
  typeof value === "object" && value !== null && "req" in value && "env" in value;

/** Hono through `app.request` and Hono on @hono/node-server, each with the body reads apps do first. */
export const honoFrameworks: FrameworkUnderTest[] = [
  {
    name: "hono (app.request)",
    transport: "app.request",
    parsers,
    mounts: ["app", "route"],
    mountPrefix: true,
    packageName: "@octo-webhooks/hono",
    noPeerAddress: "`app.request` has no socket, and its `c.env` no runtime's connection info",
    isContext,
    start: async (setup) => {
      const { app, drain } = buildHonoApp(setup);
      return { fetch: async (path, init) => app.request(path, init), close: async () => {}, drain };
    },
  },
  {
    name: "hono (node-server)",
    transport: "http",
    parsers,
    mounts: ["app", "route"],
    mountPrefix: true,
    packageName: "@octo-webhooks/hono",
    serveApart: forkedApart("hono (node-server)"),
    isContext,
    start: async (setup) => {
      const { app, drain } = buildHonoApp(setup);
      return { ...(await serve(getRequestListener(app.fetch))), drain };
    },
  },
];
