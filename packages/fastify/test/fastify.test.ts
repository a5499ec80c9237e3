import Fastify, { type FastifyInstance } from "fastify";
import { expect, it } from "vitest";
import { OTHER_PATH, PATH, testFramework } from "../../../conformance/index.ts";
import { testPackage } from "../../../conformance/package.ts";
import { octoWebhooks } from "../src/index.ts";

// The app's own parser choices, made before the plugin is registered: none of them may reach it.
const appParsers: Record<string, (app: FastifyInstance) => void> = {
  none: () => {},
  "the app's JSON parser throws": (app) => {
    app.removeContentTypeParser("application/json");
    app.addContentTypeParser("application/json", (_request, _payload, done) => done(new Error("app parser")));
  },
  "the app parses everything as a Buffer": (app) => {
    app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
  },
};

async function start(parser: string, options: object) {
  const app = Fastify({ bodyLimit: 1024 });
  appParsers[parser]?.(app);
  app.addContentTypeParser("text/plain", { parseAs: "string" }, (_request, body, done) => done(null, body));
  await app.register(octoWebhooks, { path: PATH, ...options });
  app.get(OTHER_PATH, async () => "other");
  app.post(OTHER_PATH, async ({ body }) => `other:${typeof body === "string" ? body : JSON.stringify(body)}`);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return { app, origin, fetch: (path: string, init?: RequestInit) => fetch(new URL(path, origin), init) };
}

testFramework({
  name: "fastify",
  transport: "http",
  parsers: Object.fromEntries(Object.keys(appParsers).map((name) => [name, { keepsRawBody: true }])) as {
    none: { keepsRawBody: true };
  },
  mounts: ["app"],
  isContext: (value) =>
    typeof value === "object" && value !== null && "raw" in value && "routeOptions" in value,
  start: async ({ options, parser }) => {
    const { app, ...target } = await start(parser, options);
    return { ...target, close: () => app.close() };
  },
});

it("fastify: the plugin's parsing does not leak: the app's JSON routes and its bodyLimit still work", async () => {
  const { app, fetch } = await start("none", {});
  const posted = await fetch(OTHER_PATH, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"a":1}',
  });
  expect(await posted.text()).toBe('other:{"a":1}');
  const large = await fetch(OTHER_PATH, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: `{"a":"${"x".repeat(2048)}"}`,
  });
  expect(large.status).toBe(413);
  await app.close();
});

testPackage(new URL("..", import.meta.url).pathname);
