import { configError } from "./errors.ts";
import { httpUrl } from "./http-url.ts";
import { redactUrl } from "./redact-url.ts";

/** The checked `baseUrl` of `createOctoClient`, ending with `/`, without query or fragment. */
export function parseBaseUrl(value: string | URL): URL {
  const url = httpUrl(value);
  if (url === undefined) {
    configError(
      URL.canParse(String(value))
        ? "`baseUrl` must be an http(s) URL"
        : "`baseUrl` must be an absolute http(s) URL, e.g. https://api.ventrata.com/octo",
    );
  }
  if (url.username !== "" || url.password !== "") {
    configError(`\`baseUrl\` must not contain credentials (${redactUrl(url)}); pass the key as \`apiKey\``);
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  url.search = "";
  url.hash = "";
  return url;
}
