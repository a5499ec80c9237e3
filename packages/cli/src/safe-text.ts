// Text from outside (delivery bodies, receivers' and suppliers' answers, error messages quoting them)
// is printed to a terminal: an ESC or a C1 control in it could set the window title, write the
// clipboard (OSC 52) or erase lines. Every print of such text goes through these.

// C0 controls, DEL, C1 controls; and the invisible bidi and line-separator characters that reorder or
// break what is shown. One character class: linear, no backtracking.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// what JSON.stringify leaves as it is (it escapes C0 itself); found only inside JSON strings
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

const escapeOne = (ch: string) => {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
};

/**
 * `text` with every control character shown as an escape (`\x1b`, `\n`, `\x9b`): safe to print to a
 * terminal. Apply it to anything that came from outside, never to the colours and layout we add.
 */
export function safeText(text: unknown): string {
  return String(text).replace(UNSAFE, escapeOne);
}

/**
 * `JSON.stringify(value, null, 2)`, with the characters JSON leaves as they are but a terminal would
 * act on (DEL, C1 controls, bidi overrides) written as `\u` escapes: still the same JSON.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    UNSAFE_IN_JSON,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
