// The error codes, the HTTP status of each and the package prefix of every message: a leaf that imports
// nothing, so that the error classes and the answers both read it without importing each other.

/** Stable error codes; `STATUS_BY_CODE` below maps each to its HTTP status. */
export type OctoErrorCode =
  | "CONFIG_INVALID"
  | "METHOD_NOT_ALLOWED"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "AUTH_MISCONFIGURED"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "PAYLOAD_TOO_LARGE"
  | "BODY_TIMEOUT"
  | "EMPTY_BODY"
  | "INVALID_ENCODING"
  | "MALFORMED_JSON"
  | "INVALID_BODY"
  | "UNKNOWN_EVENT"
  | "HANDLER_FAILED"
  | "NON_RETRYABLE"
  | "DELIVERY_IN_PROGRESS"
  | "OVERLOADED"
  | "STORE_UNAVAILABLE"
  | "HYDRATION_FAILED"
  | "RESOURCE_TOO_LARGE"
  | "RESOURCE_NOT_FOUND";

export const PACKAGE_PREFIX = "[@octo-webhooks/core]";

/** The longest part of a sender's string (an event name comes from the body) a message or a span shows. */
export const SHOWN_LENGTH = 100;

/** `text` as a message shows it: cut to `SHOWN_LENGTH` characters, so that a body cannot make it long. */
export const shown = (text: string): string =>
  text.length <= SHOWN_LENGTH ? text : `${text.slice(0, SHOWN_LENGTH)}...`;

/**
 * The one table of HTTP statuses. Every answer `handle()` gives is built from it
 * (`http/answers.ts`, the 200s included).
 *
 * | situation                                    | status |
 * |----------------------------------------------|--------|
 * | handled (every handler resolved)             | 200    |
 * | unknown event, accepted (default)            | 200    |
 * | empty, malformed, non-UTF-8 or invalid body  | 400    |
 * | missing or wrong credentials                 | 401 + `WWW-Authenticate` |
 * | an address outside `allowFrom`               | 403    |
 * | method other than POST                       | 405 + `Allow: POST` |
 * | body slower than `bodyTimeoutMs`             | 408    |
 * | body over `maxBodyBytes`                     | 413    |
 * | content type other than JSON                 | 415    |
 * | unknown event with `unknownEvents: "reject"` | 422    |
 * | a duplicate of a delivery already processed  | 200 `{"ok":true,"duplicate":true}` (dedupe) |
 * | an update older than one already processed   | 200 `{"ok":true,"stale":true}` (staleGuard) |
 * | the same update as the one last applied      | 200 `{"ok":true,"unchanged":true}` (staleGuard) |
 * | a duplicate of a delivery still in progress  | 409 + `Retry-After` (dedupe) |
 * | the ack-first queue is full                  | 503 + `Retry-After` |
 * | the delivery store failed                    | 503 + `Retry-After` |
 * | a notification's hydrator rejected or timed out | 503 + `Retry-After` (`hydrate`) |
 * | a notification's resource fans out past 5,000 slots | 422 (`hydrate`) |
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
  FORBIDDEN: 403,
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
  // final: a notification whose resource fans out past what one delivery may run (MAX_SLOTS)
  RESOURCE_TOO_LARGE: 422,
  // final, not a refusal: the supplier must not retry a notification of a resource it does not have
  RESOURCE_NOT_FOUND: 200,
} as const satisfies Record<OctoErrorCode, number>;

/** Codes whose message is ours and safe to send back; the others get a generic message. */
export const PUBLIC_MESSAGE_CODES: ReadonlySet<OctoErrorCode> = new Set([
  "METHOD_NOT_ALLOWED",
  "UNAUTHORIZED",
  "FORBIDDEN",
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
  "RESOURCE_TOO_LARGE",
]);
