// `octo-webhooks reconcile`: every supplier of the config read back with the client's `createReconciler()`
// (the bookings of the travel window, the products; politely: the reconciler's rate, concurrency and
// Retry-After), each resource POSTed to the receiver at `--to`, whose stale guard applies what it
// missed; the watchdog creates again the webhooks a supplier deleted. `--dry-run` reads and counts.
import {
  createReconciler,
  type EnvSource,
  type ReconciledSupplier,
  type ReconcileSummary,
  receiverSuppliers,
  reconcilerSuppliers,
  type SupplierEntry,
  type SupplierReconcileSummary,
  type SuppliersConfig,
} from "@octo-webhooks/client";
import type { Logger } from "@octo-webhooks/core";
import { Command, InvalidArgumentError } from "commander";
import { integer } from "../options.ts";
import { CliError, type Io } from "../output.ts";
import { dryRunReceiver, dryRunSupplier } from "../reconcile/dry-run.ts";
import { type HookCredential, RECONCILE_HEADER, receiverOverHttp } from "../reconcile/receiver-over-http.ts";
import { reconcileProgress } from "../reconcile/reconcile-progress.ts";
import { safeText } from "../safe-text.ts";
import { printReconcile } from "./reconcile-output.ts";
import { configOptions, loadSuppliersConfig, printFailures, type SuppliersCliOptions } from "./suppliers.ts";

interface ReconcileOptions extends SuppliersCliOptions {
  to?: string;
  days?: number;
  pastDays?: number;
  dryRun?: boolean;
}

/** Exit codes of `reconcile`, as `sync`'s: 0 nothing changed, 3 something changed (or would), 1 a failure. */
export const RECONCILE_EXIT = { inLine: 0, failed: 1, changed: 3 } as const;

/** Reads started a second at each supplier (the reconciler's default, shown by the progress line). */
const RATE_PER_SECOND = 5;
/** Time allowed per POST to the receiver. */
const POST_TIMEOUT_MS = 10_000;

// every env var reads as set: the config's shape is checked on its own, before any supplier's secrets
const ANY_ENV: EnvSource = new Proxy({}, { get: () => "set" });

const messageOf = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(/^\[@octo-webhooks\/[a-z-]+\] /, "");

/** `--days`, `--past-days`: 0 to 730. */
function days(value: string): number {
  const n = integer(value);
  if (n > 730) throw new InvalidArgumentError("expected 0 to 730 days");
  return n;
}

/** `--to`, checked: an http(s) URL without credentials (each supplier's come from the config). */
function receiverUrl(to: string): string {
  let url: URL | undefined;
  try {
    url = new URL(to);
  } catch {
    // refused below
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new CliError("--to must be an absolute http(s) URL", 2);
  }
  if (url.username !== "" || url.password !== "") {
    throw new CliError(
      "--to must not carry credentials: each supplier's are sent, from its `hook` in the config",
      2,
    );
  }
  return to;
}

/** The suppliers of the config to reconcile: all, or the `--supplier` ones. */
function selectedIds(config: SuppliersConfig, only: readonly string[] | undefined): string[] {
  const ids = Object.keys(receiverSuppliers(config, ANY_ENV));
  if (only === undefined || only.length === 0) return ids;
  const unknown = only.filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    throw new CliError(
      `no supplier ${unknown.map(safeText).join(", ")} in the config (it has ${ids.join(", ")})`,
    );
  }
  return ids.filter((id) => only.includes(id));
}

/** The credentials a supplier's deliveries carry (its current ones), read from the env. */
function hookCredential(entry: SupplierEntry, env: EnvSource): HookCredential {
  const value = (name: string) => {
    const found = env[name];
    if (found === undefined || found === "") throw new Error(`the env var ${name} is not set`);
    return found;
  };
  const { hook } = entry;
  if ("headerName" in hook) return { kind: "header", name: hook.headerName, value: value(hook.valueEnv) };
  return { kind: "basic", username: value(hook.usernameEnv), password: value(hook.passwordEnv) };
}

/** The summary of a supplier that could not be reconciled at all (an env var missing...). */
function unusableSummary(supplier: string, error: string): SupplierReconcileSummary {
  return {
    supplier,
    checked: 0,
    changed: 0,
    unchanged: 0,
    missing: 0,
    failed: 1,
    reads: 0,
    durationMs: 0,
    complete: false,
    recreated: [],
    drifted: [],
    lastDeliveryAt: undefined,
    silentForMs: undefined,
    silent: false,
    errors: [error],
  };
}

/**
 * The run's summary with the unusable suppliers in it; in a dry run, without the requests the
 * watchdog's creates would have been (they were not sent).
 */
function completed(
  ran: ReconcileSummary | undefined,
  unusable: Array<{ supplier: string; error: string }>,
  dryRun: boolean,
  startedAt: number,
): ReconcileSummary {
  const suppliers = [
    ...(ran?.suppliers ?? []).map((s) => (dryRun ? { ...s, reads: s.reads - s.recreated.length } : s)),
    ...unusable.map(({ supplier, error }) => unusableSummary(supplier, error)),
  ];
  const total = (field: "checked" | "changed" | "unchanged" | "missing" | "failed" | "reads") =>
    suppliers.reduce((sum, s) => sum + s[field], 0);
  return {
    startedAt: ran?.startedAt ?? new Date(startedAt).toISOString(),
    durationMs: ran?.durationMs ?? Date.now() - startedAt,
    complete: suppliers.every((s) => s.complete),
    checked: total("checked"),
    changed: total("changed"),
    unchanged: total("unchanged"),
    missing: total("missing"),
    failed: total("failed"),
    reads: total("reads"),
    suppliers,
    resume: ran?.resume,
  };
}

/** The exit code of a run: a failure first, then a change (in a dry run: a registration to create again). */
function exitCode(summary: ReconcileSummary, dryRun: boolean): number {
  const drifted = summary.suppliers.some((s) => s.drifted.length > 0);
  if (summary.failed > 0 || !summary.complete || drifted) return RECONCILE_EXIT.failed;
  const recreated = summary.suppliers.some((s) => s.recreated.length > 0);
  if (recreated || (!dryRun && summary.changed > 0)) return RECONCILE_EXIT.changed;
  return RECONCILE_EXIT.inLine;
}

const HELP = `
The CLI has no receiver of its own (your handlers live in your application): each resource read back
is POSTed to --to as a webhook body ({ webhook: { event }, booking }, { order }, { product }) with that
supplier's hook credentials from the config (Basic, or its header) and the header
\`${RECONCILE_HEADER}: 1\`. A :supplier in --to becomes each supplier's id. Give the receiver
\`staleGuard\` (with a store every instance shares): it applies what changed and answers the rest
unchanged or stale, so a second run changes nothing. The watchdog creates again the webhooks (and
notification subscriptions) the config registers that a supplier deleted, and reports those whose
credentials drifted (\`sync\` repairs them).

Exit code: 0 nothing changed, 3 something changed or was created again (with --dry-run: a registration
would be created again), 1 a supplier, a read or a resource failed, a supplier was not read in full, or a
registration's credentials drifted, 2 a usage error.

Examples:
  octo-webhooks reconcile --dry-run
  octo-webhooks reconcile --to https://shop.example/webhooks/octo/:supplier
  octo-webhooks reconcile --supplier ventrata --days 14 --to http://127.0.0.1:8787/webhooks/octo/:supplier --json`;

export function reconcileCommand(io: Io): Command {
  return configOptions(
    new Command("reconcile").description(
      "read back what each supplier of the config holds (bookings of the travel window, products) and POST each to your receiver, whose stale guard applies what it missed; create again the webhooks a supplier deleted",
    ),
  )
    .option(
      "--to <url>",
      "the receiver's URL (:supplier becomes each supplier's id; credentials come from the config)",
    )
    .option("--days <n>", "list the bookings travelling up to this many days ahead (default 60)", days)
    .option("--past-days <n>", "... and from this many days back (default 1)", days)
    .option("--dry-run", "read and count what would be sent; send nothing, create nothing")
    .addHelpText("after", HELP)
    .action(async (options: ReconcileOptions) => {
      const dryRun = options.dryRun === true;
      if (options.to === undefined && !dryRun) {
        throw new CliError(
          "give --to <the receiver's URL> (each resource read back is POSTed there), or --dry-run to read and count without sending",
          2,
        );
      }
      const to = options.to === undefined ? undefined : receiverUrl(options.to);
      const config = await loadSuppliersConfig(options.config);
      const ids = selectedIds(config, options.supplier);
      const startedAt = Date.now();
      const progress = reconcileProgress(io, {
        shown: process.stderr.isTTY === true,
        ratePerSecond: RATE_PER_SECOND,
        dryRun,
      });

      const suppliers: Record<string, ReconciledSupplier> = {};
      const credentials: Record<string, HookCredential> = {};
      const unusable: Array<{ supplier: string; error: string }> = [];
      for (const id of ids) {
        const entry = config.suppliers[id] as SupplierEntry;
        try {
          const one: SuppliersConfig = { ...config, suppliers: { [id]: entry } };
          const made = reconcilerSuppliers(one, { client: { fetch: progress.fetchOf(id) } })[id];
          if (made === undefined) throw new Error("not in the config");
          credentials[id] = hookCredential(entry, process.env);
          suppliers[id] = dryRun ? dryRunSupplier(made) : made;
        } catch (error) {
          unusable.push({ supplier: id, error: messageOf(error) });
        }
      }
      printFailures(unusable, io);

      const said = (message: string) => {
        const text = messageOf(message);
        // the watchdog's creates were not sent: say what it would have done
        return dryRun
          ? text.replace(/created it again \(id [^)]*\)\)?/, "would create it again (--dry-run)")
          : text;
      };
      const logger: Logger = {
        warn: (message) => progress.log(io.e.yellow(`octo-webhooks: ${safeText(said(message))}`)),
        error: (message, fields) =>
          progress.log(
            io.e.red(
              `octo-webhooks: ${safeText(said(message))}${fields?.error === undefined ? "" : `: ${safeText(messageOf(fields.error))}`}`,
            ),
          ),
      };

      let ran: ReconcileSummary | undefined;
      if (Object.keys(suppliers).length > 0) {
        const receiver = progress.receiver(
          dryRun || to === undefined
            ? dryRunReceiver
            : receiverOverHttp({ url: to, credentials, timeoutMs: POST_TIMEOUT_MS }),
        );
        const reconciler = createReconciler({
          receiver,
          suppliers,
          travelWindow: {
            ...(options.pastDays === undefined ? {} : { pastDays: options.pastDays }),
            ...(options.days === undefined ? {} : { aheadDays: options.days }),
          },
          ratePerSecond: RATE_PER_SECOND,
          logger,
        });
        // Ctrl-C stops after the reads in flight and prints what was done; a second one quits at once
        const controller = new AbortController();
        const stop = () => {
          progress.log(io.e.dim("stopping after the reads in flight (Ctrl-C again quits at once)"));
          controller.abort();
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
        progress.start();
        try {
          ran = await reconciler.run({ signal: controller.signal });
        } finally {
          progress.stop();
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
        }
      }

      const summary = completed(ran, unusable, dryRun, startedAt);
      printReconcile(summary, dryRun, options.json === true, io);
      const code = exitCode(summary, dryRun);
      if (code !== 0) throw new CliError("", code);
    });
}
