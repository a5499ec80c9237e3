import { httpUrl } from "./http-url.ts";

/**
 * A URL safe to print: credentials become `***@`, a query string becomes `?***`, a fragment is dropped.
 * Anything that does not parse as a URL is replaced entirely (it could be a secret pasted in the wrong place).
 *
 * @example
 * ```ts
 * redactUrl("https://octo:s3cret@shop.example/hooks?token=abc"); // "https://***@shop.example/hooks?***"
 * ```
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "<invalid URL>";
  }
  const credentials = parsed.username !== "" || parsed.password !== "" ? "***@" : "";
  const query = parsed.search === "" ? "" : "?***";
  const path = httpUrl(parsed) === undefined ? "" : parsed.pathname;
  return `${parsed.protocol}//${credentials}${parsed.host}${path}${query}`;
}
