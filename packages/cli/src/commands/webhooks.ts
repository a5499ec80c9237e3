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

function printSync(result: SyncResult | SyncPlan, dryRun: boolean, options: ConnectionOptions, io: Io): void {
  const { c } = io;
  const lines: Array<[string, string, string, string]> = [];
  const describe = (w: { event: string; url?: string | null | undefined }) =>
    [String(w.event), options.showSecrets ? String(w.url) : redactUrl(String(w.url))] as const;
  const counts = { created: 0, updated: 0, deleted: 0, kept: 0 };
  if ("created" in result) {
    for (const w of result.created) lines.push(["created", ...describe(w), `id ${w.id}`]);
    for (const u of result.updated)
      lines.push(["updated", ...describe(u.webhook), `${u.changes.join(", ")} (${u.via})`]);
    for (const w of result.deleted) lines.push(["deleted", ...describe(w), `id ${w.id}`]);
    for (const w of result.kept) lines.push(["kept", ...describe(w), `id ${w.id}`]);
    Object.assign(counts, {
      created: result.created.length,
      updated: result.updated.length,
      deleted: result.deleted.length,
      kept: result.kept.length,
    });
  } else {
    for (const w of result.create) lines.push(["would create", ...describe(w), ""]);
    for (const u of result.update) lines.push(["would update", ...describe(u.webhook), u.changes.join(", ")]);
    for (const d of result.delete) lines.push(["would delete", ...describe(d.webhook), d.reason]);
    for (const w of result.keep) lines.push(["would keep", ...describe(w), `id ${w.id}`]);
    Object.assign(counts, {
      created: result.create.length,
      updated: result.update.length,
      deleted: result.delete.length,
      kept: result.keep.length,
    });
  }
  if (options.json) {
    io.out(
      JSON.stringify(
        {
          dryRun,
          ...counts,
          actions: lines.map(([action, event, url, detail]) => ({ action, event, url, detail })),
        },
        null,
        2,
      ),
    );
    return;
  }
  const colour = (action: string) =>
    action.endsWith("kept") || action.endsWith("keep")
      ? c.dim(action)
      : action.includes("delete")
        ? c.red(action)
        : c.green(action);
  table(lines.map((line) => [...line])).forEach((row, i) => {
    const action = lines[i]?.[0] ?? "";
    io.out(colour(action) + row.slice(action.length));
  });
  const verb = dryRun ? "would be " : "";
  io.out(
    `${counts.created} ${verb}created, ${counts.updated} ${verb}updated, ${counts.deleted} ${verb}deleted, ${counts.kept} ${verb}kept`,
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
