// Sending one management request: headers, timeout, retries with backoff, redirects refused, error
// bodies read capped and scrubbed into the client's errors.
import { OctoApiError, OctoClientError, PACKAGE_PREFIX } from "../errors.ts";
import { apiError, redirectError } from "./api-error.ts";
import { bounded, excerpt, requestSecrets, type Scrub } from "./scrub.ts";
import { redactUrl } from "./urls.ts";

/** The longest error body read; the rest is not downloaded. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * The longest success body read by default (the management API's lists, availability ranges); a longer
 * one is a `RESPONSE_TOO_LARGE` error, its rest not downloaded. Read calls of one resource pass less.
 */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

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
  /**
   * Replaces secrets in text the supplier sent back (some servers echo request headers): the API key,
   * the `secrets` of the request being sent, any URL's credentials. Linear in the text's length.
   */
  scrub: (text: string, secrets?: readonly string[]) => string;
}

export interface HttpResult {
  status: number;
  /** The parsed JSON body, or `undefined` for an empty one. */
  body: unknown;
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
  maxBodyBytes: number = MAX_BODY_BYTES,
): Promise<HttpResult> {
  const url = new URL(path, settings.baseUrl).href;
  const shown = redactUrl(url);
  const headers: Record<string, string> = { ...settings.headers };
  if (body !== undefined) headers["content-type"] = "application/json";
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const { retry, logger } = settings;
  // the webhook's own URL credentials and header values, wherever the supplier echoes them
  const secrets = requestSecrets(body);
  const scrub: Scrub = (text) => settings.scrub(text, secrets);

  for (let attempt = 1; ; attempt++) {
    const where = { method, url: shown, attempts: attempt };
    const outcome = await attemptOnce(
      settings,
      { url, init: { method, headers, body: payload }, where, scrub, maxBodyBytes },
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
    scrub: Scrub;
    maxBodyBytes: number;
  },
  signal: AbortSignal | undefined,
): Promise<HttpResult | OctoClientError> {
  const { where, scrub } = request;
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
    // a redirect would send the key, and the webhook's URL credentials and headers, to another URL
    const init: RequestInit = {
      method,
      headers: request.init.headers,
      signal: controller.signal,
      redirect: "manual",
    };
    if (request.init.body !== undefined) init.body = request.init.body;
    const response = await settings.fetch(request.url, init);
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
      void response.body?.cancel().catch(() => {});
      throw redirectError(response, request.url, where);
    }
    // the timeout also covers reading the body
    if (!response.ok) {
      const error = apiError(scrub, response, await readCapped(response, MAX_ERROR_BODY_BYTES), where);
      if (response.status < 500) throw error;
      return error;
    }
    const text = await readLimited(response, request.maxBodyBytes);
    if (text === undefined) {
      throw new OctoClientError(
        "RESPONSE_TOO_LARGE",
        `${method} ${shown} answered ${response.status} with a body over ${request.maxBodyBytes} bytes; the rest was not read`,
        where,
      );
    }
    if (text.trim() === "") return { status: response.status, body: undefined };
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      const type = response.headers.get("content-type")?.split(";")[0] ?? "no content type";
      throw new OctoClientError(
        "INVALID_RESPONSE",
        `${method} ${shown} answered ${response.status} (${bounded(type, scrub, 100)}) with a body that is not JSON: ${excerpt(text, scrub)}`,
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
      `${method} ${shown} failed: ${bounded(describeNetworkError(error), scrub, 300)}; check \`baseUrl\` and your network`,
      { ...where, cause: error },
    );
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * The whole body as text when it is at most `max` bytes, or `undefined` as soon as it is longer (by its
 * `Content-Length`, or by what arrived): the rest is not read and the connection is closed, so that a
 * huge or endless answer is never held in memory.
 */
async function readLimited(response: Response, max: number): Promise<string | undefined> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  const reader = response.body?.getReader();
  if (declared > max) {
    void reader?.cancel().catch(() => {});
    return undefined;
  }
  if (reader === undefined) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      void reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * Reads at most `max` bytes of a body and drops the rest unread (the connection is closed), so that a
 * huge or endless error page costs neither memory nor time.
 */
async function readCapped(response: Response, max: number): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return (await response.text()).slice(0, max);
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk = value.byteLength > max - size ? value.subarray(0, max - size) : value;
    size += chunk.byteLength;
    text += decoder.decode(chunk, { stream: true });
    if (size >= max) {
      void reader.cancel().catch(() => {});
      break;
    }
  }
  return text + decoder.decode();
}
