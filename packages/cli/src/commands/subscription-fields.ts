import type { SubscriptionPatch } from "@octo-webhooks/client";
import { type Command, Option } from "commander";
import { collectHeader, list } from "../options.ts";
import { resourceFields, type UrlOptions, withUrl } from "./resource-fields.ts";

// The subscription fields `notifications create` and `notifications update` take, and what they send.

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
