import { codeForStatus, OctoApiError } from "./errors.ts";
import { redactUrl } from "./redact-url.ts";
import { cut, MAX_ERROR_MESSAGE, MAX_EXCERPT } from "./scrub.ts";

// Reading a supplier's answer when it is not a success: a capped read, and the error made of it with
// every secret scrubbed.

/** Replaces the secrets in one text (see `HttpSettings.scrub`). */
export type Scrub = (text: string) => string;

/** A short excerpt of a body: scrubbed whole first (a cut could split a secret), then cut. */
export function excerpt(text: string, scrub: Scrub): string {
  return cut(scrub(scrub(text).replace(/\s+/g, " ")), MAX_EXCERPT);
}

/** Scrubbed, then cut to `max` characters. */
export function bounded(text: string, scrub: Scrub, max: number): string {
  const clean = scrub(text);
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}

/**
 * Reads at most `max` bytes of a body and drops the rest unread (the connection is closed), so that a
 * huge or endless error page costs neither memory nor time.
 */
export async function readCapped(response: Response, max: number): Promise<string> {
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

/** `Retry-After` as ms: delay-seconds or an HTTP date. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Scrubs every string inside an OCTO error's extra fields (they end up in logs with the error). */
function scrubDeep(value: unknown, scrub: Scrub): unknown {
  if (typeof value === "string") return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, scrub));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, scrub)]));
  }
  return value;
}

export function apiError(
  scrub: Scrub,
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
      bounded(code, scrub, 100),
      bounded(detail || "(no errorMessage)", scrub, MAX_ERROR_MESSAGE),
      {
        ...where,
        extra: scrubDeep(extra, scrub) as Record<string, unknown>,
        retryAfterMs,
      },
    );
  }
  const type = response.headers.get("content-type")?.split(";")[0] ?? "no content type";
  const detail =
    text === ""
      ? `an empty body (${response.statusText || "no status text"})`
      : `a body that is not an OCTO error (${type}): ${excerpt(text, scrub)}`;
  return new OctoApiError(response.status, codeForStatus(response.status), detail, {
    ...where,
    retryAfterMs,
  });
}

/** A 3xx answer: refused, not followed; names where it pointed, redacted. */
export function redirectError(
  response: Response,
  from: string,
  where: { method: string; url: string; attempts: number },
): OctoApiError {
  const location = response.headers.get("location");
  let target = "";
  if (location !== null) {
    try {
      target = ` to ${redactUrl(new URL(location, from))}`;
    } catch {}
  }
  const status = response.status === 0 ? "a redirect" : `a ${response.status} redirect`;
  return new OctoApiError(
    response.status,
    "REDIRECT_REFUSED",
    `${status}${target}; redirects are refused (following one would send the API key and the webhook's credentials to another URL): set \`baseUrl\` to the supplier's final OCTO endpoint`,
    where,
  );
}
