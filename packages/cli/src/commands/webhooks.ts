import { Command } from "commander";
import type { Io } from "../output.ts";
import { withConnection } from "./connection.ts";
import { resourceCommands } from "./resource-commands.ts";
import { webhookFields, withWebhookFields } from "./resource-fields.ts";
import { printSync, printWebhooks } from "./resource-output.ts";

// `octo-webhooks webhooks list|create|update|delete|sync`: the supplier's webhooks.

export function webhooksCommand(io: Io): Command {
  const webhooks = new Command("webhooks")
    .description("manage webhook subscriptions on a supplier (OCTO_BASE_URL, OCTO_API_KEY)")
    .addHelpText(
      "after",
      "\nExamples:\n  export OCTO_BASE_URL=https://api.ventrata.com/octo OCTO_API_KEY=...\n  octo-webhooks webhooks list\n  octo-webhooks webhooks create --event booking_update --url https://shop.example/hooks --user octo --pass s3cret\n  octo-webhooks webhooks sync webhooks.json --dry-run",
    );
  return resourceCommands(
    webhooks,
    {
      one: "webhook",
      many: "webhooks",
      api: (client) => client.webhooks,
      connected: withConnection,
      withFields: withWebhookFields,
      fields: webhookFields,
      print: printWebhooks,
      printSync,
      text: {
        update: "change a webhook (PATCH; newer suppliers)",
        nothingToChange: "nothing to change: give --url, --event, --header...",
        sync: "make the supplier's webhooks exactly those of a JSON file (running it twice changes nothing)",
        syncFile:
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the sync file's own ${VAR} syntax
          'a JSON list of { "event", "url", "username"?, "password"?, "retryOnError"?, "headers"? }; ${VAR} reads the environment',
      },
    },
    io,
  );
}
