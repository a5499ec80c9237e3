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
