// The errors made of a supplier's answer: an error status (its OCTO error body read, every secret in it
// scrubbed) or a redirect, which is refused.
import { codeForStatus, OctoApiError } from "../errors.ts";
import { bounded, excerpt, type Scrub } from "./scrub.ts";
import { redactUrl } from "./urls.ts";

/** The longest `errorMessage` kept (after scrubbing). */
const MAX_ERROR_MESSAGE = 1000;

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

/** The error made of a supplier's answer that is not a success, every secret in it scrubbed. */
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
