/**
 * Receive OCTO webhooks in Hono on Cloudflare Workers, Node, Deno and Bun: {@link octoWebhooks} is a
 * middleware over `@octo-webhooks/core` whose `auth` resolver gets `c` (credentials from `c.env`);
 * {@link reconcileOnSchedule} runs a reconciler from a Workers Cron Trigger. Everything
 * `@octo-webhooks/core` exports is re-exported.
 *
 * @packageDocumentation
 */
import type { HeaderLookup, OctoRequest, OctoWebhooks } from "@octo-webhooks/core";
import {
  type AdapterOptions,
  adapterWebhooks,
  lingerBeforeClose,
  matchesPath,
  type NodeRequestLike,
  type RequestBody,
  supplierInPath,
} from "@octo-webhooks/core/adapter";
import type { Context, Env, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export * from "@octo-webhooks/core";
export {
  reconcileOnSchedule,
  type ScheduledControllerLike,
  type ScheduledJob,
} from "./reconcile-on-schedule.ts";

/**
 * Options of {@link octoWebhooks}: core's options, `path`, and optionally an existing receiver as `webhooks`.
 * `E` is the app's env (`{ Bindings: ... }`); left out, `c.env` is untyped, as in Hono's own `Context`.
 */
// biome-ignore lint/suspicious/noExplicitAny: Hono's own default for an unknown env, so `c.env.X` type-checks
export type OctoHonoOptions<E extends Env = any> = AdapterOptions<Context<E>>;

/** Node's request as core and {@link lingerBeforeClose} use it, duck-typed: this package imports nothing from Node. */
type NodeIncoming = NodeRequestLike & {
  readableDidRead?: unknown;
  [Symbol.asyncIterator]?: unknown;
  /** Node's `IncomingHttpHeaders`: lower-case names, arrays for repeated `set-cookie`. */
  headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  socket?: NodeRequestLike["socket"] & { remoteAddress?: string | undefined };
};

/** `c.env` where the runtime passes its own there: Bun's server (or `{ server }`), Deno's `ServeHandlerInfo`. */
type RuntimeEnv = {
  server?: unknown;
  requestIP?: unknown;
  remoteAddr?: { hostname?: unknown } | null;
};
type BunServer = { requestIP(request: Request): { address?: unknown } | null | undefined };

/** Cloudflare Workers says who it is here (the `global_navigator` flag, on since 2022); Node 20 has no `navigator`. */
const ON_WORKERS =
  (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent === "Cloudflare-Workers";

/**
 * The peer's address, as the runtime gives it: the Node request's socket on `@hono/node-server`; Bun's
 * `server.requestIP()`; Deno's `info.remoteAddr`; on Workers the `cf-connecting-ip` header (set by
 * Cloudflare, whatever the client sent). `undefined` elsewhere (`app.request`).
 */
function peerOf(c: Context, incoming: NodeIncoming | undefined): string | undefined {
  if (incoming !== undefined) return incoming.socket?.remoteAddress;
  if (ON_WORKERS) return c.req.raw.headers.get("cf-connecting-ip") ?? undefined;
  const env = c.env as RuntimeEnv | undefined;
  if (typeof env !== "object" || env === null) return undefined;
  const hostname = env.remoteAddr?.hostname;
  if (typeof hostname === "string") return hostname;
  const server = (typeof env.requestIP === "function" ? env : env.server) as Partial<BunServer> | undefined;
  if (typeof server?.requestIP !== "function") return undefined;
  const address = server.requestIP(c.req.raw)?.address;
  return typeof address === "string" ? address : undefined;
}

/**
 * The pattern the request's path matches, as the app routes it: `path` relative to the app's
 * `basePath()` (or the `app.route()` prefix) the middleware runs under, or `path` as the full path;
 * `undefined` when the request is not for `path`. Its `:supplier` segment names the supplier.
 */
function ours(c: Context, path: string): string | undefined {
  if (matchesPath(c.req.path, path)) return path;
  const request = c.req as unknown as { matchedRoutes?: { basePath?: unknown }[]; routeIndex?: number };
  const base = request.matchedRoutes?.[request.routeIndex ?? -1]?.basePath;
  if (typeof base !== "string" || base === "" || base === "/") return undefined;
  const prefixed = `${base.replace(/\/$/, "")}${path}`;
  return matchesPath(c.req.path, prefixed) ? prefixed : undefined;
}

/** On `@hono/node-server`, Node's request (`c.env.incoming`); elsewhere `undefined`. */
function nodeIncoming(c: Context): NodeIncoming | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  return typeof incoming === "object" && incoming !== null ? (incoming as NodeIncoming) : undefined;
}

/**
 * The body as Hono has it: the text or bytes a middleware before us already read (Hono caches them);
 * else, on `@hono/node-server`, the Node request itself while nothing has read it (core reads it about
 * three times faster than the Web stream node-server builds for `c.req.raw.body`, measured in bench/);
 * else the stream.
 */
async function bodyOf(c: Context, incoming: NodeIncoming | undefined): Promise<RequestBody> {
  const cache = c.req.bodyCache;
  if (cache.arrayBuffer) return new Uint8Array(await cache.arrayBuffer);
  if (cache.text) return cache.text;
  if (Object.keys(cache).length > 0) return c.req.text();
  if (typeof incoming?.[Symbol.asyncIterator] === "function" && incoming.readableDidRead === false) {
    return incoming as AsyncIterable<Uint8Array>;
  }
  if (c.req.raw.bodyUsed) {
    throw new Error(
      "[@octo-webhooks/hono] the request body was read from c.req.raw by a middleware before this one; read it with c.req.json() or c.req.text() (Hono caches those), or mount octoWebhooks() first",
    );
  }
  // the stream is made only once core reads it: @hono/node-server cannot drain a body whose stream was
  // made but not read (401, 405, 415...), and closes the connection under the client's next request
  const raw = c.req.raw;
  return { getReader: () => (raw.body ?? new Blob([]).stream()).getReader() } as ReadableStream<Uint8Array>;
}

/**
 * What core gets of a Hono request. A class, so that `waitUntil` is a getter on the prototype: an object
 * literal with a getter per request made every request's objects outlive the young generation on
 * @hono/node-server, which cost the adapter more than half its throughput (docs/benchmarks.md).
 */
class HonoOctoRequest implements OctoRequest {
  readonly method: string;
  readonly headers: HeaderLookup;
  constructor(
    private readonly c: Context,
    private readonly incoming: NodeIncoming | undefined,
    readonly body: RequestBody,
    readonly supplier: string | undefined,
  ) {
    this.method = c.req.method;
    // on @hono/node-server, Node's own header record: `c.req.raw.headers` would build a Web `Headers`
    // from it on first read, which cost more than everything core does (docs/benchmarks.md)
    this.headers = incoming?.headers ?? c.req.raw.headers;
  }
  /** Looked up when core reads it (`allowFrom`, `auth`), not for every request. */
  get remoteAddress(): string | undefined {
    return peerOf(this.c, this.incoming);
  }
  /** Read by core in ack-first mode only: `c.executionCtx` throws where there is none (Node). */
  get waitUntil(): ((promise: Promise<unknown>) => void) | undefined {
    try {
      const execution = this.c.executionCtx;
      return (promise: Promise<unknown>) => execution.waitUntil(promise);
    } catch {
      return undefined;
    }
  }
}

/**
 * A Hono middleware (or handler) that receives OCTO webhooks, on Node (`@hono/node-server`), Cloudflare
 * Workers, Deno and Bun. Mounted with `app.post(path, ...)` it answers what reaches it; with
 * `app.use(octoWebhooks({ path }))` it answers that path (wrong methods get 405) and passes the others to
 * `next()`. A per-request `auth` resolver gets Hono's `c`, so credentials can come from
 * `c.env` per request; on Workers, `c.executionCtx.waitUntil` is passed along. `allowFrom` (and
 * `verify`'s `remoteAddress`) sees the peer the runtime gives: the socket's on `@hono/node-server`,
 * `server.requestIP()` on Bun, `info.remoteAddr` on Deno, `cf-connecting-ip` on Workers; none through
 * `app.request` (then `allowFrom` refuses).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { octoWebhooks } from "@octo-webhooks/hono";
 *
 * const app = new Hono<{ Bindings: { OCTO_USER: string; OCTO_PASS: string } }>();
 * app.post("/webhooks/octo", octoWebhooks({
 *   auth: (c) => ({ basic: { username: c.env.OCTO_USER, password: c.env.OCTO_PASS } }),
 *   onBookingUpdate: async ({ booking }) => console.log(booking.uuid, booking.status),
 * }));
 * export default app;
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: see OctoHonoOptions
export function octoWebhooks<E extends Env = any>(
  options?: OctoHonoOptions<E>,
): MiddlewareHandler<E> & { readonly webhooks: OctoWebhooks<Context<E>> } {
  const { webhooks, path } = adapterWebhooks(options, "@octo-webhooks/hono");
  const middleware: MiddlewareHandler<E> = async (c, next) => {
    const pattern = path === undefined ? undefined : ours(c, path);
    if (path !== undefined && pattern === undefined) return next();
    const incoming = nodeIncoming(c);
    // the supplier a path names: `path`'s `:supplier` segment (under the app's base path), or the app's route parameter
    const supplier = pattern === undefined ? c.req.param("supplier") : supplierInPath(c.req.path, pattern);
    const request = new HonoOctoRequest(c, incoming, await bodyOf(c, incoming), supplier);
    const answer = await webhooks.handle(request, c);
    // on @hono/node-server, close the connection as the Node adapters do
    lingerBeforeClose(incoming, answer);
    return c.body(answer.body, answer.status as ContentfulStatusCode, answer.headers);
  };
  return Object.assign(middleware, { webhooks });
}
