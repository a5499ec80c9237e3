import { readFileSync } from "node:fs";
import {
  createOctoClient,
  type OctoClient,
  type RegisteredWebhook,
  redactUrl,
  type SyncPlan,
  type SyncResult,
  type WebhookInput,
  type WebhookPatch,
  webhookUrl,
} from "@octo-webhooks/client";
import { Command, Option } from "commander";
import { collectHeader, integer, list } from "../options.ts";
import { CliError, type Io, table } from "../output.ts";

interface ConnectionOptions {
  baseUrl?: string;
  apiKey?: string;
  env?: "test" | "live";
  capabilities?: string[];
  timeout: number;
  retries: number;
  json?: boolean;
  showSecrets?: boolean;
}

interface WebhookFieldOptions {
  url?: string;
  event?: string;
  user?: string;
  pass?: string;
  retryOnError?: boolean;
  useContactLanguage?: boolean;
  header?: Record<string, string>;
}

/** The options every `webhooks` subcommand shares. */
function withConnection(command: Command): Command {
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
function withWebhookFields(command: Command, required: boolean): Command {
  const url = new Option("--url <url>", "where deliveries go");
  const event = new Option("--event <event>", "booking_update, availability_update...");
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
    .option("--header <name=value>", "a header sent with every delivery, repeatable", collectHeader);
}

function clientOf(options: ConnectionOptions, io: Io): OctoClient {
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
    logger: { warn: (message) => io.err(io.e.dim(message.replace(/^\[@octo-webhooks\/client\] /, ""))) },
  });
}

function fields(options: WebhookFieldOptions): WebhookPatch {
  const password = options.pass ?? (options.user !== undefined ? process.env.OCTO_HOOK_PASS : undefined);
  if ((options.user === undefined) !== (password === undefined)) {
    throw new CliError("give both --user and --pass (or neither)");
  }
  const patch: WebhookPatch = {};
  if (options.url !== undefined) {
    patch.url =
      options.user !== undefined && password !== undefined
        ? webhookUrl(options.url, { username: options.user, password })
        : options.url;
  } else if (options.user !== undefined) {
    throw new CliError("--user and --pass need --url (credentials are part of the URL)");
  }
  if (options.event !== undefined) patch.event = options.event;
  if (options.retryOnError !== undefined) patch.retryOnError = options.retryOnError;
  if (options.useContactLanguage !== undefined) patch.useContactLanguage = options.useContactLanguage;
  if (options.header !== undefined) patch.headers = options.header;
  return patch;
}

/** A webhook safe to print: URL credentials and header values hidden unless `--show-secrets`. */
function shown(webhook: RegisteredWebhook, options: ConnectionOptions): RegisteredWebhook {
  if (options.showSecrets) return webhook;
  const copy = { ...webhook };
  if (typeof copy.url === "string") copy.url = redactUrl(copy.url);
  if (copy.headers) copy.headers = Object.fromEntries(Object.keys(copy.headers).map((k) => [k, "***"]));
  return copy;
}

function printWebhooks(webhooks: RegisteredWebhook[], options: ConnectionOptions, io: Io): void {
  if (options.json) {
    io.out(
      JSON.stringify(
        webhooks.map((w) => shown(w, options)),
        null,
        2,
      ),
    );
    return;
  }
  if (webhooks.length === 0) {
    io.out(io.c.dim("no webhooks"));
    return;
  }
  const rows = webhooks.map((w) => {
    const s = shown(w, options);
    return [
      s.id,
      String(s.event),
      String(s.url ?? ""),
      s.retryOnError === false ? "no" : "yes",
      Object.keys(s.headers ?? {}).join(",") || "-",
    ];
  });
  const [head, ...body] = table([["ID", "EVENT", "URL", "RETRY", "HEADERS"], ...rows]);
  io.out(io.c.bold(head as string));
  for (const line of body) io.out(line);
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
function readDesired(file: string): WebhookInput[] {
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

type SyncAction = "create" | "update" | "delete" | "keep";
const DONE: Record<SyncAction, string> = {
  create: "created",
  update: "updated",
  delete: "deleted",
  keep: "kept",
};

/** One row per webhook a sync touched (or would touch): action, webhook, detail. */
function syncRows(result: SyncResult | SyncPlan) {
  type Row = [SyncAction, { event: string; url?: string | null | undefined }, string];
  if ("created" in result) {
    return [
      ...result.created.map((w): Row => ["create", w, `id ${w.id}`]),
      ...result.updated.map((u): Row => ["update", u.webhook, `${u.changes.join(", ")} (${u.via})`]),
      ...result.deleted.map((w): Row => ["delete", w, `id ${w.id}`]),
      ...result.kept.map((w): Row => ["keep", w, `id ${w.id}`]),
    ];
  }
  return [
    ...result.create.map((w): Row => ["create", w, ""]),
    ...result.update.map((u): Row => ["update", u.webhook, u.changes.join(", ")]),
    ...result.delete.map((d): Row => ["delete", d.webhook, d.reason]),
    ...result.keep.map((w): Row => ["keep", w, `id ${w.id}`]),
  ];
}

function printSync(result: SyncResult | SyncPlan, dryRun: boolean, options: ConnectionOptions, io: Io): void {
  const rows = syncRows(result).map(([action, webhook, detail]) => ({
    action,
    label: dryRun ? `would ${action}` : DONE[action],
    event: String(webhook.event),
    url: options.showSecrets ? String(webhook.url) : redactUrl(String(webhook.url)),
    detail,
  }));
  const count = (action: SyncAction) => rows.filter((r) => r.action === action).length;
  const counts = {
    created: count("create"),
    updated: count("update"),
    deleted: count("delete"),
    kept: count("keep"),
  };
  if (options.json) {
    const actions = rows.map(({ label, event, url, detail }) => ({ action: label, event, url, detail }));
    io.out(JSON.stringify({ dryRun, ...counts, actions }, null, 2));
    return;
  }
  const { c } = io;
  const colour = { create: c.green, update: c.green, delete: c.red, keep: c.dim };
  table(rows.map((r) => [r.label, r.event, r.url, r.detail])).forEach((line, i) => {
    const row = rows[i] as (typeof rows)[number];
    io.out(colour[row.action](row.label) + line.slice(row.label.length));
  });
  const verb = dryRun ? "would be " : "";
  io.out(
    Object.entries(counts)
      .map(([name, n]) => `${n} ${verb}${name}`)
      .join(", "),
  );
}

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
        io.out(options.json ? JSON.stringify({ deleted: id }) : `deleted ${id}`);
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
