import {
  isNonRetryableError,
  type OctoErrorCode,
  OctoHandlerError,
  OctoRequestError,
  OctoWebhooksError,
  PACKAGE_PREFIX,
  refusalStatus,
} from "./errors.ts";
import type { OctoResponse } from "./receiver-types.ts";

/**
 * The one table of HTTP statuses. Every answer `handle()` gives is built in this file, from this
 * table (the 200s included: `answers` below).
 *
 * | situation                                    | status |
 * |----------------------------------------------|--------|
 * | handled (every handler resolved)             | 200    |
 * | unknown event, accepted (default)            | 200    |
 * | empty, malformed, non-UTF-8 or invalid body  | 400    |
 * | missing or wrong credentials                 | 401 + `WWW-Authenticate` |
 * | method other than POST                       | 405 + `Allow: POST` |
 * | body slower than `bodyTimeoutMs`             | 408    |
 * | body over `maxBodyBytes`                     | 413    |
 * | content type other than JSON                 | 415    |
 * | unknown event with `unknownEvents: "reject"` | 422    |
 * | a duplicate of a delivery already processed  | 200 `{"ok":true,"duplicate":true}` (dedupe) |
 * | an update older than one already processed   | 200 `{"ok":true,"stale":true}` (staleGuard) |
 * | a duplicate of a delivery still in progress  | 409 + `Retry-After` (dedupe) |
 * | the ack-first queue is full                  | 503 + `Retry-After` |
 * | the delivery store failed                    | 503 + `Retry-After` |
 * | a notification's hydrator rejected or timed out | 503 + `Retry-After` (`hydrate`) |
 * | a notification's resource does not exist (hydrator: `null`) | 200 `{"ok":true,"notFound":true}` (`onError` sees `RESOURCE_NOT_FOUND`) |
 * | handlers threw `STORE_UNAVAILABLE`/`OVERLOADED` | 503 + `Retry-After` (a queue hand-off) |
 * | a handler threw `NonRetryableError`          | its 4xx (422 by default) |
 * | a handler threw anything else                | 500 (message not sent) |
 * | `auth` resolved to nothing usable            | 500 (message not sent) |
 *
 * @example
 * ```ts
 * webhooks.onError((error) => metrics.count("octo.refused", { status: STATUS_BY_CODE[error.code] }));
 * STATUS_BY_CODE.PAYLOAD_TOO_LARGE; // 413
 * ```
 */
export const STATUS_BY_CODE = {
  CONFIG_INVALID: 500,
  METHOD_NOT_ALLOWED: 405,
  UNAUTHORIZED: 401,
  AUTH_MISCONFIGURED: 500,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  BODY_TIMEOUT: 408,
  EMPTY_BODY: 400,
  INVALID_ENCODING: 400,
  MALFORMED_JSON: 400,
  INVALID_BODY: 400,
  UNKNOWN_EVENT: 422,
  HANDLER_FAILED: 500,
  NON_RETRYABLE: 422,
  DELIVERY_IN_PROGRESS: 409,
  OVERLOADED: 503,
  STORE_UNAVAILABLE: 503,
  HYDRATION_FAILED: 503,
  // final, not a refusal: the supplier must not retry a notification of a resource it does not have
  RESOURCE_NOT_FOUND: 200,
} as const satisfies Record<OctoErrorCode, number>;

/** Codes whose message is ours and safe to send back; the others get a generic message. */
export const PUBLIC_MESSAGE_CODES: ReadonlySet<OctoErrorCode> = new Set([
  "METHOD_NOT_ALLOWED",
  "UNAUTHORIZED",
  "UNSUPPORTED_MEDIA_TYPE",
  "PAYLOAD_TOO_LARGE",
  "BODY_TIMEOUT",
  "EMPTY_BODY",
  "INVALID_ENCODING",
  "MALFORMED_JSON",
  "INVALID_BODY",
  "UNKNOWN_EVENT",
  "NON_RETRYABLE",
  "DELIVERY_IN_PROGRESS",
  "OVERLOADED",
  "HYDRATION_FAILED",
]);

const RETRY_AFTER_SECONDS = "5";
const JSON_TYPE = "application/json; charset=utf-8";
/**
 * The 200s' one header. They answer POSTs only, and a cache never stores a POST's answer that carries no
 * explicit freshness (RFC 9111 section 3, RFC 9110 section 9.3.3), so `cache-control: no-store` said
 * nothing there; with one header, Hono writes the answer without building a `Headers` (docs/benchmarks.md).
 */
const OK_HEADERS = { "content-type": JSON_TYPE };
/** Refusals also answer other methods (405 is cacheable by default, RFC 9110 section 15.5.6): never stored. */
const ERROR_HEADERS = { "content-type": JSON_TYPE, "cache-control": "no-store" };

/** The 200s: a delivery handled (or accepted for ack-first), a duplicate, a stale update, a notification of a missing resource. */
export const answers = {
  ok: { status: 200, headers: OK_HEADERS, body: '{"ok":true}' },
  duplicate: { status: 200, headers: OK_HEADERS, body: '{"ok":true,"duplicate":true}' },
  stale: { status: 200, headers: OK_HEADERS, body: '{"ok":true,"stale":true}' },
  notFound: { status: 200, headers: OK_HEADERS, body: '{"ok":true,"notFound":true}' },
} as const satisfies Record<string, OctoResponse>;

/** A handler error that means "unavailable now, retry later" (`STORE_UNAVAILABLE`, `OVERLOADED`): 503. */
const isUnavailable = (error: unknown): error is OctoWebhooksError =>
  error instanceof OctoWebhooksError && STATUS_BY_CODE[error.code] === 503;

/**
 * The answer to a refused or failed delivery. `challenge` is the `WWW-Authenticate` value of a 401.
 * A message is sent only for codes in `PUBLIC_MESSAGE_CODES` and for a handler's `NonRetryableError`.
 */
export function errorAnswer(error: unknown, challenge: string): OctoResponse {
  let status = 500;
  let code = "INTERNAL_ERROR";
  let message = `${PACKAGE_PREFIX} the delivery could not be processed; retry later`;
  let issues: readonly unknown[] | undefined;
  if (error instanceof OctoHandlerError) {
    code = error.code;
    const [first] = error.errors;
    if (isNonRetryableError(first) && error.errors.every(isNonRetryableError)) {
      status = refusalStatus(first);
      code = "NON_RETRYABLE";
      message = String(first.message);
    } else if (isUnavailable(first) && error.errors.every(isUnavailable)) {
      // a handler that hands the delivery on (a queue) and found its backend down: the sender retries later
      status = 503;
      code = first.code;
    }
  } else if (error instanceof OctoWebhooksError) {
    status = STATUS_BY_CODE[error.code] ?? 500;
    code = error.code;
    if (PUBLIC_MESSAGE_CODES.has(error.code)) message = error.message;
    if (error instanceof OctoRequestError && error.issues.length > 0) issues = error.issues;
  }
  const headers: Record<string, string> = { ...ERROR_HEADERS };
  if (status === 401) headers["www-authenticate"] = challenge;
  if (status === 405) headers.allow = "POST";
  if (status === 413 || status === 408) headers.connection = "close";
  if (status === 409 || status === 503) headers["retry-after"] = RETRY_AFTER_SECONDS;
  return {
    status,
    headers,
    body: JSON.stringify({ ok: false, error: issues ? { code, message, issues } : { code, message } }),
  };
}
