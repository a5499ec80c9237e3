import { basicAuthorization, type PostAnswer, post, splitCredentials } from "./post.ts";

/** Options of {@link sendWebhook}. */
export interface SendWebhookOptions {
  /** HTTP Basic credentials; they replace any in the URL (which are used otherwise, decoded). */
  username?: string;
  /** The Basic password, with `username`. */
  password?: string;
  /** Extra headers (e.g. a webhook's custom `x-api-key`); they override the defaults. */
  headers?: Record<string, string>;
  /** Give up after this many ms without a complete answer (default 10 000). */
  timeoutMs?: number;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** The receiver's answer: `status`, `headers` (lower-cased), `body` as text, and `json()`. */
export interface SendWebhookAnswer extends PostAnswer {
  /** The answer's body parsed as JSON (throws if it is not JSON). */
  json<T = unknown>(): T;
}

/**
 * POSTs one webhook body the way an OCTO supplier does: JSON, `Authorization: Basic` from the URL's
 * credentials (or `username`/`password`), your custom headers. A string or bytes body is sent as is
 * (to test malformed bodies). Resolves with the answer whatever its status; rejects on network errors.
 *
 * @example
 * ```ts
 * import { bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
 *
 * const answer = await sendWebhook("http://127.0.0.1:3000/webhooks/octo", bookingUpdate(), {
 *   username: "octo", password: "s3cret",
 * });
 * expect(answer.status).toBe(200);
 * ```
 */
export async function sendWebhook(
  url: string | URL,
  body: unknown,
  options: SendWebhookOptions = {},
): Promise<SendWebhookAnswer> {
  const target = splitCredentials(url);
  const headers: Record<string, string> = {
    "user-agent": "octo-webhooks-testing",
    "content-type": "application/json",
  };
  const username = options.username ?? target.credentials?.username;
  const password = options.password ?? target.credentials?.password;
  if (username !== undefined || password !== undefined) {
    headers.authorization = basicAuthorization({ username: username ?? "", password: password ?? "" });
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  const payload = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
  const answer = await post(target.url, payload, {
    headers,
    timeoutMs: options.timeoutMs ?? 10_000,
    signal: options.signal,
  });
  return { ...answer, json: <T>() => JSON.parse(answer.body) as T };
}
