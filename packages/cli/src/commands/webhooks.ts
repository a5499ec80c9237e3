import type { WebhookInput } from "@octo-webhooks/client";
import { Command, Option } from "commander";
import { CliError, type Io } from "../output.ts";
import { safeJson, safeText } from "../safe-text.ts";
import {
  type ConnectionOptions,
  clientOf,
  fields,
  readDesired,
  type WebhookFieldOptions,
  withConnection,
  withWebhookFields,
} from "./webhooks-options.ts";
import { printSync, printWebhooks } from "./webhooks-output.ts";

export function webhooksCommand(io: Io): Command {
  const webhooks = new Command("webhooks")
    .description("manage webhook subscriptions on a supplier (OCTO_BASE_URL, OCTO_API_KEY)")
    .addHelpText(
      "after",
      "\nExamples:\n  export OCTO_BASE_URL=https://api.ventrata.com/octo OCTO_API_KEY=...\n  octo-webhooks webhooks list\n  octo-webhooks webhooks create --event booking_update --url https://shop.example/hooks --user octo --pass s3cret\n  octo-webhooks webhooks sync webhooks.json --dry-run",
    );

  webhooks.addCommand(
    withConnection(new Command("list").description("list the webhooks")).action(
      async (options: ConnectionOptions) => {
        printWebhooks(await clientOf(options, io).webhooks.list(), options, io);
      },
    ),
  );

  webhooks.addCommand(
    withWebhookFields(withConnection(new Command("create").description("create a webhook")), true).action(
      async (options: ConnectionOptions & WebhookFieldOptions) => {
        const input = fields(options) as WebhookInput;
        printWebhooks([await clientOf(options, io).webhooks.create(input)], options, io);
      },
    ),
  );

  webhooks.addCommand(
    withWebhookFields(
      withConnection(new Command("update").description("change a webhook (PATCH; newer suppliers)")),
      false,
    )
      .argument("<id>", "the webhook's id")
      .action(async (id: string, options: ConnectionOptions & WebhookFieldOptions) => {
        const patch = fields(options);
        if (Object.keys(patch).length === 0)
          throw new CliError("nothing to change: give --url, --event, --header...");
        printWebhooks([await clientOf(options, io).webhooks.update(id, patch)], options, io);
      }),
  );

  webhooks.addCommand(
    withConnection(new Command("delete").description("delete a webhook"))
      .argument("<id>", "the webhook's id")
      .action(async (id: string, options: ConnectionOptions) => {
        await clientOf(options, io).webhooks.delete(id);
        io.out(options.json ? safeJson({ deleted: id }) : `deleted ${safeText(id)}`);
      }),
  );

  webhooks.addCommand(
    withConnection(
      new Command("sync")
        .description(
          "make the supplier's webhooks exactly those of a JSON file (running it twice changes nothing)",
        )
        .argument(
          "<file>",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the sync file's own ${VAR} syntax
          'a JSON list of { "event", "url", "username"?, "password"?, "retryOnError"?, "headers"? }; ${VAR} reads the environment',
        )
        .option("--dry-run", "print what would change, change nothing")
        .option("--no-prune", "keep webhooks that are not in the file")
        .addOption(
          new Option("--update <how>", "how changed webhooks are updated")
            .choices(["auto", "patch", "recreate"])
            .default("auto"),
        ),
    ).action(
      async (
        file: string,
        options: ConnectionOptions & {
          dryRun?: boolean;
          prune: boolean;
          update: "auto" | "patch" | "recreate";
        },
      ) => {
        const desired = readDesired(file);
        const client = clientOf(options, io);
        if (options.dryRun)
          return printSync(await client.webhooks.plan(desired, { prune: options.prune }), true, options, io);
        printSync(
          await client.webhooks.sync(desired, { prune: options.prune, update: options.update }),
          false,
          options,
          io,
        );
      },
    ),
  );
  return webhooks;
}
