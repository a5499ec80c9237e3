// Removing secrets from text a supplier sent back (some servers echo the request in their errors): the
// scrubber of a client, the secrets of one request, and the short scrubbed texts error messages quote.
// Every step is a linear scan: the text comes from the network, so no backtracking regex touches it.

/** Replaces the secrets in one text (see `HttpSettings.scrub`). */
export type Scrub = (text: string) => string;

const SEPARATORS = ["://", ":\\/\\/"];
// where the user-info of a URL ends: it never holds these unencoded (`\` ends a JSON-escaped `\/`)
const END_OF_USERINFO = new Set([" ", "\t", "\n", "\r", "\f", "\v", "/", "\\", "?", "#", '"', "'", "<", ">"]);

/** `scheme://user:pass@host` -> `scheme://***@host`, also JSON-escaped (`https:\/\/user:pass@`). */
function scrubUrlCredentials(text: string): string {
  let out = "";
  let copied = 0;
  let from = 0;
  // the next occurrence of each separator, searched again only once passed (one indexOf would
  // otherwise rescan to the end of the text for every occurrence of the other)
  const next = SEPARATORS.map(() => -2);
  while (from < text.length) {
    let at = -1;
    let separator = "";
    for (const [i, candidate] of SEPARATORS.entries()) {
      let found = next[i] as number;
      if (found !== -1 && found < from) {
        found = text.indexOf(candidate, from);
        next[i] = found;
      }
      if (found !== -1 && (at === -1 || found < at)) {
        at = found;
        separator = candidate;
      }
    }
    if (at === -1) break;
    const start = at + separator.length;
    let end = start;
    let lastAt = -1;
    // one pass to the end of the user-info; it holds no "/" so it cannot hold the next separator
    while (end < text.length && !END_OF_USERINFO.has(text[end] as string)) {
      if (text[end] === "@") lastAt = end;
      end++;
    }
    if (lastAt > start) {
      out += `${text.slice(copied, start)}***`;
      copied = lastAt;
    }
    // a "/" or "\\" that ended it may belong to the next separator, whose ":" is just before it
    from = end > start ? end - 1 : start;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The forms a secret can take in an answer: as given, percent-encoded, JSON-escaped. */
function formsOf(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1)]);
  try {
    forms.add(encodeURIComponent(secret));
    forms.add(decodeURIComponent(secret));
  } catch {}
  return [...forms].filter((form) => form !== "");
}

/**
 * A scrubber for one client: replaces `apiKey` and the given per-request secrets (in their encoded forms
 * too) by `***`, and the credentials of any URL. Linear in the text's length.
 */
export function createScrubber(apiKey: string): (text: string, secrets?: readonly string[]) => string {
  const keyForms = formsOf(apiKey);
  return (text, secrets = []) => {
    let clean = text;
    // longest first, so that a secret containing another is replaced whole
    const forms = [...keyForms, ...secrets.flatMap(formsOf)].sort((a, b) => b.length - a.length);
    for (const form of forms) if (clean.includes(form)) clean = clean.replaceAll(form, "***");
    return scrubUrlCredentials(clean);
  };
}

/** Header values shorter than this are not treated as secrets (`"1"` would blank every digit). */
const MIN_HEADER_SECRET = 4;

/** The secrets of one request: the URL credentials and header values of the webhook it sends. */
export function requestSecrets(body: unknown): string[] {
  if (typeof body !== "object" || body === null) return [];
  const secrets: string[] = [];
  const { url, headers } = body as { url?: unknown; headers?: unknown };
  if (typeof url === "string") {
    try {
      const parsed = new URL(url);
      if (parsed.username !== "") secrets.push(parsed.username);
      if (parsed.password !== "") secrets.push(parsed.password);
    } catch {}
  }
  if (typeof headers === "object" && headers !== null) {
    for (const value of Object.values(headers)) {
      if (typeof value === "string" && value.trim().length >= MIN_HEADER_SECRET) secrets.push(value.trim());
    }
  }
  return secrets;
}

/** Scrubbed, then cut to `max` characters. */
export function bounded(text: string, scrub: Scrub, max: number): string {
  const clean = scrub(text);
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}

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
