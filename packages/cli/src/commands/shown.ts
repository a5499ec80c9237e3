import { redactUrl } from "@octo-webhooks/client";
import type { ConnectionOptions } from "./connection.ts";

interface Printable {
  url?: string | null | undefined;
  headers?: Record<string, string> | null | undefined;
}

/** A webhook or subscription safe to print: URL credentials and header values hidden unless `--show-secrets`. */
export function shown<T extends Printable>(registered: T, options: ConnectionOptions): T {
  if (options.showSecrets) return registered;
  const copy: Printable = { ...registered };
  if (typeof copy.url === "string") copy.url = redactUrl(copy.url);
  if (copy.headers) copy.headers = Object.fromEntries(Object.keys(copy.headers).map((k) => [k, "***"]));
  return copy as T;
}
