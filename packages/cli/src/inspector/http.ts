import type { IncomingMessage, ServerResponse } from "node:http";

// Small HTTP helpers of the inspector's server: JSON answers and bodies, and the checks that keep other
// web pages (and DNS rebinding) away from its API.

const MAX_BODY_BYTES = 256 * 1024;

/** An answer the API routes throw: `status` and `{ error }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** Sends `value` as JSON, never cached. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res
    .writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" })
    .end(JSON.stringify(value));
}

/** The JSON body of a POST (`{}` when empty); a 415 unless it says it is JSON, a 400 when it is not. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
    req.resume();
    throw new HttpError(415, "send Content-Type: application/json");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body must be under ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new HttpError(400, "the body is not valid JSON");
  }
}

const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/**
 * Whether a request to the page or the API may be answered: on a loopback bind, only with a loopback
 * `Host` (a rebound DNS name is refused); a request that changes something only from the page's own
 * origin.
 */
export function allowed(req: IncomingMessage, host: string): boolean {
  const hostHeader = req.headers.host ?? "";
  if (LOOPBACK_NAMES.has(host)) {
    const name = hostHeader.replace(/:\d+$/, "");
    if (!LOOPBACK_NAMES.has(name)) return false;
  }
  if (req.method === "GET" || req.method === "HEAD") return true;
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${hostHeader}`;
}
