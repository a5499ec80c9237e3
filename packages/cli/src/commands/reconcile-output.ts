import type { ReconcileSummary, SupplierReconcileSummary } from "@octo-webhooks/client";
import { type Io, table } from "../output.ts";
import { safeJson, safeText } from "../safe-text.ts";

// How `reconcile` prints its summary: a table of suppliers on a terminal, the reconciler's summary as
// JSON for scripts (`--json`, with `dryRun`).

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The supplier's row: its counts, and `(stopped)` after its time when it was not read in full. */
function row(s: SupplierReconcileSummary, dryRun: boolean): string[] {
  const supplier = safeText(s.supplier ?? "-");
  const time = `${seconds(s.durationMs)}${s.complete ? "" : " (stopped)"}`;
  const counts = dryRun
    ? [s.checked, s.changed, s.failed, s.recreated.length, s.drifted.length]
    : [s.checked, s.changed, s.unchanged, s.failed, s.recreated.length, s.drifted.length];
  return [supplier, ...counts.map(String), time];
}

/** The line under the table. */
function totals(summary: ReconcileSummary, dryRun: boolean): string {
  const recreated = summary.suppliers.reduce((n, s) => n + s.recreated.length, 0);
  const drifted = summary.suppliers.reduce((n, s) => n + s.drifted.length, 0);
  const stopped = summary.suppliers.filter((s) => !s.complete).length;
  const tail = [
    drifted > 0
      ? `${plural(drifted, "registration")} with other credentials than the config's (run sync)`
      : "",
    stopped > 0 ? `${plural(stopped, "supplier")} not read in full` : "",
  ].filter((part) => part !== "");
  const end = tail.length > 0 ? `; ${tail.join("; ")}` : "";
  if (dryRun) {
    return `dry run: ${summary.checked} read, ${summary.changed} would be sent to the receiver (its stale guard decides what it applies), ${summary.failed} failed, ${plural(recreated, "registration")} would be created again${end}; nothing sent, nothing created`;
  }
  return `${summary.checked} read: ${summary.changed} changed, ${summary.unchanged} unchanged, ${summary.failed} failed; ${plural(recreated, "registration")} created again; ${plural(summary.reads, "request")} in ${seconds(summary.durationMs)}${end}`;
}

/** `reconcile`'s result: the summary as JSON, or a table of suppliers and a line of totals. */
export function printReconcile(summary: ReconcileSummary, dryRun: boolean, json: boolean, io: Io): void {
  if (json) {
    io.out(safeJson({ dryRun, ...summary }));
    return;
  }
  const head = dryRun
    ? ["SUPPLIER", "READ", "WOULD SEND", "FAILED", "WOULD RE-CREATE", "DRIFTED", "TIME"]
    : ["SUPPLIER", "READ", "CHANGED", "UNCHANGED", "FAILED", "RE-CREATED", "DRIFTED", "TIME"];
  const [first, ...lines] = table([head, ...summary.suppliers.map((s) => row(s, dryRun))]);
  io.out(io.c.bold(first as string));
  summary.suppliers.forEach((s, i) => {
    const line = lines[i] as string;
    const trouble = s.failed > 0 || !s.complete || s.drifted.length > 0;
    io.out(trouble ? io.c.yellow(line) : line);
  });
  io.out(io.c.dim(totals(summary, dryRun)));
}
