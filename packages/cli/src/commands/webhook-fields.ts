import type { WebhookPatch } from "@octo-webhooks/client";
import { type Command, Option } from "commander";
import { collectHeader, list } from "../options.ts";
import { resourceFields, type UrlOptions, withUrl } from "./resource-fields.ts";

// The webhook fields `webhooks create` and `webhooks update` take, and what they send.

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
