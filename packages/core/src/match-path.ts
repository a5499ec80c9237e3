const trim = (path: string) => (path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path);

/**
 * Whether a request URL (or path, with or without a query string) is the receiver's `path`; a trailing
 * slash on either side is tolerated. Adapters mounted app-wide use it to pass other paths to `next()`.
 *
 * @example
 * ```ts
 * matchesPath("/webhooks/octo/?x=1", "/webhooks/octo"); // true
 * ```
 */
export function matchesPath(url: string, path: string): boolean {
  let end = url.length;
  const query = url.indexOf("?");
  if (query >= 0) end = query;
  const hash = url.indexOf("#");
  if (hash >= 0 && hash < end) end = hash;
  let pathname = url.slice(0, end);
  if (!pathname.startsWith("/")) {
    // an absolute URL (`https://host/path`)
    const scheme = pathname.indexOf("://");
    const slash = scheme >= 0 ? pathname.indexOf("/", scheme + 3) : -1;
    pathname = slash >= 0 ? pathname.slice(slash) : "/";
  }
  return trim(pathname) === trim(path);
}
