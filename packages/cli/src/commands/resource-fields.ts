import { type SubscriptionPatch, type WebhookPatch, webhookUrl } from "@octo-webhooks/client";
import { type Command, Option } from "commander";
import { collectHeader, list } from "../options.ts";
import { CliError } from "../output.ts";

// The fields `create` and `update` of `webhooks` and `notifications` take, and what they send: the URL
// (with `--user`/`--pass` in it) both have, then each resource's own.

/** The options of `create` and `update` that make the URL. */
export interface UrlOptions {
  url?: string;
  user?: string;
  pass?: string;
}

/**
 * `--url` (`description`: where the supplier sends), then `next`, both required by `create`, then
 * `--user`/`--pass` that go into the URL.
 */
function withUrl(command: Command, required: boolean, description: string, next: Option): Command {
  const url = new Option("--url <url>", description);
  if (required) {
    url.makeOptionMandatory();
    next.makeOptionMandatory();
  }
  return command
    .addOption(url)
    .addOption(next)
    .option("--user <username>", "HTTP Basic credentials the supplier will send: username")
    .option("--pass <password>", "... and password (or OCTO_HOOK_PASS); encoded into the URL");
}

/**
 * `--url` with `--user`/`--pass` (or OCTO_HOOK_PASS) encoded into it, as `webhooks` and `notifications`
 * take them; `undefined` without `--url`. Credentials need both halves, and a URL to go into.
 */
function urlWithCredentials(options: UrlOptions): string | undefined {
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

/** `fields` without the ones left `undefined`. */
type Given<F> = { [K in keyof F]?: Exclude<F[K], undefined> };

/**
 * What `create` sends, or `update`'s patch, of a webhook or a subscription: the URL (credentials in
 * it), then each of the resource's `fields` whose option was given.
 */
function resourceFields<F extends object>(options: UrlOptions, fields: F): { url?: string } & Given<F> {
  const patch: Record<string, unknown> = {};
  const url = urlWithCredentials(options);
  if (url !== undefined) patch.url = url;
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) patch[name] = value;
  return patch as { url?: string } & Given<F>;
}

export interface WebhookFieldOptions extends UrlOptions {
  event?: string;
  retryOnError?: boolean;
  useContactLanguage?: boolean;
  header?: Record<string, string>;
  webhookCapabilities?: string[];
  active?: boolean;
}

/** The webhook fields `create` (`--url` and `--event` required) and `update` (all optional) take. */
export function withWebhookFields(command: Command, required: boolean): Command {
  const event = new Option(
    "--event <event>",
    "booking_update, availability_update, order_update, product_update...",
  );
  return withUrl(command, required, "where deliveries go", event)
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

export function webhookFields(options: WebhookFieldOptions): WebhookPatch {
  return resourceFields(options, {
    event: options.event,
    retryOnError: options.retryOnError,
    useContactLanguage: options.useContactLanguage,
    headers: options.header,
    capabilities: options.webhookCapabilities,
    active: options.active,
  });
}

export interface SubscriptionFieldOptions extends UrlOptions {
  type?: string[];
  retryOnError?: boolean;
  header?: Record<string, string>;
  active?: boolean;
}

/** The subscription fields `create` (`--url` and `--type` required) and `update` (all optional) take. */
export function withSubscriptionFields(command: Command, required: boolean): Command {
  const type = new Option(
    "--type <types>",
    "BOOKING_UPDATE, AVAILABILITY_UPDATE, PRODUCT_UPDATE; comma-separated or repeated",
  ).argParser((value: string, previous: string[] = []) => [...previous, ...list(value)]);
  return withUrl(command, required, "where notifications go", type)
    .option("--retry-on-error", "the supplier retries non-2xx answers")
    .option("--no-retry-on-error", "the supplier does not retry")
    .option("--header <name=value>", "a header sent with every notification, repeatable", collectHeader)
    .option("--active", "the supplier delivers to it")
    .option("--no-active", "paused");
}

export function subscriptionFields(options: SubscriptionFieldOptions): SubscriptionPatch {
  return resourceFields(options, {
    notificationTypes: options.type,
    retryOnError: options.retryOnError,
    headers: options.header,
    active: options.active,
  });
}
