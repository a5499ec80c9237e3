// Koa 3 and 2 as the suite and the fuzz tests start them: a parser, the adapter, the app's own route.
/// <reference path="../aliases.d.ts" />
import { bodyParser } from "@koa/bodyparser";
import { octoWebhooks } from "@octo-webhooks/koa";
import Koa from "koa";
import { koaBody } from "koa-body";
import Koa2 from "koa2";
import { type FrameworkUnderTest, OTHER_PATH, type ParserTraits, serve } from "../app.ts";
import { forkedApart } from "../fork-server.ts";

// co-body's own answers (both parsers read with it), thrown to Koa before the adapter runs: 400 for
// malformed JSON (or a first character other than `{`/`[`, strict mode) and a Content-Length that does
// not match, 413 over its limit (1 MB for JSON), 415 for a charset or Content-Encoding it does not know,
// and 500 for a gzip/deflate/br body that does not decompress (zlib's error carries no status)
const CO_BODY_STATUSES = [400, 413, 415, 500];

type Parser = ParserTraits & { use: () => Koa.Middleware[] };
const parsers: { none: Parser } & Record<string, Parser> = {
  none: { use: () => [], keepsRawBody: true },
  "@koa/bodyparser": {
    use: () => [bodyParser()],
    keepsRawBody: true,
    ownStatuses: CO_BODY_STATUSES,
    common: true,
    readsBodyFirst: true,
    stallsOnBadContentCoding: true,
  },
  "@koa/bodyparser (json, text)": {
    use: () => [bodyParser({ enableTypes: ["json", "text"] })],
    keepsRawBody: true,
    ownStatuses: CO_BODY_STATUSES,
    readsBodyFirst: true,
    stallsOnBadContentCoding: true,
  },
  koaBody: {
    use: () => [koaBody()],
    keepsRawBody: false,
    ownStatuses: CO_BODY_STATUSES,
    readsBodyFirst: true,
    stallsOnBadContentCoding: true,
  },
  "koaBody({ includeUnparsed: true })": {
    use: () => [koaBody({ includeUnparsed: true })],
    keepsRawBody: true,
    ownStatuses: CO_BODY_STATUSES,
    readsBodyFirst: true,
    stallsOnBadContentCoding: true,
  },
};

/**
 * `middleware` under `prefix` as koa-mount mounts it (its logic, written out: koa-mount is not a
 * dependency here): for a path under the prefix it runs with `ctx.path`, and so `ctx.url`, relative to
 * the mount, which is restored for the middlewares after it.
 */
function mount(prefix: string, middleware: Koa.Middleware): Koa.Middleware {
  return async (ctx, next) => {
    const path = ctx.path;
    const relative = path.startsWith(prefix) ? path.slice(prefix.length) || "/" : undefined;
    if (relative === undefined || !relative.startsWith("/")) return next();
    ctx.path = relative;
    await middleware(ctx, async () => {
      ctx.path = path;
      await next();
      ctx.path = relative;
    });
    ctx.path = path;
  };
}

function koaApp(name: string, App: typeof Koa): FrameworkUnderTest {
  return {
    name,
    transport: "http",
    parsers,
    mounts: ["app"],
    mountPrefix: true,
    packageName: "@octo-webhooks/koa",
    serveApart: forkedApart(name),
    isContext: (value) => typeof value === "object" && value !== null && "app" in value && "request" in value,
    start: ({ options, parser, prefix }) => {
      const app = new App();
      app.silent = true; // the parsers' own 400/413 answers are expected here
      for (const parse of parsers[parser]?.use() ?? []) app.use(parse);
      const middleware = octoWebhooks(options);
      app.use(prefix === undefined ? middleware : mount(prefix, middleware));
      app.use(async (ctx) => {
        if (ctx.path !== OTHER_PATH) return;
        const request = ctx.request as typeof ctx.request & { body?: unknown };
        let text = typeof request.body === "string" ? request.body : "";
        if (!ctx.req.readableEnded) for await (const chunk of ctx.req) text += chunk;
        ctx.body = ctx.method === "POST" ? `other:${text}` : "other";
      });
      return serve(app.callback()).then((target) => ({
        ...target,
        drain: () => middleware.webhooks.drain(),
      }));
    },
  };
}

/** Koa 3 and Koa 2, each with @koa/bodyparser or koa-body in front, or nothing. */
export const koaFrameworks: FrameworkUnderTest[] = [koaApp("koa", Koa), koaApp("koa 2", Koa2 as typeof Koa)];
