import { OctoClientError } from "./errors.ts";
import { httpUrl } from "./http/urls.ts";

/** The HTTP Basic credentials a supplier will send with every delivery. */
export interface WebhookCredentials {
  username: string;
  password: string;
}

function fail(message: string): never {
  throw new OctoClientError("CONFIG_INVALID", `webhookUrl: ${message}`);
}

function encode(value: string, name: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // only a lone UTF-16 surrogate makes encodeURIComponent throw
    return fail(`\`${name}\` is not valid Unicode text`);
  }
}

/**
 * Builds the URL to register: `https://user:pass@host/path`, from which the supplier sends
 * `Authorization: Basic ...`. Every character of the credentials is percent-encoded as needed
 * (`@ : / ? # %`, spaces, non-ASCII as UTF-8), so the receiver decodes exactly what you gave.
 * Credentials already in `url` are replaced.
 *
 * @example
 * ```ts
 * webhookUrl("https://shop.example/webhooks/octo", { username: "octo", password: "p@ss:w/rd" });
 * // "https://octo:p%40ss%3Aw%2Frd@shop.example/webhooks/octo"
 * ```
 */
export function webhookUrl(url: string | URL, credentials: WebhookCredentials): string {
  const parsed = httpUrl(url);
  if (parsed === undefined) {
    return fail(
      URL.canParse(String(url)) ? "`url` must be an http(s) URL" : "`url` must be an absolute http(s) URL",
    );
  }
  const { username, password } = credentials ?? ({} as WebhookCredentials);
  if (typeof username !== "string" || username === "") fail("`username` must be a non-empty string");
  if (username.includes(":")) fail('`username` must not contain ":" (HTTP Basic cannot carry it, RFC 7617)');
  if (typeof password !== "string" || password === "") fail("`password` must be a non-empty string");
  // The URL setters leave "%" (and a few others) as they are, so encode everything ourselves first.
  parsed.username = encode(username, "username");
  parsed.password = encode(password, "password");
  return parsed.href;
}
