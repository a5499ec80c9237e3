/** `origin + path` of a URL, without credentials, query or a trailing slash: what "the same URL" means. */
export function placeOf(url: string | null | undefined): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    const parsed = new URL(url);
    const path = parsed.pathname.length > 1 ? parsed.pathname.replace(/\/$/, "") : parsed.pathname;
    return `${parsed.origin}${path}`;
  } catch {
    return undefined;
  }
}
