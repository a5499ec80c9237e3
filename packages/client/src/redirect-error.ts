import { OctoApiError } from "./errors.ts";
import { redactUrl } from "./redact-url.ts";

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
