// Express 5 and 4 as the suite and the fuzz tests start them: a parser, the adapter, the app's own route.
/// <reference path="../aliases.d.ts" />
import { octoWebhooks } from "@octo-webhooks/express";
import express5, { type RequestHandler } from "express";
import express4 from "express4";
import { type FrameworkUnderTest, OTHER_PATH, PATH, type ParserTraits, serve } from "../app.ts";
import { forkedApart } from "../fork-server.ts";

// body-parser's own answers, written by Express's error handler before the adapter runs: 400 for
// malformed JSON (or a first character other than `{`/`[`, its strict mode) and a Content-Length that
// does not match, 413 over its limit (100 KB), 415 for a charset or Content-Encoding it cannot decode
const BODY_PARSER_STATUSES = [400, 413, 415];

function expressApp(name: string, express: typeof express5): FrameworkUnderTest {
  type Parser = ParserTraits & { use: RequestHandler[] };
  const parsers: { none: Parser } & Record<string, Parser> = {
    none: { use: [], keepsRawBody: true },
    "express.json()": {
      use: [express.json()],
      keepsRawBody: false,
      limitBytes: 100 * 1024,
      ownStatuses: BODY_PARSER_STATUSES,
      common: true,
      readsBodyFirst: true,
    },
    "express.text({ type: '*/*' })": {
      use: [express.text({ type: "*/*" })],
      keepsRawBody: true,
      limitBytes: 100 * 1024,
      ownStatuses: BODY_PARSER_STATUSES,
      readsBodyFirst: true,
    },
    "express.raw({ type: '*/*' })": {
      use: [express.raw({ type: "*/*" })],
      keepsRawBody: true,
      limitBytes: 100 * 1024,
      ownStatuses: BODY_PARSER_STATUSES,
      readsBodyFirst: true,
    },
    "express.text() (skips JSON)": { use: [express.text()], keepsRawBody: true },
  };
  return {
    name,
    transport: "http",
    parsers,
    mounts: ["app", "route"],
    mountPrefix: true,
    packageName: "@octo-webhooks/express",
    serveApart: forkedApart(name),
    isContext: (value) => typeof value === "object" && value !== null && "app" in value && "res" in value,
    start: ({ options, parser, mount, prefix }) => {
      const app = express();
      for (const parse of parsers[parser]?.use ?? []) app.use(parse);
      const middleware = octoWebhooks(options);
      if (mount === "route") app.post(PATH, middleware);
      else if (prefix !== undefined) app.use(prefix, middleware);
      else app.use(middleware);
      app.get(OTHER_PATH, (_req, res) => void res.send("other"));
      app.post(OTHER_PATH, async (req, res) => {
        let text = typeof req.body === "string" ? req.body : "";
        if (!req.readableEnded) for await (const chunk of req) text += chunk;
        res.send(`other:${text}`);
      });
      return serve(app).then((target) => ({ ...target, drain: () => middleware.webhooks.drain() }));
    },
  };
}

/** Express 5 and Express 4, each with the body parsers users put in front. */
export const expressFrameworks: FrameworkUnderTest[] = [
  expressApp("express", express5),
  expressApp("express 4", express4 as typeof express5),
];
