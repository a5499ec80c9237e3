/**
 * Receive OCTO webhooks in Express 4 and 5: {@link octoWebhooks} is one middleware over
 * `@octo-webhooks/core`, with or without `express.json()` in front. Everything `@octo-webhooks/core`
 * exports is re-exported.
 *
 * @packageDocumentation
 */
import type { OctoWebhooks } from "@octo-webhooks/core";
import {
  type AdapterOptions,
  adapterWebhooks,
  lingerBeforeClose,
  matchesPath,
  supplierInPath,
} from "@octo-webhooks/core/adapter";
import type { NextFunction, Request, RequestHandler, Response } from "express";

export * from "@octo-webhooks/core";

/** Options of {@link octoWebhooks}: core's options, `path`, and optionally an existing receiver as `webhooks`. */
export type OctoExpressOptions = AdapterOptions<Request>;

/** The middleware, with the receiver it uses (`.webhooks`: `drain()` it on shutdown in ack-first mode). */
export type OctoExpressMiddleware = RequestHandler & { readonly webhooks: OctoWebhooks<Request> };

/**
 * An Express middleware that receives OCTO webhooks. Mounted app-wide with `path`, it answers that path
 * (every method: wrong ones get 405) and passes the others to `next()`; mounted on a route, it answers
 * whatever reaches it. `express.json()`, `express.text()` or `express.raw()` may run before it or not.
 * A per-request `auth` resolver gets Express's `req`. `allowFrom` (and `verify`'s `remoteAddress`) sees the
 * socket's peer, `req.socket.remoteAddress`, not `req.ip`: behind a proxy, set core's `trustProxy`.
 *
 * @example
 * ```ts
 * import express from "express";
 * import { octoWebhooks } from "@octo-webhooks/express";
 *
 * const app = express();
 * app.use(octoWebhooks({
 *   path: "/webhooks/octo",
 *   auth: { basic: { username: "octo", password: process.env.OCTO_HOOK_PASS! } },
 *   onBookingUpdate: async ({ booking }) => console.log(booking.uuid, booking.status),
 * }));
 * ```
 */
export function octoWebhooks(options?: OctoExpressOptions): OctoExpressMiddleware {
  const { webhooks, path } = adapterWebhooks(options, "@octo-webhooks/express");
  const middleware = (req: Request, res: Response, next: NextFunction) => {
    if (path !== undefined && !matchesPath(req.url, path)) return next();
    // A body parser that read the stream left its result in `req.body` (an object, a string or a
    // Buffer); one that skipped this content type left the stream unread, and then it is ours to read.
    if (req.readableEnded && req.body === undefined) {
      return next(
        new Error(
          "[@octo-webhooks/express] the request body was read by a middleware that did not set req.body; mount octoWebhooks() before it",
        ),
      );
    }
    const body = req.readableEnded ? req.body : req;
    // the supplier a path names: `path`'s `:supplier` segment, or the app's route parameter
    const param: unknown = req.params?.supplier;
    const supplier =
      path === undefined ? (typeof param === "string" ? param : undefined) : supplierInPath(req.url, path);
    // the socket's peer, not `req.ip`: X-Forwarded-For counts by core's `trustProxy`, not the app's setting
    const remoteAddress = req.socket.remoteAddress;
    const request = { method: req.method, headers: req.headers, body, supplier, remoteAddress };
    webhooks.handle(request, req).then((answer) => {
      lingerBeforeClose(req, answer);
      res.writeHead(answer.status, answer.headers).end(answer.body);
    }, next);
  };
  return Object.assign(middleware, { webhooks });
}
