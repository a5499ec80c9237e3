/**
 * Receive OCTO webhooks in Fastify 5: {@link octoWebhooks} is an encapsulated plugin over
 * `@octo-webhooks/core` with its own body handling. Everything `@octo-webhooks/core` exports
 * is re-exported.
 *
 * @packageDocumentation
 */
import {
  type AdapterOptions,
  adapterWebhooks,
  lingerBeforeClose,
  type RequestBody,
} from "@octo-webhooks/core/adapter";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, RouteHandlerMethod } from "fastify";

export * from "@octo-webhooks/core";

/** Options of {@link octoWebhooks}: core's options, the route's `path`, and optionally an existing receiver as `webhooks`. */
export type OctoFastifyOptions = AdapterOptions<FastifyRequest> & { path: string };

const PACKAGE = "@octo-webhooks/fastify";

/**
 * A Fastify plugin that receives OCTO webhooks on `path` (under the `prefix` it is registered with; a
 * trailing slash is tolerated; wrong methods get 405). It is encapsulated on purpose: it brings its own
 * body handling in its own scope, so the app's content-type parsers cannot change what it reads and it
 * changes nothing for the app's other routes. A per-request `auth` resolver gets the
 * `FastifyRequest`. `allowFrom` (and `verify`'s `remoteAddress`) sees the socket's peer,
 * `request.raw.socket.remoteAddress`, not `request.ip`: behind a proxy, set core's `trustProxy`.
 *
 * @example
 * ```ts
 * import Fastify from "fastify";
 * import { octoWebhooks } from "@octo-webhooks/fastify";
 *
 * const app = Fastify();
 * app.register(octoWebhooks, {
 *   path: "/webhooks/octo",
 *   auth: { basic: { username: "octo", password: process.env.OCTO_HOOK_PASS! } },
 *   onBookingUpdate: async ({ booking }) => console.log(booking.uuid, booking.status),
 * });
 * ```
 */
export const octoWebhooks: FastifyPluginAsync<OctoFastifyOptions> = async (fastify, options) => {
  // what Fastify's `register` takes for itself is not ours
  const { prefix, logLevel, logSerializers, ...ours } = options as OctoFastifyOptions &
    Record<string, unknown>;
  const { webhooks, path } = adapterWebhooks(ours, PACKAGE);
  if (path === undefined) {
    throw new Error(`[${PACKAGE}] give the route's \`path\`, for example { path: "/webhooks/octo" }`);
  }

  // `app.close()` waits for the handlers ack-first mode still runs
  fastify.addHook("onClose", () => webhooks.drain());

  // the raw stream is the body: core reads it, with its size limit and its content-type decision
  fastify.removeAllContentTypeParsers();
  const rawBody = (
    _request: FastifyRequest,
    payload: unknown,
    parsed: (error: null, body: unknown) => void,
  ) => parsed(null, payload);
  // JSON by name too: Fastify caches the parser of a named type, while its catch-all is looked up
  // again, the Content-Type parsed anew, on every request
  fastify.addContentTypeParser("application/json", rawBody);
  fastify.addContentTypeParser("*", rawBody);

  const respond = async (request: FastifyRequest, reply: FastifyReply, body: RequestBody) => {
    // the supplier a path names: Fastify's own `:supplier` route parameter
    const params = request.params as Record<string, unknown> | undefined;
    const supplier = typeof params?.supplier === "string" ? params.supplier : undefined;
    // the socket's peer, not `request.ip`: X-Forwarded-For counts by core's `trustProxy`, not the app's setting
    const remoteAddress = request.raw.socket.remoteAddress;
    const answer = await webhooks.handle(
      { method: request.method, headers: request.headers, body, supplier, remoteAddress },
      request,
    );
    lingerBeforeClose(request.raw, answer);
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  };
  const handler: RouteHandlerMethod = (request, reply) =>
    respond(request, reply, request.body as RequestBody);
  // Fastify answers a Content-Type it cannot parse ("a, b", ";;;") with its own 415 before any parser
  // runs; the decision (401 first, onError, our message) is core's, so the unread request goes to core
  fastify.setErrorHandler((error, request, reply) => {
    if ((error as { code?: unknown }).code !== "FST_ERR_CTP_INVALID_MEDIA_TYPE") throw error;
    return respond(request, reply, request.raw);
  });
  const bare = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  fastify.all(bare, handler);
  if (bare !== "/") {
    try {
      fastify.all(`${bare}/`, handler);
    } catch (error) {
      // the app already ignores trailing slashes
      if ((error as { code?: unknown }).code !== "FST_ERR_DUPLICATED_ROUTE") throw error;
    }
  }
};
