import { readFileSync } from "node:fs";
import {
  createOctoClient,
  type OctoClient,
  type WebhookInput,
  type WebhookPatch,
  webhookUrl,
} from "@octo-webhooks/client";
import { type Command, Option } from "commander";
import { collectHeader, integer, list } from "../options.ts";
import { CliError, type Io } from "../output.ts";
import { safeText } from "../safe-text.ts";

// The options of the `webhooks` subcommands and what they read: connection, webhook fields, sync file.

export interface ConnectionOptions {
  baseUrl?: string;
  apiKey?: string;
  env?: "test" | "live";
  capabilities?: string[];
  timeout: number;
  retries: number;
  json?: boolean;
  showSecrets?: boolean;
}

export interface WebhookFieldOptions {
  url?: string;
  event?: string;
  user?: string;
  pass?: string;
  retryOnError?: boolean;
  useContactLanguage?: boolean;
  header?: Record<string, string>;
  webhookCapabilities?: string[];
  active?: boolean;
}

/** The options every `webhooks` subcommand shares. */
export function withConnection(command: Command): Command {
  return command
    .addOption(new Option("--base-url <url>", "the supplier's OCTO endpoint").env("OCTO_BASE_URL"))
    .addOption(
      new Option("--api-key <key>", "the supplier API key (prefer the env variable)").env("OCTO_API_KEY"),
    )
    .addOption(new Option("--env <env>", "send Octo-Env").choices(["test", "live"]).env("OCTO_ENV"))
    .addOption(
      new Option("--capabilities <list>", "more Octo-Capabilities, comma-separated")
        .argParser(list)
        .env("OCTO_CAPABILITIES"),
    )
    .option("--timeout <ms>", "time allowed per attempt", integer, 10_000)
    .option("--retries <n>", "retries of network errors and 5xx", integer, 2)
    .option("--json", "print JSON (for scripts)")
    .option("--show-secrets", "print URL credentials and header values instead of ***");
}

/** The webhook fields `create` and `update` take. */
export function withWebhookFields(command: Command, required: boolean): Command {
  const url = new Option("--url <url>", "where deliveries go");
  const event = new Option(
    "--event <event>",
    "booking_update, availability_update, order_update, product_update...",
  );
  if (required) {
    url.makeOptionMandatory();
    event.makeOptionMandatory();
  }
  return command
    .addOption(url)
    .addOption(event)
    .option("--user <username>", "HTTP Basic credentials the supplier will send: username")
    .option("--pass <password>", "... and password (or OCTO_HOOK_PASS); encoded into the URL")
    .option("--retry-on-error", "the supplier retries non-2xx answers (OCTO default)")
    .option("--no-retry-on-error", "the supplier does not retry")
    .option("--use-contact-language", "deliveries use the customer's language")
    .option("--no-use-contact-language", "deliveries do not use the customer's language")
    .option("--header <name=value>", "a header sent with every delivery, repeatable", collectHeader)
    .option(
      "--webhook-capabilities <list>",
      "capabilities the supplier activates for this webhook's deliveries, comma-separated (order_update always gets octo/cart)",
      list,
    )
    .option("--active", "the supplier delivers to it (supplier default)")
    .option("--no-active", "pause it without deleting it");
}

export function clientOf(options: ConnectionOptions, io: Io): OctoClient {
  if (!options.baseUrl)
    throw new CliError("missing --base-url (or OCTO_BASE_URL), e.g. https://api.ventrata.com/octo");
  if (!options.apiKey) throw new CliError("missing --api-key (or OCTO_API_KEY)");
  return createOctoClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    timeoutMs: options.timeout,
    retries: options.retries,
    ...(options.env ? { env: options.env } : {}),
    ...(options.capabilities ? { capabilities: options.capabilities } : {}),
    // a retry's message quotes the supplier's answer
    logger: {
      warn: (message) => io.err(io.e.dim(safeText(message.replace(/^\[@octo-webhooks\/client\] /, "")))),
    },
  });
}

/**
 * `--url` with `--user`/`--pass` (or OCTO_HOOK_PASS) encoded into it, as `webhooks` and `notifications`
 * take them; `undefined` without `--url`. Credentials need both halves, and a URL to go into.
 */
export function urlWithCredentials(options: {
  url?: string;
  user?: string;
  pass?: string;
}): string | undefined {
  const password = options.pass ?? (options.user !== undefined ? process.env.OCTO_HOOK_PASS : undefined);
  if ((options.user === undefined) !== (password === undefined)) {
    throw new CliError("give both --user and --pass (or neither)");
  }
  if (options.url === undefined) {
    if (options.user !== undefined) {
      throw new CliError("--user and --pass need --url (credentials are part of the URL)");
    }
    return undefined;
  }
  return options.user !== undefined && password !== undefined
    ? webhookUrl(options.url, { username: options.user, password })
    : options.url;
}

export function fields(options: WebhookFieldOptions): WebhookPatch {
  const patch: WebhookPatch = {};
  const url = urlWithCredentials(options);
  if (url !== undefined) patch.url = url;
  if (options.event !== undefined) patch.event = options.event;
  if (options.retryOnError !== undefined) patch.retryOnError = options.retryOnError;
  if (options.useContactLanguage !== undefined) patch.useContactLanguage = options.useContactLanguage;
  if (options.header !== undefined) patch.headers = options.header;
  if (options.webhookCapabilities !== undefined) patch.capabilities = options.webhookCapabilities;
  if (options.active !== undefined) patch.active = options.active;
  return patch;
}

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

/** Reads the desired webhooks: a JSON list (or `{ "webhooks": [...] }`); `username`/`password` go into the URL. */
export function readDesired(file: string): WebhookInput[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "it is not valid JSON";
    throw new CliError(`cannot read ${file}: ${reason}`);
  }
  const entries = Array.isArray(parsed) ? parsed : (parsed as { webhooks?: unknown } | null)?.webhooks;
  if (!Array.isArray(entries))
    throw new CliError(`${file} must hold a JSON list of webhooks, or { "webhooks": [...] }`);
  return entries.map((entry, i) => {
    const where = `${file} [${i}]`;
    if (typeof entry !== "object" || entry === null) throw new CliError(`${where} must be an object`);
    const { username, password, ...input } = expand(entry, where) as WebhookInput & {
      username?: string;
      password?: string;
    };
    if (username === undefined && password === undefined) return input;
    if (typeof username !== "string" || typeof password !== "string") {
      throw new CliError(`${where}: give both "username" and "password" (or neither)`);
    }
    return { ...input, url: webhookUrl(input.url, { username, password }) };
  });
}
