const trim = (path: string) => (path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path);
const SEGMENT = ":supplier";

/** The path of a request URL (or path, with or without a query string), without a trailing slash. */
function pathnameOf(url: string): string {
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
  return trim(pathname);
}

/**
 * The `:supplier` segment of a URL matched against a `path` that has one: the decoded segment, `""`
 * when the URL does not match, `undefined` when `path` has no `:supplier`.
 */
function segmentOf(url: string, path: string): string | undefined {
  const at = path.indexOf(`/${SEGMENT}`);
  if (at < 0) return undefined;
  const pattern = trim(path);
  const before = pattern.slice(0, at + 1);
  const after = pattern.slice(at + 1 + SEGMENT.length);
  const pathname = pathnameOf(url);
  if (!pathname.startsWith(before) || !pathname.endsWith(after)) return "";
  const raw = pathname.slice(before.length, pathname.length - after.length);
  if (raw === "" || raw.includes("/")) return "";
  try {
    return decodeURIComponent(raw);
  } catch {
    return "";
  }
}

/**
 * Whether a request URL (or path, with or without a query string) is the receiver's `path`; a trailing
 * slash on either side is tolerated, and a `:supplier` segment of `path` matches any one segment.
 * Adapters mounted app-wide use it to pass other paths to `next()`.
 *
 * @example
 * ```ts
 * matchesPath("/webhooks/octo/?x=1", "/webhooks/octo"); // true
 * matchesPath("/webhooks/octo/ventrata", "/webhooks/octo/:supplier"); // true
 * ```
 */
export function matchesPath(url: string, path: string): boolean {
  const segment = segmentOf(url, path);
  return segment === undefined ? pathnameOf(url) === trim(path) : segment !== "";
}

/**
 * The supplier id a request URL names at the `:supplier` segment of `path`
 * (`/webhooks/octo/:supplier`), for `OctoRequest.supplier`; `undefined` when `path` has no such
 * segment or the URL does not match it.
 *
 * @example
 * ```ts
 * supplierInPath("/webhooks/octo/ventrata?x=1", "/webhooks/octo/:supplier"); // "ventrata"
 * ```
 */
export function supplierInPath(url: string, path: string): string | undefined {
  const segment = segmentOf(url, path);
  return segment === "" ? undefined : segment;
}
