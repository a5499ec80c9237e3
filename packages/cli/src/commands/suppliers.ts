// `octo-webhooks sync` and `octo-webhooks status`: every supplier of the config at once. The config is
// `octo-webhooks.config.ts` (or .mts, .js, .mjs, .json), loaded with jiti, which compiles TypeScript
// configs on the fly on Node 20 without a build step; in memory only: jiti's file cache
// (`<tmpdir>/jiti`) is shared by every user of the machine, and a compiled config read back from there
// would run whatever another user put in it, with this user's API keys in its env.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import {
  type SupplierStatusRow,
  type SuppliersConfig,
  supplierStatus,
  syncSuppliers,
} from "@octo-webhooks/client";
import { Command } from "commander";
import { CliError, type Io, table } from "../output.ts";
import { safeJson, safeText } from "../safe-text.ts";

const NAMES = ["ts", "mts", "js", "mjs", "json"].map((ext) => `octo-webhooks.config.${ext}`);

/** The config file given, or the first `octo-webhooks.config.*` in the working directory. */
function configPath(given: string | undefined): string {
  if (given !== undefined) {
    const path = resolve(given);
    if (!existsSync(path)) throw new CliError(`no config file at ${given}`);
    return path;
  }
  const found = NAMES.map((name) => resolve(name)).find((path) => existsSync(path));
  if (found === undefined) {
    throw new CliError(`no ${NAMES[0]} (or .json) here: create one, or give --config <file>`);
  }
  return found;
}

/** Loads the config (its default export); a file that does not load is one clear line. */
export async function loadSuppliersConfig(given: string | undefined): Promise<SuppliersConfig> {
  const path = configPath(given);
  try {
    // loaded when a config is, so that other commands start without it
    const { createJiti } = await import("jiti");
    const jiti = createJiti(import.meta.url, { fsCache: false, moduleCache: false });
    return (await jiti.import(path, { default: true })) as SuppliersConfig;
  } catch (error) {
    throw new CliError(
      `cannot load ${path}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
    );
  }
}

export interface SuppliersCliOptions {
  config?: string;
  supplier?: string[];
  json?: boolean;
}

/** Exit codes of `sync`: 0 nothing to change, 1 a supplier failed, 3 something changed (or would). */
export const SYNC_EXIT = { inLine: 0, failed: 1, changed: 3 } as const;

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `--config`, `--supplier` and `--json`: the options of every command that reads the config. */
export function configOptions(command: Command): Command {
  return command
    .option(
      "--config <file>",
      "the config file (default: ./octo-webhooks.config.ts, .mts, .js, .mjs or .json)",
    )
    .option("--supplier <id>", "only this supplier (repeatable)", collect)
    .option("--json", "print JSON");
}

/** One line on stderr per supplier that failed, naming it and why. */
export function printFailures(failures: Array<{ supplier: string; error: string }>, io: Io): void {
  for (const { supplier, error } of failures) {
    io.err(io.e.red(`octo-webhooks: supplier ${safeText(supplier)} failed: ${safeText(error)}`));
  }
}

/** The last line of `sync`: never "in line" when a supplier could not be synced. */
function summaryOf(result: { changed: boolean; failed: string[] }, dryRun: boolean): string {
  const verb = dryRun ? "would change" : "changed";
  if (result.failed.length > 0) {
    const which = result.failed.map(safeText).join(", ");
    return `not in line: ${result.failed.length} supplier${result.failed.length === 1 ? "" : "s"} failed (${which})${result.changed ? `; ${verb} the others: yes` : ""}`;
  }
  return result.changed ? `${verb}: yes` : "everything is in line";
}

export function syncCommand(io: Io): Command {
  return configOptions(
    new Command("sync")
      .description(
        "register the receiver's webhooks at every supplier of the config: create, update, delete, keep (twice changes nothing)",
      )
      .option("--dry-run", "print the plan, change nothing")
      .option(
        "--rotate",
        "register each supplier's next password (hook.nextPasswordEnv) and drop the current one's",
      ),
  )
    .addHelpText(
      "after",
      "\nExit code: 0 nothing to change, 3 something changed (or would, with --dry-run), 1 a supplier failed\n(the others are still synced), 2 a usage error.",
    )
    .action(async (options: SuppliersCliOptions & { dryRun?: boolean; rotate?: boolean }) => {
      const config = await loadSuppliersConfig(options.config);
      const result = await syncSuppliers(config, {
        dryRun: options.dryRun === true,
        rotate: options.rotate === true,
        ...(options.supplier ? { only: options.supplier } : {}),
      });
      const rows = result.outcomes.flatMap((o) => (o.ok ? o.rows : []));
      const failures = result.outcomes.flatMap((o) => (o.ok ? [] : [o]));
      if (options.json) io.out(safeJson(result));
      else {
        const [head, ...body] = table([
          ["SUPPLIER", "EVENT", "ACTION", "WEBHOOK", "URL"],
          ...rows.map((r) => [r.supplier, r.event, r.action, r.webhookId ?? "-", r.url].map(safeText)),
          ...failures.map((f) => [f.supplier, "-", "failed", "-", safeText(f.error)]),
        ]);
        io.out(io.c.bold(head as string));
        for (const line of body) io.out(line);
        io.out(io.c.dim(summaryOf(result, options.dryRun === true)));
      }
      printFailures(failures, io);
      const code =
        result.failed.length > 0 ? SYNC_EXIT.failed : result.changed ? SYNC_EXIT.changed : SYNC_EXIT.inLine;
      if (code !== 0) throw new CliError("", code);
    });
}

/** The STATE of a status row: `ok`, `UNKNOWN URL`, or what drifted (`drifted: password`), never a value. */
function stateOf(row: SupplierStatusRow): string {
  if (!row.known) return "UNKNOWN URL";
  return row.drifted.length === 0 ? "ok" : `drifted: ${row.drifted.map(safeText).join(", ")}`;
}

export function statusCommand(io: Io): Command {
  return configOptions(
    new Command("status").description(
      "list what each supplier of the config has registered; flag registrations pointing at URLs the config does not know, and those whose credentials drifted from the config's",
    ),
  )
    .addHelpText(
      "after",
      "\nExit code: 0, or 1 when a supplier could not be asked, has unknown registrations, or has\nregistrations whose credentials differ from the config's (drifted: password; `sync` repairs them).",
    )
    .action(async (options: SuppliersCliOptions) => {
      const config = await loadSuppliersConfig(options.config);
      const outcomes = await supplierStatus(config, options.supplier ? { only: options.supplier } : {});
      const rows = outcomes.flatMap((o) => (o.ok ? o.rows : []));
      const failures = outcomes.flatMap((o) => (o.ok ? [] : [o]));
      if (options.json) io.out(safeJson(outcomes));
      else {
        const [head, ...body] = table([
          ["SUPPLIER", "EVENT", "WEBHOOK", "URL", "STATE"],
          ...rows.map((r) => [...[r.supplier, r.event, r.webhookId, r.url].map(safeText), stateOf(r)]),
          ...outcomes.flatMap((o) =>
            o.ok && o.rows.length === 0 ? [[o.supplier, "-", "-", "-", "nothing registered"]] : [],
          ),
        ]);
        io.out(io.c.bold(head as string));
        for (const line of body) {
          io.out(/UNKNOWN URL|drifted: /.test(line) ? io.c.yellow(line) : line);
        }
      }
      printFailures(failures, io);
      const drifted = [...new Set(rows.filter((r) => r.drifted.length > 0).map((r) => r.supplier))];
      for (const supplier of drifted) {
        io.err(
          io.e.yellow(
            `octo-webhooks: supplier ${safeText(supplier)} has registrations whose credentials differ from the config's: run \`octo-webhooks sync\``,
          ),
        );
      }
      if (failures.length > 0 || rows.some((r) => !r.known) || drifted.length > 0) throw new CliError("", 1);
    });
}
