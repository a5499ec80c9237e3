/**
 * Receive OCTO webhooks in Koa 2 and 3: {@link octoWebhooks} is one middleware over
 * `@octo-webhooks/core`, with `@koa/bodyparser`, `koa-body` or nothing in front. Everything
 * `@octo-webhooks/core` exports is re-exported.
 *
 * @packageDocumentation
 */
import type { OctoWebhooks } from "@octo-webhooks/core";
import {
  type AdapterOptions,
  adapterWebhooks,
  lingerBeforeClose,
  matchesPath,
  type RequestBody,
  supplierInPath,
} from "@octo-webhooks/core/adapter";
import type { Context, Middleware } from "koa";

export * from "@octo-webhooks/core";

/** Options of {@link octoWebhooks}: core's options, `path`, and optionally an existing receiver as `webhooks`. */
export type OctoKoaOptions = AdapterOptions<Context>;

/** The middleware, with the receiver it uses (`.webhooks`: `drain()` it on shutdown in ack-first mode). */
export type OctoKoaMiddleware = Middleware & { readonly webhooks: OctoWebhooks<Context> };

/** The supplier a path names: `path`'s `:supplier` segment, or a router's parameter (`ctx.params`). */
function supplierOf(ctx: Context, path: string | undefined): string | undefined {
  if (path !== undefined) return supplierInPath(ctx.url, path);
  const params = (ctx as { params?: Record<string, unknown> }).params;
  return typeof params?.supplier === "string" ? params.supplier : undefined;
}

/**
 * A Koa middleware that receives OCTO webhooks. With `path`, it answers that path (every method: wrong
 * ones get 405) and passes the others to `next()`; without, it answers every request that reaches it.
 * `@koa/bodyparser` or `koa-body` may run before it or not: the raw text is used when the parser kept
 * it, the parsed body otherwise, and the stream when nothing read it. A per-request `auth` resolver
 * gets Koa's `ctx`. `allowFrom` (and `verify`'s `remoteAddress`) sees the socket's peer,
 * `ctx.req.socket.remoteAddress`, not `ctx.ip`: behind a proxy, set core's `trustProxy`.
 *
 * @example
 * ```ts
 * import Koa from "koa";
 * import { octoWebhooks } from "@octo-webhooks/koa";
 *
 * const app = new Koa();
 * app.use(octoWebhooks({
 *   path: "/webhooks/octo",
 *   auth: { basic: { username: "octo", password: process.env.OCTO_HOOK_PASS! } },
 *   onBookingUpdate: async ({ booking }) => console.log(booking.uuid, booking.status),
 * }));
 * ```
 */
export function octoWebhooks(options?: OctoKoaOptions): OctoKoaMiddleware {
  const { webhooks, path } = adapterWebhooks(options, "@octo-webhooks/koa");
  const middleware: Middleware = async (ctx, next) => {
    if (path !== undefined && !matchesPath(ctx.url, path)) return next();
    // a body parser that read the stream left the text (`rawBody`) and the parsed value; one that
    // skipped this content type left the stream unread, and then it is ours to read
    const request = ctx.request as typeof ctx.request & { body?: unknown; rawBody?: unknown };
    let body: unknown = ctx.req;
    if (ctx.req.readableEnded) {
      body = typeof request.rawBody === "string" ? request.rawBody : request.body;
      if (body === undefined) {
        throw new Error(
          "[@octo-webhooks/koa] the request body was read by a middleware that did not set ctx.request.body; mount octoWebhooks() before it",
        );
      }
    }
    const answer = await webhooks.handle(
      {
        method: ctx.method,
        headers: ctx.headers,
        body: body as RequestBody,
        supplier: supplierOf(ctx, path),
        // the socket's peer, not `ctx.ip`: X-Forwarded-For counts by core's `trustProxy`, not `app.proxy`
        remoteAddress: ctx.req.socket.remoteAddress,
      },
      ctx,
    );
    lingerBeforeClose(ctx.req, answer);
    ctx.status = answer.status;
    ctx.set(answer.headers);
    ctx.body = answer.body;
  };
  return Object.assign(middleware, { webhooks });
}
