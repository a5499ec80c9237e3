import { configError } from "./errors.ts";
import { httpUrl } from "./http-url.ts";
import { isHeaderName } from "./is-header-name.ts";
import type { Kind } from "./types.ts";

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
