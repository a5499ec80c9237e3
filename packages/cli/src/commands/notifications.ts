import {
  type RegisteredSubscription,
  redactUrl,
  type SubscriptionInput,
  type SubscriptionPlan,
  type SubscriptionSyncResult,
} from "@octo-webhooks/client";
import { Command, Option } from "commander";
import { CliError, type Io, table } from "../output.ts";
import { safeJson, safeText } from "../safe-text.ts";
import {
  type NotificationConnectionOptions,
  notificationsClientOf,
  readDesiredSubscriptions,
  type SubscriptionFieldOptions,
  subscriptionFields,
  withCapability,
  withSubscriptionFields,
} from "./notifications-options.ts";
import { withConnection } from "./webhooks-options.ts";

// `octo-webhooks notifications list|get|create|update|delete|sync`: the supplier's OCTO notification subscriptions,
// with the same connection flags and output as `webhooks`.

const connected = (command: Command) => withCapability(withConnection(command));

/** A subscription safe to print: URL credentials and header values hidden unless `--show-secrets`. */
function shown(subscription: RegisteredSubscription, options: NotificationConnectionOptions) {
  if (options.showSecrets) return subscription;
  return {
    ...subscription,
    url: typeof subscription.url === "string" ? redactUrl(subscription.url) : subscription.url,
    headers: Object.fromEntries(Object.keys(subscription.headers).map((k) => [k, "***"])),
  };
}

function printSubscriptions(list: RegisteredSubscription[], options: NotificationConnectionOptions, io: Io) {
  if (options.json) return io.out(safeJson(list.map((s) => shown(s, options))));
  if (list.length === 0) return io.out(io.c.dim("no notification subscriptions"));
  const [head, ...body] = table([
    ["ID", "TYPES", "URL", "ACTIVE", "HEADERS"],
    ...list.map((subscription) => {
      const s = shown(subscription, options);
      return [
        safeText(s.id),
        safeText(s.notificationTypes.join(",")),
        safeText(s.url ?? ""),
        s.active === false ? "no" : "yes",
        safeText(Object.keys(s.headers).join(",")) || "-",
      ];
    }),
  ]);
  io.out(io.c.bold(head as string));
  for (const line of body) io.out(line);
}

function printSync(
  result: SubscriptionPlan | SubscriptionSyncResult,
  dryRun: boolean,
  options: NotificationConnectionOptions,
  io: Io,
) {
  type Row = [string, { notificationTypes: readonly string[]; url?: string | null }, string];
  const rows: Row[] =
    "created" in result
      ? [
          ...result.created.map((s): Row => ["create", s, `id ${s.id}`]),
          ...result.updated.map((u): Row => ["update", u.subscription, `${u.changes.join(", ")} (${u.via})`]),
          ...result.deleted.map((s): Row => ["delete", s, `id ${s.id}`]),
          ...result.kept.map((s): Row => ["keep", s, `id ${s.id}`]),
        ]
      : [
          ...result.create.map((s): Row => ["create", s, ""]),
          ...result.update.map((u): Row => ["update", u.desired, u.changes.join(", ")]),
          ...result.delete.map((d): Row => ["delete", d.subscription, d.reason]),
          ...result.keep.map((s): Row => ["keep", s, `id ${s.id}`]),
        ];
  const lines = rows.map(([action, s, detail]) => ({
    action: dryRun ? `would ${action}` : `${action === "keep" ? "kept" : `${action.replace(/e$/, "")}ed`}`,
    types: safeText(s.notificationTypes.map((t) => t.toUpperCase()).join(",")),
    url: safeText(options.showSecrets ? String(s.url) : redactUrl(String(s.url))),
    detail: safeText(detail),
  }));
  const changed = rows.some(([action]) => action !== "keep");
  if (options.json) return io.out(safeJson({ dryRun, changed, actions: lines }));
  for (const line of table(lines.map((l) => [l.action, l.types, l.url, l.detail]))) io.out(line);
  io.out(io.c.dim(changed ? (dryRun ? "would change: yes" : "changed: yes") : "everything is in line"));
}

export function notificationsCommand(io: Io): Command {
  const notifications = new Command("notifications")
    .description("manage OCTO notification subscriptions on a supplier (OCTO_BASE_URL, OCTO_API_KEY)")
    .addHelpText(
      "after",
      "\nExamples:\n  octo-webhooks notifications list\n  octo-webhooks notifications create --type BOOKING_UPDATE,PRODUCT_UPDATE --url https://shop.example/webhooks/octo --user octo --pass s3cret\n  octo-webhooks notifications update 42 --no-active\n  octo-webhooks notifications sync subscriptions.json --dry-run",
    );
  notifications.addCommand(
    connected(new Command("list").description("list the subscriptions")).action(
      async (options: NotificationConnectionOptions) => {
        printSubscriptions(await notificationsClientOf(options, io).notifications.list(), options, io);
      },
    ),
  );
  notifications.addCommand(
    withSubscriptionFields(connected(new Command("create").description("create a subscription"))).action(
      async (options: NotificationConnectionOptions & SubscriptionFieldOptions) => {
        const input = subscriptionFields(options) as SubscriptionInput;
        const created = await notificationsClientOf(options, io).notifications.create(input);
        printSubscriptions([created], options, io);
      },
    ),
  );
  notifications.addCommand(
    connected(new Command("get").description("show one subscription"))
      .argument("<id>", "the subscription's id")
      .action(async (id: string, options: NotificationConnectionOptions) => {
        printSubscriptions([await notificationsClientOf(options, io).notifications.get(id)], options, io);
      }),
  );
  notifications.addCommand(
    withSubscriptionFields(
      connected(new Command("update").description("change a subscription (PATCH): only the fields given")),
      false,
    )
      .argument("<id>", "the subscription's id")
      .action(async (id: string, options: NotificationConnectionOptions & SubscriptionFieldOptions) => {
        const patch = subscriptionFields(options);
        if (Object.keys(patch).length === 0) {
          throw new CliError("nothing to change: give --url, --type, --header, --active or --no-active...");
        }
        const updated = await notificationsClientOf(options, io).notifications.update(id, patch);
        printSubscriptions([updated], options, io);
      }),
  );
  notifications.addCommand(
    connected(new Command("delete").description("delete a subscription"))
      .argument("<id>", "the subscription's id")
      .action(async (id: string, options: NotificationConnectionOptions) => {
        await notificationsClientOf(options, io).notifications.delete(id);
        io.out(options.json ? safeJson({ deleted: id }) : `deleted ${safeText(id)}`);
      }),
  );
  notifications.addCommand(
    connected(
      new Command("sync")
        .description("make the supplier's subscriptions exactly those of a JSON file (twice changes nothing)")
        .argument(
          "<file>",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the sync file's own ${VAR} syntax
          'a JSON list of { "url", "notificationTypes", "username"?, "password"?, "headers"?, "active"? }; ${VAR} reads the environment',
        )
        .option("--dry-run", "print what would change, change nothing")
        .option("--no-prune", "keep subscriptions that are not in the file")
        .addOption(
          new Option("--update <how>", "how changed subscriptions are updated")
            .choices(["auto", "patch", "recreate"])
            .default("auto"),
        ),
    ).action(
      async (
        file: string,
        options: NotificationConnectionOptions & {
          dryRun?: boolean;
          prune: boolean;
          update: "auto" | "patch" | "recreate";
        },
      ) => {
        const desired = readDesiredSubscriptions(file);
        const api = notificationsClientOf(options, io).notifications;
        if (options.dryRun) {
          return printSync(await api.plan(desired, { prune: options.prune }), true, options, io);
        }
        printSync(
          await api.sync(desired, { prune: options.prune, update: options.update }),
          false,
          options,
          io,
        );
      },
    ),
  );
  return notifications;
}
