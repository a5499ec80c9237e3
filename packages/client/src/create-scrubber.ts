// Removing secrets from text a supplier sent back (some servers echo the request in their errors).
// Every step is a linear scan: the text comes from the network, so no backtracking regex touches it.

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
