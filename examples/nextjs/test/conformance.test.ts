// Next.js route modules through the whole conformance suite, run with Next's own request objects: an
// App Router `route.ts` whose handlers are `(request) => webhooks.fetch(request, request)`, called with
// a `NextRequest` (next/server), as a route module of the Node.js runtime and of the Edge runtime (core
// has one build, without zod, for both); and a Pages Router
// API route with `bodyParser: false` on a real node:http server, which is what `next start` hands it
// (Node's req with its body unread). Why not `next build` + `next start` for the whole suite: see this
// example's README; test/smoke.test.ts runs the built app once.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type FrameworkUnderTest,
  OTHER_PATH,
  PATH,
  type Setup,
  serve,
  testFramework,
} from "@octo-webhooks/conformance";
import { createOctoWebhooks } from "@octo-webhooks/core";
import { adapterWebhooks, matchesPath, supplierInPath } from "@octo-webhooks/core/adapter";
import { NextRequest } from "next/server";

/** The receiver a route module makes. */
function receiver({ options }: Setup) {
  // a route module gives core the route's path (`/webhooks/octo/:supplier` for app/webhooks/octo/[supplier]):
  // fetch() reads the supplier from the URL
  if (options.webhooks === undefined) return createOctoWebhooks(options);
  const { path: _path, ...rest } = options;
  return adapterWebhooks(rest, "@octo-webhooks/core").webhooks;
}

/** Answers OTHER_PATH as another route of the app would. */
const otherRoute = async (request: Request) =>
  new Response(request.method === "GET" ? "other" : `other:${await request.text()}`);

function appRouter(name: string, _edge: boolean): FrameworkUnderTest {
  return {
    name,
    transport: "app.request",
    parsers: { none: { keepsRawBody: true } },
    mounts: ["route"],
    noPeerAddress:
      "a route module gets a NextRequest, which carries no peer address; on Vercel, X-Forwarded-For names the client",
    // the auth resolver gets what the route passes second: the NextRequest
    isContext: (value) => value instanceof NextRequest,
    start: async (setup) => {
      const webhooks = receiver(setup);
      // app/webhooks/octo/route.ts: one handler, exported for every method so that core answers them
      // (exporting POST alone leaves the others to Next's own 405)
      const handler = (request: NextRequest) => webhooks.fetch(request, request);
      return {
        fetch: async (path, init) => {
          const request = new NextRequest(new URL(path, "http://localhost:3000"), init as never);
          if (request.nextUrl.pathname === OTHER_PATH) return otherRoute(request);
          if (!matchesPath(request.nextUrl.pathname, setup.options.path ?? PATH))
            return new Response("Not Found", { status: 404 });
          return handler(request);
        },
        close: async () => {},
        drain: () => webhooks.drain(),
      };
    },
  };
}

const pagesRouter: FrameworkUnderTest = {
  name: "next (Pages Router API route, bodyParser: false)",
  transport: "http",
  parsers: { none: { keepsRawBody: true } },
  mounts: ["route"],
  isContext: (value) =>
    typeof value === "object" && value !== null && "socket" in value && "headers" in value,
  start: async (setup) => {
    const { path: _path, ...rest } = setup.options;
    const webhooks = adapterWebhooks(rest, "@octo-webhooks/core").webhooks;
    const path = setup.options.path ?? PATH;
    // pages/api/octo.ts (or pages/api/octo/[supplier].ts, passing `req.query.supplier` on) with
    // `export const config = { api: { bodyParser: false } }`, passing the socket's peer for `allowFrom`
    const route = async (req: IncomingMessage, res: ServerResponse) => {
      const supplier = supplierInPath(req.url ?? "/", path);
      const remoteAddress = req.socket.remoteAddress;
      const answer = await webhooks.handle(
        { method: req.method ?? "GET", headers: req.headers, body: req, supplier, remoteAddress },
        req,
      );
      res.writeHead(answer.status, answer.headers).end(answer.body);
    };
    const target = await serve(async (req, res) => {
      const url = req.url ?? "/";
      if (url.split("?")[0] === OTHER_PATH) {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        res.end(req.method === "GET" ? "other" : `other:${Buffer.concat(chunks).toString("utf8")}`);
        return;
      }
      if (!matchesPath(url, path)) return void res.writeHead(404).end("Not Found");
      await route(req, res);
    });
    return { ...target, drain: () => webhooks.drain() };
  },
};

testFramework(appRouter("next (App Router route.ts, Node.js runtime)", false));
testFramework(appRouter("next (App Router route.ts, Edge runtime)", true));
testFramework(pagesRouter);
