// Every answer `handle()` gives: the 200s, and the answer to a refusal or a failure, from the status table.
import { PACKAGE_PREFIX, PUBLIC_MESSAGE_CODES, STATUS_BY_CODE } from "../errors/codes.ts";
import {
  isNonRetryableError,
  OctoHandlerError,
  OctoRequestError,
  OctoWebhooksError,
  refusalStatus,
} from "../errors/errors.ts";
import type { OctoResponse } from "../receiver/types.ts";

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
  unchanged: { status: 200, headers: OK_HEADERS, body: '{"ok":true,"unchanged":true}' },
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
