import { codeForStatus, OctoApiError, OctoClientError, PACKAGE_PREFIX } from "./errors.ts";
import { redactUrl } from "./redact-url.ts";

/** How failed requests are retried: network errors, timeouts and 5xx answers; never 4xx. */
export interface RetryOptions {
  /** Retries after the first attempt (default 2). `0` disables retrying. */
  limit?: number;
  /** The first backoff, in ms (default 250); each retry doubles it, with jitter. */
  minDelayMs?: number;
  /**
   * The longest wait, in ms (default 10 000). A `Retry-After` asking for longer ends the retries: the
   * error is thrown with `retryAfterMs` set.
   */
  maxDelayMs?: number;
}

/** Where the client reports retries. Lines never contain the API key or URL credentials. */
export interface ClientLogger {
  /** Each answer: method, redacted URL, status. */
  debug?(message: string): void;
  /** Each retry, with why and when. */
  warn?(message: string): void;
}

export interface HttpSettings {
  baseUrl: URL;
  headers: Record<string, string>;
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  timeoutMs: number;
  retry: Required<RetryOptions>;
  logger: ClientLogger;
  /** Replaces secrets in text the supplier sent back (some servers echo request headers). */
  scrub: (text: string) => string;
}

export interface HttpResult {
  status: number;
  /** The parsed JSON body, or `undefined` for an empty one. */
  body: unknown;
}

const MAX_EXCERPT = 120;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_EXCERPT ? `${flat.slice(0, MAX_EXCERPT)}...` : flat;
}

/** `Retry-After` as ms: delay-seconds or an HTTP date. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function backoff(retry: Required<RetryOptions>, attempt: number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** (attempt - 1));
  // "equal jitter": never less than half the backoff, so retries do not collapse to zero
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** Scrubs every string inside an OCTO error's extra fields (they end up in logs with the error). */
function scrubDeep(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === "string") return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, scrub));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, scrub)]));
  }
  return value;
}

function apiError(
  settings: HttpSettings,
  response: Response,
  text: string,
  where: { method: string; url: string; attempts: number },
): OctoApiError {
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
    const { error, errorMessage, message, ...extra } = parsed as Record<string, unknown>;
    const detail =
      typeof errorMessage === "string" ? errorMessage : typeof message === "string" ? message : "";
    const code = typeof error === "string" && error !== "" ? error : codeForStatus(response.status);
    if (typeof message === "string" && typeof errorMessage === "string") extra.message = message;
    return new OctoApiError(
      response.status,
      settings.scrub(code),
      settings.scrub(detail || "(no errorMessage)"),
      {
        ...where,
        extra: scrubDeep(extra, settings.scrub) as Record<string, unknown>,
        retryAfterMs,
      },
    );
  }
  const type = response.headers.get("content-type")?.split(";")[0] ?? "no content type";
  const detail =
    text === ""
      ? `an empty body (${response.statusText || "no status text"})`
      : `a body that is not an OCTO error (${type}): ${settings.scrub(excerpt(text))}`;
  return new OctoApiError(response.status, codeForStatus(response.status), detail, {
    ...where,
    retryAfterMs,
  });
}

/**
 * Sends one management request, retrying network errors, timeouts and 5xx answers with exponential
 * backoff and jitter (honouring `Retry-After`); 4xx answers are thrown at once as {@link OctoApiError}.
 */
export async function send(
  settings: HttpSettings,
  method: string,
  path: string,
  body: unknown,
  signal: AbortSignal | undefined,
): Promise<HttpResult> {
  const url = new URL(path, settings.baseUrl).href;
  const shown = redactUrl(url);
  const headers: Record<string, string> = { ...settings.headers };
  if (body !== undefined) headers["content-type"] = "application/json";
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const { retry, logger } = settings;

  for (let attempt = 1; ; attempt++) {
    const where = { method, url: shown, attempts: attempt };
    const outcome = await attemptOnce(
      settings,
      { url, init: { method, headers, body: payload }, where },
      signal,
    );
    if (!(outcome instanceof OctoClientError)) {
      logger.debug?.(`${PACKAGE_PREFIX} ${method} ${shown} answered ${outcome.status}`);
      return outcome;
    }
    if (attempt > retry.limit) throw outcome;
    const asked = outcome instanceof OctoApiError ? outcome.retryAfterMs : undefined;
    if (asked !== undefined && asked > retry.maxDelayMs) {
      logger.warn?.(
        `${PACKAGE_PREFIX} ${method} ${shown}: Retry-After asks for ${asked} ms, more than maxDelayMs (${retry.maxDelayMs}); not retrying`,
      );
      throw outcome;
    }
    const delay = asked ?? backoff(retry, attempt);
    logger.warn?.(`${outcome.message} (retry ${attempt}/${retry.limit} in ${delay} ms)`);
    try {
      await sleep(delay, signal);
    } catch (reason) {
      throw new OctoClientError("ABORTED", `${method} ${shown} was aborted`, { ...where, cause: reason });
    }
  }
}

/** One attempt: the result, a retryable error (returned), or a final error (thrown). */
async function attemptOnce(
  settings: HttpSettings,
  request: {
    url: string;
    init: { method: string; headers: Record<string, string>; body: string | undefined };
    where: { method: string; url: string; attempts: number };
  },
  signal: AbortSignal | undefined,
): Promise<HttpResult | OctoClientError> {
  const { where } = request;
  const { method, url: shown } = where;
  if (signal?.aborted) throw new OctoClientError("ABORTED", `${method} ${shown} was aborted`, where);
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, settings.timeoutMs);
  try {
    const init: RequestInit = { method, headers: request.init.headers, signal: controller.signal };
    if (request.init.body !== undefined) init.body = request.init.body;
    const response = await settings.fetch(request.url, init);
    // the timeout also covers reading the body
    const text = await response.text();
    if (!response.ok) {
      const error = apiError(settings, response, text, where);
      if (response.status < 500) throw error;
      return error;
    }
    if (text.trim() === "") return { status: response.status, body: undefined };
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      throw new OctoClientError(
        "INVALID_RESPONSE",
        `${method} ${shown} answered ${response.status} with a body that is not JSON: ${settings.scrub(excerpt(text))}`,
        where,
      );
    }
  } catch (error) {
    if (error instanceof OctoClientError) throw error;
    if (signal?.aborted) {
      throw new OctoClientError("ABORTED", `${method} ${shown} was aborted`, { ...where, cause: error });
    }
    if (timedOut) {
      return new OctoClientError(
        "TIMEOUT",
        `${method} ${shown} got no answer within ${settings.timeoutMs} ms; raise \`timeoutMs\` if the supplier is slow`,
        where,
      );
    }
    return new OctoClientError(
      "NETWORK_ERROR",
      `${method} ${shown} failed: ${settings.scrub(describeNetworkError(error))}; check \`baseUrl\` and your network`,
      { ...where, cause: error },
    );
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}
