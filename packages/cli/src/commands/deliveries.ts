import { redactUrl } from "@octo-webhooks/client";
import type { DeliveryLogEntry } from "@octo-webhooks/core";
import { Command, InvalidArgumentError } from "commander";
import { deliveryChanges } from "../log/delivery-changes.ts";
import { type FilterOptions, filterOf, withFilters } from "../log/log-filter.ts";
import { type OpenedLog, openLog, type StoreOptions, withStore } from "../log/open-log.ts";
import {
  REPLAY_HEADER,
  type ReplayResult,
  replayable,
  replayEntry,
  type TargetOptions,
  targetOf,
} from "../log/replay-over-http.ts";
import { collectHeader, integer } from "../options.ts";
import { CliError, type Io } from "../output.ts";
import { safeJson, safeText } from "../safe-text.ts";
import { printEntry, printList, printPlannedReplay, replayLine } from "./deliveries-output.ts";

// `octo-webhooks deliveries list|show|replay`: the delivery log core keeps (`log` option), read from
// its store: what each supplier sent, what the receiver answered, and replay through the receiver.

interface ListOptions extends StoreOptions, FilterOptions {
  limit: number;
  cursor?: string;
  json?: boolean;
}

interface ShowOptions extends StoreOptions {
  json?: boolean;
}

interface ReplayOptions extends StoreOptions, FilterOptions, TargetOptions {
  limit?: number;
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
  timeout: number;
}

/** Runs `work` on the log of `options`, closing it after. */
async function withLog<T>(options: StoreOptions, work: (opened: OpenedLog) => Promise<T>): Promise<T> {
  const opened = await openLog(options);
  try {
    return await work(opened);
  } finally {
    await opened.close();
  }
}

/** `--limit` of `list`: 1 to 10,000 entries. */
function listLimit(value: string): number {
  const n = integer(value);
  if (n < 1 || n > 10_000) throw new InvalidArgumentError("expected 1 to 10000");
  return n;
}

const REPLAY_HELP = `
Replays go over HTTP: the CLI has no receiver of its own (your handlers live in your application), so
each delivery's logged body is POSTed to --to as its supplier sent it, with your receiver's credentials
(--user/--pass, user:pass@ in --to, or --header k=v) and the header \`${REPLAY_HEADER}: 1\`, so that the
receiver (and its log) can tell a replay. A :supplier in --to becomes each delivery's supplier.
Each delivery goes once (its latest attempt with a body), oldest first, as the supplier sent them.

There is no --force: over HTTP the receiver's dedupe and stale guard decide, as for a supplier's retry
(a delivery already applied is answered as a duplicate and does nothing). To apply deliveries again
whatever dedupe says, replay where the receiver is: replayDeliveries({ log, receiver, force: true }).

Examples:
  octo-webhooks deliveries replay --redis redis://127.0.0.1:6379 --supplier peek --since 2h --dry-run
  OCTO_HOOK_PASS=s3cret octo-webhooks deliveries replay --redis redis://127.0.0.1:6379 --outcome failed \\
    --to http://127.0.0.1:3000/webhooks/octo --user octo`;

export function deliveriesCommand(io: Io): Command {
  const deliveries = new Command("deliveries")
    .description("read the delivery log (core's `log` option) from Redis or Postgres: list, show, replay")
    .addHelpText(
      "after",
      "\nExamples:\n  octo-webhooks deliveries list --redis redis://127.0.0.1:6379 --supplier peek --outcome failed --since 1d\n  octo-webhooks deliveries show <id> --redis redis://127.0.0.1:6379\n  octo-webhooks deliveries list --postgres postgres://octo@127.0.0.1/shop --resource <booking uuid> --json",
    );

  deliveries.addCommand(
    withFilters(withStore(new Command("list").description("list logged deliveries, newest first")))
      .option("--limit <n>", "how many entries (1 to 10000)", listLimit, 50)
      .option("--cursor <cursor>", "go on from where a previous list stopped")
      .option("--json", "print JSON (for scripts): { entries, cursor }")
      .action(async (options: ListOptions) => {
        await withLog(options, async ({ log }) => {
          const filter = filterOf(options);
          const entries: DeliveryLogEntry[] = [];
          let cursor = options.cursor;
          // a store may answer a page shorter than asked before its end: go on until `limit` or the end
          do {
            const page = await log.list(filter, {
              cursor,
              limit: Math.min(1000, options.limit - entries.length),
            });
            entries.push(...page.entries);
            cursor = page.cursor;
          } while (cursor !== undefined && entries.length < options.limit);
          printList(entries, cursor, options.json, io);
        });
      }),
  );

  deliveries.addCommand(
    withStore(new Command("show").description("show one logged delivery whole, and the other attempts of it"))
      .argument("<id>", "the entry's id (from `list`)")
      .option("--json", "print JSON (for scripts): { entry, attempts, changes }")
      .action(async (id: string, options: ShowOptions) => {
        await withLog(options, async ({ log, where }) => {
          const entry = await log.get(id);
          if (entry === undefined)
            throw new CliError(`no entry ${safeText(id)} in the delivery log at ${where}`);
          const attempts: DeliveryLogEntry[] = [];
          if (entry.deliveryKey !== undefined) {
            let cursor: string | undefined;
            do {
              const page = await log.list({ deliveryKey: entry.deliveryKey }, { cursor, limit: 1000 });
              attempts.push(...page.entries);
              cursor = page.cursor;
            } while (cursor !== undefined && attempts.length < 1000);
            attempts.reverse();
          }
          printEntry(entry, attempts, await deliveryChanges(log, entry), options.json, io);
        });
      }),
  );

  deliveries.addCommand(
    withFilters(
      withStore(
        new Command("replay").description(
          "replay logged deliveries to a receiver over HTTP (its dedupe decides; --dry-run lists them)",
        ),
      ),
    )
      .option("--to <url>", "the receiver's URL (may carry user:pass@; :supplier becomes each delivery's)")
      .option("--user <username>", "HTTP Basic credentials of the receiver: username")
      .option("--pass <password>", "... and password (or OCTO_HOOK_PASS)")
      .option("--header <name=value>", "a header to send with each, repeatable", collectHeader)
      .option("--limit <n>", "replay the first n deliveries only", integer)
      .option("--dry-run", "list what would be replayed, send nothing")
      .option("--force", "not available: over HTTP the receiver's dedupe decides (see below)")
      .option("--timeout <ms>", "time allowed per delivery", integer, 10_000)
      .option("--json", "print JSON (for scripts)")
      .addHelpText("after", REPLAY_HELP)
      .action(async (options: ReplayOptions) => {
        if (options.force) {
          throw new CliError(
            "--force is not available over HTTP: the receiver's dedupe and stale guard decide. To apply deliveries again whatever they say, call replayDeliveries({ log, receiver, force: true }) where the receiver is",
            2,
          );
        }
        const target = targetOf(options);
        if (target === undefined && !options.dryRun) {
          throw new CliError(
            "give --to <the receiver's URL> (or --dry-run to list what would be replayed)",
            2,
          );
        }
        await withLog(options, async ({ log }) => {
          const { entries, withoutBody } = await replayable(log, filterOf(options), options.limit);
          if (options.dryRun || target === undefined) {
            printPlannedReplay(entries, withoutBody, options.json, io);
            return;
          }
          if (!options.json)
            io.err(io.e.dim(`replaying ${entries.length} to ${safeText(redactUrl(target.url))}`));
          const results: Array<{ entry: DeliveryLogEntry; result: ReplayResult }> = [];
          for (const entry of entries) {
            const result = await replayEntry(entry, target);
            results.push({ entry, result });
            if (!options.json) io.out(replayLine(entry, result, io));
          }
          const count = (...names: ReplayResult["result"][]) =>
            results.filter(({ result }) => names.includes(result.result)).length;
          const summary = {
            found: entries.length,
            delivered: count("delivered"),
            skipped: count("duplicate", "stale", "unchanged", "notFound"),
            failed: count("failed"),
            withoutBody,
          };
          if (options.json) {
            const deliveries = results.map(({ entry, result }) => ({
              id: entry.id,
              deliveryKey: entry.deliveryKey,
              supplier: entry.supplier,
              event: entry.event,
              resourceId: entry.resourceId,
              ...result,
            }));
            io.out(safeJson({ dryRun: false, ...summary, deliveries }));
          } else {
            io.out(
              `${summary.found} replayed: ${summary.delivered} delivered, ${summary.skipped} the receiver had already (duplicate or stale), ${summary.failed} failed${withoutBody > 0 ? `; ${withoutBody} without a kept body (not replayable)` : ""}`,
            );
          }
          if (summary.failed > 0) throw new CliError("", 1);
        });
      }),
  );
  return deliveries;
}
