import { readFileSync } from "node:fs";
import { webhookUrl } from "@octo-webhooks/client";
import { CliError } from "../output.ts";

/** `${NAME}` in the sync file's strings is replaced by the environment variable NAME. */
function expand(value: unknown, where: string): unknown {
  if (typeof value === "string") {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = process.env[name];
      if (found === undefined) throw new CliError(`${where} uses \${${name}}, which is not set`);
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expand(v, `${where}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v, `${where}.${k}`)]));
  }
  return value;
}

/**
 * Reads the desired webhooks or subscriptions of a `sync`: a JSON list (or `{ "<key>": [...] }`), each
 * entry's `${NAME}`s expanded; its `username`/`password` go into the URL.
 */
export function readDesired<T extends { url: string }>(file: string, key: "webhooks" | "subscriptions"): T[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "it is not valid JSON";
    throw new CliError(`cannot read ${file}: ${reason}`);
  }
  const entries = Array.isArray(parsed) ? parsed : (parsed as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(entries)) {
    throw new CliError(`${file} must hold a JSON list of ${key}, or { "${key}": [...] }`);
  }
  return entries.map((entry, i) => {
    const where = `${file} [${i}]`;
    if (typeof entry !== "object" || entry === null) throw new CliError(`${where} must be an object`);
    const { username, password, ...input } = expand(entry, where) as T & {
      username?: string;
      password?: string;
    };
    if (username === undefined && password === undefined) return input as T;
    if (typeof username !== "string" || typeof password !== "string") {
      throw new CliError(`${where}: give both "username" and "password" (or neither)`);
    }
    return { ...input, url: webhookUrl(input.url, { username, password }) } as T;
  });
}
