import { Command } from "commander";
import type { Io } from "../output.ts";
import { withCapability, withConnection } from "./connection.ts";
import { resourceCommands } from "./resource-commands.ts";
import { subscriptionFields, withSubscriptionFields } from "./resource-fields.ts";
import { printSubscriptionSync, printSubscriptions } from "./resource-output.ts";

// `octo-webhooks notifications list|get|create|update|delete|sync`: the supplier's OCTO notification
// subscriptions, with the same connection flags and output as `webhooks`.

export function notificationsCommand(io: Io): Command {
  const notifications = new Command("notifications")
    .description("manage OCTO notification subscriptions on a supplier (OCTO_BASE_URL, OCTO_API_KEY)")
    .addHelpText(
      "after",
      "\nExamples:\n  octo-webhooks notifications list\n  octo-webhooks notifications create --type BOOKING_UPDATE,PRODUCT_UPDATE --url https://shop.example/webhooks/octo --user octo --pass s3cret\n  octo-webhooks notifications update 42 --no-active\n  octo-webhooks notifications sync subscriptions.json --dry-run",
    );
  return resourceCommands(
    notifications,
    {
      one: "subscription",
      many: "subscriptions",
      api: (client) => client.notifications,
      get: (client, id) => client.notifications.get(id),
      connected: (command) => withCapability(withConnection(command)),
      withFields: withSubscriptionFields,
      fields: subscriptionFields,
      print: printSubscriptions,
      printSync: printSubscriptionSync,
      text: {
        update: "change a subscription (PATCH): only the fields given",
        nothingToChange: "nothing to change: give --url, --type, --header, --active or --no-active...",
        sync: "make the supplier's subscriptions exactly those of a JSON file (twice changes nothing)",
        syncFile:
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the sync file's own ${VAR} syntax
          'a JSON list of { "url", "notificationTypes", "username"?, "password"?, "headers"?, "active"? }; ${VAR} reads the environment',
      },
    },
    io,
  );
}
