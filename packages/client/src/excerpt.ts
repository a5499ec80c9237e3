import type { Scrub } from "./types.ts";

/** The longest excerpt of a body that is not an OCTO error (after scrubbing). */
const MAX_EXCERPT = 120;

/** Whitespace collapsed, then cut to `max` characters: call it on scrubbed text only. */
function cut(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}

/** A short excerpt of a body: scrubbed whole first (a cut could split a secret), then cut. */
export function excerpt(text: string, scrub: Scrub): string {
  return cut(scrub(scrub(text).replace(/\s+/g, " ")), MAX_EXCERPT);
}
