import { getRequestListener } from "@hono/node-server";
import { createOctoWebhooks, type OctoRequest } from "@octo-webhooks/core";
import { Hono } from "hono";
import { expect, it } from "vitest";
import { OTHER_PATH, PATH, type Setup, serve, testFramework } from "../../../conformance/index.ts";
import { testPackage } from "../../../conformance/package.ts";
import { octoWebhooks } from "../src/index.ts";

function build({ options, parser, mount }: Setup) {
  const app = new Hono();
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
  "c.req.arrayBuffer()": { keepsRawBody: true },
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
  start: (setup) => serve(getRequestListener(build(setup).fetch)),
});

it("hono: c.executionCtx.waitUntil reaches handle() where there is one (Workers), and nothing breaks without (Node)", async () => {
  const receiver = createOctoWebhooks();
  const given: OctoRequest["waitUntil"][] = [];
  const webhooks = {
    ...receiver,
    handle: (request: OctoRequest, c?: unknown) => {
      given.push(request.waitUntil);
      return receiver.handle(request, c);
    },
  };
  const app = new Hono();
  app.post(PATH, octoWebhooks({ webhooks }));
  const init = {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ booking: { uuid: "b-1" } }),
  };
  const kept: Promise<unknown>[] = [];
  const executionCtx = {
    waitUntil: (p: Promise<unknown>) => void kept.push(p),
    passThroughOnException: () => {},
    props: {},
  };
  expect((await app.request(PATH, init, {}, executionCtx)).status).toBe(200);
  given[0]?.(Promise.resolve());
  expect(kept).toHaveLength(1);
  expect((await app.request(PATH, init)).status).toBe(200);
  expect(given).toHaveLength(2);
  expect(given[1]).toBeUndefined();
});

testPackage(new URL("..", import.meta.url).pathname);
