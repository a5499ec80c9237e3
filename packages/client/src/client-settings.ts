// The checked settings of `createOctoClient`: base URL, retries, timeout, the key's shape.
import type { OctoClientOptions } from "./create-octo-client.ts";
import { configError } from "./errors.ts";
import type { RetryOptions } from "./http.ts";
import { redactUrl } from "./redact-url.ts";

export const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRY: Required<RetryOptions> = { limit: 2, minDelayMs: 250, maxDelayMs: 10_000 };
// visible ASCII: anything else would make `fetch` throw an error that quotes the header value
export const TOKEN = /^[\x21-\x7e]+$/;

export function retrySettings(retries: OctoClientOptions["retries"]): Required<RetryOptions> {
  const given = typeof retries === "number" ? { limit: retries } : (retries ?? {});
  const settings = { ...DEFAULT_RETRY, ...given };
  if (!Number.isInteger(settings.limit) || settings.limit < 0)
    configError("`retries` must be a non-negative integer");
  if (!(settings.minDelayMs >= 0) || !(settings.maxDelayMs >= settings.minDelayMs))
    configError("`retries.minDelayMs` and `retries.maxDelayMs` must be 0 <= minDelayMs <= maxDelayMs");
  return settings;
}

export function parseBaseUrl(value: string | URL): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return configError("`baseUrl` must be an absolute http(s) URL, e.g. https://api.ventrata.com/octo");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") configError("`baseUrl` must be an http(s) URL");
  if (url.username !== "" || url.password !== "") {
    configError(`\`baseUrl\` must not contain credentials (${redactUrl(url)}); pass the key as \`apiKey\``);
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  url.search = "";
  url.hash = "";
  return url;
}
