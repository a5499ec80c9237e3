/** A URL as sync matches it: normalised when it parses, as given when not; `undefined` when it is no string. */
export function urlKey(url: string | null | undefined): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}
