export const PACKAGE_PREFIX = "[@octo-webhooks/client]";

/** Codes of the errors that do not come from an OCTO error body. */
export type OctoClientErrorCode =
  | "CONFIG_INVALID"
  | "NETWORK_ERROR"
  | "TIMEOUT"
  | "ABORTED"
  | "INVALID_RESPONSE"
  | "RESPONSE_TOO_LARGE";

/**
 * Base class of every error this package throws. `code` is stable; `message` starts with the package
 * name, names the request (its URL redacted) and says what to do. Messages never contain the API key
 * or URL credentials.
 *
 * @example
 * ```ts
 * try { await client.webhooks.list(); } catch (e) { if (e instanceof OctoClientError) console.error(e.code, e.message); }
 * ```
 */
export class OctoClientError extends Error {
  /** An {@link OctoClientErrorCode}, or the supplier's OCTO error code for an {@link OctoApiError}. */
  readonly code: string;
  /** The HTTP method of the failed request, when there was one. */
  readonly method: string | undefined;
  /** The URL of the failed request, credentials and query redacted. */
  readonly url: string | undefined;
  /** How many times the request was sent. */
  readonly attempts: number;
  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; method?: string; url?: string; attempts?: number } = {},
  ) {
    super(`${PACKAGE_PREFIX} ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OctoClientError";
    this.code = code;
    this.method = options.method;
    this.url = options.url;
    this.attempts = options.attempts ?? 0;
  }
}

/**
 * The supplier answered with an error status. `code` is the OCTO `error` field (`"UNAUTHORIZED"`,
 * `"BAD_REQUEST"`...) or, for a body that is not an OCTO error, a code derived from the status
 * (`"SERVICE_UNAVAILABLE"`). `extra` holds the other fields of the OCTO error body. A redirect (3xx) is
 * never followed: it is an `OctoApiError` with code `"REDIRECT_REFUSED"`.
 *
 * @example
 * ```ts
 * try { await client.webhooks.delete(id); } catch (e) {
 *   if (e instanceof OctoApiError && e.status === 404) console.log("already gone", e.extra);
 * }
 * ```
 */
export class OctoApiError extends OctoClientError {
  readonly status: number;
  /** The supplier's `errorMessage` (secrets redacted), or a short excerpt of a non-OCTO body. */
  readonly errorMessage: string;
  /** Fields of the OCTO error body other than `error` and `errorMessage` (`{ webhookId: "..." }`). */
  readonly extra: Readonly<Record<string, unknown>>;
  /** The wait the supplier asked for in `Retry-After`, in ms, when it sent one. */
  readonly retryAfterMs: number | undefined;
  constructor(
    status: number,
    code: string,
    errorMessage: string,
    options: {
      extra?: Record<string, unknown>;
      method: string;
      url: string;
      attempts: number;
      retryAfterMs?: number | undefined;
    },
  ) {
    super(code, `${options.method} ${options.url} answered ${status} ${code}: ${errorMessage}`, options);
    this.name = "OctoApiError";
    this.status = status;
    this.errorMessage = errorMessage;
    this.extra = options.extra ?? {};
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Throws a `CONFIG_INVALID` error: a mistake in what the caller passed, found before any request. */
export function configError(message: string): never {
  throw new OctoClientError("CONFIG_INVALID", message);
}

/** Throws an `INVALID_RESPONSE` error: the supplier's answer to `what` is not `expected`. */
export function invalidResponse(what: string, expected: string): never {
  throw new OctoClientError(
    "INVALID_RESPONSE",
    `${what} answered something that is not ${expected}; is \`baseUrl\` the supplier's OCTO endpoint?`,
  );
}

const CODES_BY_STATUS: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  409: "CONFLICT",
  422: "UNPROCESSABLE_ENTITY",
  429: "TOO_MANY_REQUESTS",
  500: "INTERNAL_SERVER_ERROR",
  501: "NOT_IMPLEMENTED",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
};

/** The OCTO-style code for a status, for error bodies that carry none. */
export function codeForStatus(status: number): string {
  return CODES_BY_STATUS[status] ?? `HTTP_${status}`;
}
