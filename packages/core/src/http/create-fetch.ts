// `fetch()`: a Web Request to `handle()` and its answer back to a Response; with the `path` option it
// routes (404 elsewhere) and reads the supplier from a `:supplier` segment, as the adapters do.

import type { ExecutionContextLike, OctoRequest, OctoResponse } from "../receiver/types.ts";
import { matchesPath, supplierInPath } from "./match-path.ts";

/** `fetch()`'s answer to a path other than its `path` option (Web runtimes route by URL; adapters call `next()`). */
const notFound = (): Response =>
  new Response(
    '{"ok":false,"error":{"code":"NOT_FOUND","message":"[@octo-webhooks/core] no OCTO webhook receiver at this path"}}',
    {
      status: 404,
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    },
  );

/**
 * The client address a Web runtime gives beside the request, read only when asked for: Bun passes its
 * server second (`requestIP(request)`), Deno its connection info (`remoteAddr`), Cloudflare Workers
 * set `cf-connecting-ip` (trusted there only).
 */
function peerOf(request: Request, context: unknown): string | undefined {
  const given = context as {
    requestIP?: (request: Request) => { address?: string } | null;
    remoteAddr?: { hostname?: string };
  } | null;
  if (typeof given?.requestIP === "function") return given.requestIP(request)?.address ?? undefined;
  if (typeof given?.remoteAddr?.hostname === "string") return given.remoteAddr.hostname;
  if ((globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === "Cloudflare-Workers") {
    return request.headers.get("cf-connecting-ip") ?? undefined;
  }
  return undefined;
}

/** The receiver's `fetch()` over its `handle()`. */
export function createFetch<TContext>(
  handle: (request: OctoRequest, context?: TContext) => Promise<OctoResponse>,
  path: string | undefined,
) {
  return async (request: Request, context?: TContext, executionContext?: ExecutionContextLike) => {
    if (path !== undefined && !matchesPath(request.url, path)) return notFound();
    const octoRequest: OctoRequest = {
      method: request.method,
      headers: request.headers,
      body: request.body,
      supplier: path === undefined ? undefined : supplierInPath(request.url, path),
      get remoteAddress() {
        return peerOf(request, context);
      },
    };
    if (typeof executionContext?.waitUntil === "function") {
      octoRequest.waitUntil = (promise) => executionContext.waitUntil(promise);
    }
    const response = await handle(octoRequest, context);
    return new Response(response.body, { status: response.status, headers: response.headers });
  };
}
