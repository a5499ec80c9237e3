import Fastify from "fastify";
import { OTHER_PATH, PATH, testFramework } from "../../../conformance/index.ts";
import { octoWebhooks } from "../src/index.ts";

testFramework({
  name: "fastify",
  transport: "http",
  parsers: { none: { keepsRawBody: true } },
  mounts: ["app"],
  isContext: (value) =>
    typeof value === "object" && value !== null && "raw" in value && "routeOptions" in value,
  start: async ({ options }) => {
    const app = Fastify();
    await app.register(octoWebhooks, { ...options, path: options.path ?? PATH });
    app.addContentTypeParser("text/plain", { parseAs: "string" }, (_req, body, done) => done(null, body));
    app.get(OTHER_PATH, async () => "other");
    app.post(OTHER_PATH, async (request) => `other:${request.body as string}`);
    await app.listen({ port: 0, host: "127.0.0.1" });
    const origin = `http://127.0.0.1:${app.server.address() && (app.server.address() as { port: number }).port}`;
    return { origin, fetch: (path, init) => fetch(new URL(path, origin), init), close: () => app.close() };
  },
});
