import { readFileSync } from "node:fs";
import {
  createOctoClient,
  type NotificationsCapability,
  type OctoClient,
  type SubscriptionInput,
  type SubscriptionPatch,
  webhookUrl,
} from "@octo-webhooks/client";
import { type Command, Option } from "commander";
import { collectHeader, list } from "../options.ts";
import { CliError, type Io } from "../output.ts";
import { safeText } from "../safe-text.ts";
import {
  type ConnectionOptions,
  urlWithCredentials,
  clientOf as webhooksClientOf,
} from "./webhooks-options.ts";

// The options of the `notifications` subcommands and what they read (the connection options are the
// `webhooks` ones, plus the capability spelling).

export interface NotificationConnectionOptions extends ConnectionOptions {
  notificationsCapability?: NotificationsCapability;
}

export interface SubscriptionFieldOptions {
  url?: string;
  type?: string[];
  user?: string;
  pass?: string;
  retryOnError?: boolean;
  header?: Record<string, string>;
  active?: boolean;
}

/** The capability spelling option, added to the connection options. */
export function withCapability(command: Command): Command {
  return command.addOption(
    new Option("--notifications-capability <id>", "the capability id sent in Octo-Capabilities")
      .choices(["notifications", "octo/notifications", "both"])
      .default("notifications")
      .env("OCTO_NOTIFICATIONS_CAPABILITY"),
  );
}

/** The subscription fields `create` takes (`--url` and `--type` required) and `update` (all optional). */
export function withSubscriptionFields(command: Command, required = true): Command {
  const url = new Option("--url <url>", "where notifications go");
  const type = new Option(
    "--type <types>",
    "BOOKING_UPDATE, AVAILABILITY_UPDATE, PRODUCT_UPDATE; comma-separated or repeated",
  ).argParser((value: string, previous: string[] = []) => [...previous, ...list(value)]);
  return command
    .addOption(required ? url.makeOptionMandatory() : url)
    .addOption(required ? type.makeOptionMandatory() : type)
    .option("--user <username>", "HTTP Basic credentials the supplier will send: username")
    .option("--pass <password>", "... and password (or OCTO_HOOK_PASS); encoded into the URL")
    .option("--retry-on-error", "the supplier retries non-2xx answers")
    .option("--no-retry-on-error", "the supplier does not retry")
    .option("--header <name=value>", "a header sent with every notification, repeatable", collectHeader)
    .option("--active", "the supplier delivers to it")
    .option("--no-active", "paused");
}

export function notificationsClientOf(options: NotificationConnectionOptions, io: Io): OctoClient {
  const base = webhooksClientOf(options, io); // checks --base-url and --api-key
  if (options.notificationsCapability === undefined || options.notificationsCapability === "notifications")
    return base;
  return createOctoClient({
    baseUrl: options.baseUrl as string,
    apiKey: options.apiKey as string,
    timeoutMs: options.timeout,
    retries: options.retries,
    notificationsCapability: options.notificationsCapability,
    ...(options.env ? { env: options.env } : {}),
    ...(options.capabilities ? { capabilities: options.capabilities } : {}),
    logger: {
      warn: (message) => io.err(io.e.dim(safeText(message.replace(/^\[@octo-webhooks\/client\] /, "")))),
    },
  });
}

export function subscriptionFields(options: SubscriptionFieldOptions): SubscriptionPatch {
  const patch: SubscriptionPatch = {};
  const url = urlWithCredentials(options);
  if (url !== undefined) patch.url = url;
  if (options.type !== undefined) patch.notificationTypes = options.type;
  if (options.retryOnError !== undefined) patch.retryOnError = options.retryOnError;
  if (options.header !== undefined) patch.headers = options.header;
  if (options.active !== undefined) patch.active = options.active;
  return patch;
}

/** `${NAME}` in the file's strings reads the environment variable NAME. */
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

/** The desired subscriptions: a JSON list (or `{ "subscriptions": [...] }`); `username`/`password` go into the URL. */
export function readDesiredSubscriptions(file: string): SubscriptionInput[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "it is not valid JSON";
    throw new CliError(`cannot read ${file}: ${reason}`);
  }
  const entries = Array.isArray(parsed)
    ? parsed
    : (parsed as { subscriptions?: unknown } | null)?.subscriptions;
  if (!Array.isArray(entries)) {
    throw new CliError(`${file} must hold a JSON list of subscriptions, or { "subscriptions": [...] }`);
  }
  return entries.map((entry, i) => {
    const where = `${file} [${i}]`;
    if (typeof entry !== "object" || entry === null) throw new CliError(`${where} must be an object`);
    const { username, password, ...input } = expand(entry, where) as SubscriptionInput & {
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
