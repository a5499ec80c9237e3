// The plain request and answer every adapter translates to and from, and what `receive()` takes and gives.
import type { HeaderLookup } from "./headers.ts";
import type { RequestBody } from "./read-body.ts";

/** A plain description of an HTTP request, as every adapter can build it. */
export interface OctoRequest {
  /** The HTTP method; anything but POST gets 405. */
  method: string;
  /** The request headers, in any of the shapes of {@link HeaderLookup}. */
  headers?: HeaderLookup;
  /** The body: raw (text, bytes, a stream, a Node request) or already parsed by a body parser. */
  body?: RequestBody;
  /**
   * The platform's way to keep work alive after the answer is sent (`ctx.waitUntil` on Workers).
   * Adapters pass it when the platform has one; ack-first mode uses it.
   */
  waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
  /**
   * The supplier id the request's path names (the `:supplier` segment of `/webhooks/octo/:supplier`);
   * with `suppliers`, only that supplier's credentials pass. Adapters fill it in.
   */
  supplier?: string | undefined;
}

/** A plain description of the answer: write it back as is. */
export interface OctoResponse {
  /** The HTTP status, from `STATUS_BY_CODE`. */
  status: number;
  /** Headers to send: `content-type`, and `www-authenticate`, `allow`, `retry-after` or `connection` when due. */
  headers: Record<string, string>;
  /** A JSON body: `{"ok":true}`, or `{"ok":false,"error":{"code","message","issues"?}}`. */
  body: string;
}

/** What `receive()` resolved. */
export interface ReceiveResult {
  /** The event the body was dispatched as. */
  event: string;
  /** How many handlers ran (0 for a skipped delivery). */
  handlers: number;
  /**
   * Why no handler ran: a duplicate (`dedupe`), an out-of-order update (`staleGuard`), or a notification
   * whose resource the hydrator did not find (`notFound`: its `onNotification` handlers may have run).
   */
  skipped?: "duplicate" | "stale" | "notFound";
}

/** Options of `receive()`: what a handler's context should carry when the body did not come over HTTP here. */
export interface ReceiveOptions {
  /** The headers handlers see in `context.headers`. */
  headers?: HeaderLookup;
  /**
   * The body's text as it was received, when `body` is given parsed: this text is what gets parsed and
   * validated then (the parsed `body` is not used), and handlers see it in `context.rawBody`. Ignored
   * when `body` is itself a string.
   */
  rawBody?: string;
  /** The delivery's key, when the caller already has it (a queue that used it as a job id). */
  deliveryKey?: string;
  /**
   * The supplier this body came from, as `handle()` identified it (a queue passes it on): handlers see
   * it as `context.supplier`, and `dedupe`/`staleGuard` keep its keys apart from other suppliers'.
   */
  supplier?: string;
}

/** The platform's execution context, as Workers pass it to `fetch` third. */
export interface ExecutionContextLike {
  /** Keeps the worker alive until `promise` settles. */
  waitUntil(promise: Promise<unknown>): void;
}
