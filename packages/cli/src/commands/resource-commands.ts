import { readFileSync } from "node:fs";
import { type OctoClient, webhookUrl } from "@octo-webhooks/client";
import { Command, Option } from "commander";
import { CliError, type Io } from "../output.ts";
import { safeJson, safeText } from "../safe-text.ts";
import { type ConnectionOptions, clientOf } from "./connection.ts";

// The subcommands `webhooks` and `notifications` share: list, create, (get,) update, delete and sync of
// one resource of the supplier's management API, told apart by a `Resource`; and the file `sync` reads.

type UpdateHow = "auto" | "patch" | "recreate";

interface SyncCliOptions extends ConnectionOptions {
  dryRun?: boolean;
  prune: boolean;
  update: UpdateHow;
}

/** The calls of one resource (`client.webhooks`, `client.notifications`) the subcommands make. */
interface ResourceApi<Registered, Input, Plan, Result> {
  list(): Promise<Registered[]>;
  create(input: Input): Promise<Registered>;
  update(id: string, patch: Partial<Input>): Promise<Registered>;
  delete(id: string): Promise<void>;
  plan(desired: Input[], options: { prune: boolean }): Promise<Plan>;
  sync(desired: Input[], options: { prune: boolean; update: UpdateHow }): Promise<Result>;
}

/** What the subcommands of one resource need of it. */
export interface Resource<Registered, Input extends { url: string }, Plan, Result, FieldOptions> {
  /** `webhook`: in the descriptions. */
  one: string;
  /** `webhooks`: in the descriptions, and the key of the sync file's `{ "webhooks": [...] }`. */
  many: "webhooks" | "subscriptions";
  api(client: OctoClient): ResourceApi<Registered, Input, Plan, Result>;
  /** `get <id>`, for a resource that has it. */
  get?: (client: OctoClient, id: string) => Promise<Registered>;
  /** The connection options every subcommand takes. */
  connected(command: Command): Command;
  /** The field options of `create` (`required`) and `update`. */
  withFields(command: Command, required: boolean): Command;
  fields(options: FieldOptions): Partial<Input>;
  print(list: Registered[], options: ConnectionOptions, io: Io): void;
  printSync(result: Plan | Result, dryRun: boolean, options: ConnectionOptions, io: Io): void;
  /** The texts that are not the same but for the resource's name. */
  text: {
    update: string;
    /** The failure of an `update` without a field. */
    nothingToChange: string;
    sync: string;
    syncFile: string;
  };
}

/** Adds `list`, `create`, `get` (where there is one), `update`, `delete` and `sync` of `resource` to `parent`. */
export function resourceCommands<Registered, Input extends { url: string }, Plan, Result, FieldOptions>(
  parent: Command,
  resource: Resource<Registered, Input, Plan, Result, FieldOptions>,
  io: Io,
): Command {
  const { one, many, connected, text } = resource;
  const api = (options: ConnectionOptions) => resource.api(clientOf(options, io));
  const show = (list: Registered[], options: ConnectionOptions) => resource.print(list, options, io);

  parent.addCommand(
    connected(new Command("list").description(`list the ${many}`)).action(
      async (options: ConnectionOptions) => {
        show(await api(options).list(), options);
      },
    ),
  );
  parent.addCommand(
    resource
      .withFields(connected(new Command("create").description(`create a ${one}`)), true)
      .action(async (options: ConnectionOptions & FieldOptions) => {
        const input = resource.fields(options) as Input;
        show([await api(options).create(input)], options);
      }),
  );
  const { get } = resource;
  if (get !== undefined) {
    parent.addCommand(
      connected(new Command("get").description(`show one ${one}`))
        .argument("<id>", `the ${one}'s id`)
        .action(async (id: string, options: ConnectionOptions) => {
          show([await get(clientOf(options, io), id)], options);
        }),
    );
  }
  parent.addCommand(
    resource
      .withFields(connected(new Command("update").description(text.update)), false)
      .argument("<id>", `the ${one}'s id`)
      .action(async (id: string, options: ConnectionOptions & FieldOptions) => {
        const patch = resource.fields(options);
        if (Object.keys(patch).length === 0) throw new CliError(text.nothingToChange);
        show([await api(options).update(id, patch)], options);
      }),
  );
  parent.addCommand(
    connected(new Command("delete").description(`delete a ${one}`))
      .argument("<id>", `the ${one}'s id`)
      .action(async (id: string, options: ConnectionOptions) => {
        await api(options).delete(id);
        io.out(options.json ? safeJson({ deleted: id }) : `deleted ${safeText(id)}`);
      }),
  );
  parent.addCommand(
    connected(
      new Command("sync")
        .description(text.sync)
        .argument("<file>", text.syncFile)
        .option("--dry-run", "print what would change, change nothing")
        .option("--no-prune", `keep ${many} that are not in the file`)
        .addOption(
          new Option("--update <how>", `how changed ${many} are updated`)
            .choices(["auto", "patch", "recreate"])
            .default("auto"),
        ),
    ).action(async (file: string, options: SyncCliOptions) => {
      const desired = readDesired<Input>(file, many);
      const calls = api(options);
      if (options.dryRun) {
        return resource.printSync(await calls.plan(desired, { prune: options.prune }), true, options, io);
      }
      resource.printSync(
        await calls.sync(desired, { prune: options.prune, update: options.update }),
        false,
        options,
        io,
      );
    }),
  );
  return parent;
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

/**
 * Reads the desired webhooks or subscriptions of a `sync`: a JSON list (or `{ "<key>": [...] }`), each
 * entry's `${NAME}`s expanded; its `username`/`password` go into the URL.
 */
function readDesired<T extends { url: string }>(file: string, key: "webhooks" | "subscriptions"): T[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "it is not valid JSON";
    throw new CliError(`cannot read ${file}: ${reason}`);
  }
  const entries = Array.isArray(parsed) ? parsed : (parsed as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(entries)) {
    throw new CliError(`${file} must hold a JSON list of ${key}, or { "${key}": [...] }`);
  }
  return entries.map((entry, i) => {
    const where = `${file} [${i}]`;
    if (typeof entry !== "object" || entry === null) throw new CliError(`${where} must be an object`);
    const { username, password, ...input } = expand(entry, where) as T & {
      username?: string;
      password?: string;
    };
    if (username === undefined && password === undefined) return input as T;
    if (typeof username !== "string" || typeof password !== "string") {
      throw new CliError(`${where}: give both "username" and "password" (or neither)`);
    }
    return { ...input, url: webhookUrl(input.url, { username, password }) } as T;
  });
}
