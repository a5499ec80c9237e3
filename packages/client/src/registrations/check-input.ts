// The checks of what is sent as a webhook or a subscription, before any request: one input (or patch),
// a desired list, a header name.
import { configError } from "../errors.ts";
import { httpUrl } from "../http/urls.ts";
import type { Kind } from "../types.ts";

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Whether `name` can be sent as an HTTP header name (an RFC 9110 token: letters, digits and the few
 * symbols a token allows, no spaces). The check `create`, `update` and `sync` apply to a webhook's
 * `headers`, and the CLI to `--header`.
 *
 * @example
 * ```ts
 * isHeaderName("x-api-key"); // true
 * isHeaderName("x api key"); // false
 * ```
 */
export function isHeaderName(name: string): boolean {
  return typeof name === "string" && TOKEN.test(name);
}

/**
 * Catches obvious mistakes in a webhook or subscription before a request is sent (the supplier validates
 * the rest): `url`, then the kind's fields, then its booleans, then `headers`. `required`: a whole input
 * (create), not a patch.
 */
export function checkInput(
  input: unknown,
  required: boolean,
  kind: Pick<Kind<string, unknown, unknown, string>, "noun" | "fields" | "booleans">,
): void {
  if (typeof input !== "object" || input === null) configError(`the ${kind.noun} must be an object`);
  const given = input as Record<string, unknown>;
  if ((required || given.url !== undefined) && (typeof given.url !== "string" || !httpUrl(given.url))) {
    configError("`url` must be an absolute http(s) URL");
  }
  for (const [name, rule] of Object.entries(kind.fields)) {
    const value = given[name];
    if (((required && rule.required) || value !== undefined) && !rule.valid(value)) configError(rule.message);
  }
  for (const name of kind.booleans) {
    if (given[name] !== undefined && typeof given[name] !== "boolean")
      configError(`\`${name}\` must be a boolean`);
  }
  const { headers } = given;
  if (headers !== undefined) {
    if (typeof headers !== "object" || headers === null) configError("`headers` must be a record of strings");
    for (const [name, value] of Object.entries(headers)) {
      if (!isHeaderName(name)) configError(`\`headers\`: "${name}" is not a header name`);
      if (typeof value !== "string" || /[\r\n\0]/.test(value)) {
        configError(`\`headers\`: the value of "${name}" must be a string without line breaks`);
      }
    }
  }
}

/** Checks a desired list before anything is sent: each entry, and no key (`kind.keyOf`) twice. */
export function checkDesired<Input>(
  desired: readonly Input[],
  kind: Pick<
    Kind<string, Input, unknown, string>,
    "noun" | "call" | "fields" | "booleans" | "keyOf" | "repeated"
  >,
): void {
  if (!Array.isArray(desired)) configError(`\`${kind.call}\` takes an array of ${kind.noun}s`);
  const seen = new Set<string>();
  desired.forEach((input, i) => {
    try {
      checkInput(input, true, kind);
    } catch (error) {
      configError(`desired[${i}]: ${(error as Error).message.replace(/^\[[^\]]+\] /, "")}`);
    }
    const key = kind.keyOf(input) as string;
    if (seen.has(key)) configError(`desired[${i}] repeats ${kind.repeated(input)}`);
    seen.add(key);
  });
}
