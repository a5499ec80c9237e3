import { serve as serveNode } from "@hono/node-server";
import { Hono } from "hono";
import { OTHER_PATH, PATH, type Setup, testFramework } from "../../../conformance/index.ts";
import { octoWebhooks } from "../src/index.ts";

function build({ options, parser, mount }: Setup) {
  const app = new Hono();
  if (parser === "c.req.json()")
    app.use(async (c, next) => {
      await c.req.json().catch(() => undefined);
      await next();
    });
  if (parser === "c.req.text()")
    app.use(async (c, next) => {
      await c.req.text();
      await next();
    });
  if (mount === "app") app.use(octoWebhooks(options));
  else app.post(PATH, octoWebhooks(options));
  app.get(OTHER_PATH, (c) => c.text("other"));
  app.post(OTHER_PATH, async (c) => c.text(`other:${await c.req.text()}`));
  return app;
}
const parsers = {
  none: { keepsRawBody: true },
  "c.req.json()": { keepsRawBody: true },
  "c.req.text()": { keepsRawBody: true },
};
const isContext = (value: unknown) =>
  typeof value === "object" && value !== null && "req" in value && "env" in value;

testFramework({
  name: "hono (app.request)",
  transport: "app.request",
  parsers,
  mounts: ["app", "route"],
  isContext,
  start: async (setup) => {
    const app = build(setup);
    return { fetch: async (path, init) => app.request(path, init), close: async () => {} };
  },
});

testFramework({
  name: "hono (node-server)",
  transport: "http",
  parsers,
  mounts: ["app", "route"],
  isContext,
  start: async (setup) => {
    const app = build(setup);
    const { server, origin } = await new Promise<{ server: ReturnType<typeof serveNode>; origin: string }>(
      (resolve) => {
        const server = serveNode({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
          resolve({ server, origin: `http://127.0.0.1:${info.port}` }),
        );
      },
    );
    return {
      origin,
      fetch: (path, init) => fetch(new URL(path, origin), init),
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          (server as unknown as { closeAllConnections(): void }).closeAllConnections();
        }),
    };
  },
});
