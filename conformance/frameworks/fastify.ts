// Fastify as the suite and the fuzz tests start it: the app's own parser choice, the plugin, the app's route.
import { octoWebhooks } from "@octo-webhooks/fastify";
import Fastify, { type FastifyInstance } from "fastify";
import { type FrameworkUnderTest, OTHER_PATH, PATH, type Started } from "../app.ts";
import { forkedApart } from "../fork-server.ts";

// The app's own parser choices, made before the plugin is registered: none of them may reach it (the
// plugin reads the stream in its own encapsulated scope), so none answers a delivery by itself.
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

/**
 * Starts a Fastify app (bodyLimit 1 KB for its own routes) with the plugin registered on {@link PATH}.
 * `drain()` is `app.close()`, which waits for the ack-first handlers still running (and `close()` after
 * it does nothing more).
 */
export async function startFastify(
  parser: string,
  options: object,
): Promise<Started & { app: FastifyInstance; origin: string }> {
  const app = Fastify({ bodyLimit: 1024 });
  appParsers[parser]?.(app);
  app.addContentTypeParser("text/plain", { parseAs: "string" }, (_request, body, done) => done(null, body));
  await app.register(octoWebhooks, { path: PATH, ...options });
  app.get(OTHER_PATH, async () => "other");
  app.post(OTHER_PATH, async ({ body }) => `other:${typeof body === "string" ? body : JSON.stringify(body)}`);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= app.close().then(() => {}));
  return { app, origin, fetch: (path, init) => fetch(new URL(path, origin), init), close, drain: close };
}

/** Fastify 5 with the parser choices an app makes before registering the plugin. */
export const fastifyFrameworks: FrameworkUnderTest[] = [
  {
    name: "fastify",
    transport: "http",
    parsers: {
      none: { keepsRawBody: true, common: true },
      "the app's JSON parser throws": { keepsRawBody: true },
      "the app parses everything as a Buffer": { keepsRawBody: true, common: true },
    },
    mounts: ["app"],
    mountPrefix: true,
    packageName: "@octo-webhooks/fastify",
    serveApart: forkedApart("fastify"),
    isContext: (value) =>
      typeof value === "object" && value !== null && "raw" in value && "routeOptions" in value,
    start: async ({ options, parser, prefix }) => {
      // registered under a prefix as apps do it: Fastify's `prefix` register option
      const { app: _app, ...target } = await startFastify(
        parser,
        prefix === undefined ? options : { ...options, prefix },
      );
      return target;
    },
  },
];
