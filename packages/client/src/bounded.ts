import type { Scrub } from "./types.ts";

/** Scrubbed, then cut to `max` characters. */
export function bounded(text: string, scrub: Scrub, max: number): string {
  const clean = scrub(text);
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}
