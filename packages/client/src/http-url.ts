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
