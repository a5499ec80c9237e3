// The URLs the client is given and shows: whether one is an absolute http(s) URL, and how it is printed
// (never with its credentials or query).

/**
 * `value` as a URL when it is an absolute http(s) URL; `undefined` for anything else (relative, another
 * scheme, not a URL at all).
 */
export function httpUrl(value: string | URL): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return url.protocol === "https:" || url.protocol === "http:" ? url : undefined;
}

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
