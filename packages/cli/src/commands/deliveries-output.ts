import type { DeliveryLogEntry } from "@octo-webhooks/core";
import type { Changes } from "../log/delivery-changes.ts";
import { parsedBody } from "../log/delivery-changes.ts";
import type { ReplayResult } from "../log/replay-over-http.ts";
import { type Colors, type Io, table } from "../output.ts";
import { safeJson, safeText } from "../safe-text.ts";

// How `deliveries` prints the log: tables on a terminal, every string of an entry escaped (a body or a
// header the supplier sent can hold terminal control sequences), and JSON for scripts (`--json`).

/** `2026-12-05T06:00:01Z`: the arrival to the second, in UTC. */
const when = (iso: string) => safeText(iso.replace(/\.\d+Z$/, "Z"));
const dash = (value: unknown) => (value === undefined || value === "" ? "-" : safeText(value));

function outcomeColour(c: Colors, outcome: string): (text: string) => string {
  if (outcome === "handled" || outcome === "accepted") return c.green;
  if (outcome === "failed") return c.red;
  if (outcome === "refused") return c.yellow;
  return c.dim;
}

const outcomeText = (entry: DeliveryLogEntry) =>
  safeText(entry.error === undefined ? entry.outcome : `${entry.outcome} ${entry.error.code}`);

/** Rows of entries with the outcome last (unpadded, so that it can be coloured). */
function printEntries(io: Io, head: string[], rows: string[][], outcomes: string[]): void {
  const [first, ...lines] = table([head, ...rows]);
  io.out(io.c.bold(first as string));
  lines.forEach((line, i) => {
    const outcome = rows[i]?.at(-1) ?? "";
    io.out(line.slice(0, line.length - outcome.length) + outcomeColour(io.c, outcomes[i] ?? "")(outcome));
  });
}

/** `deliveries list`: a table, newest first, or `{ entries, cursor }`. */
export function printList(
  entries: DeliveryLogEntry[],
  cursor: string | undefined,
  json: boolean | undefined,
  io: Io,
) {
  if (json) return io.out(safeJson({ entries, cursor }));
  if (entries.length === 0) return io.out(io.c.dim("no deliveries match"));
  printEntries(
    io,
    ["RECEIVED", "ID", "SUPPLIER", "EVENT", "RESOURCE", "TRY", "STATUS", "SOURCE", "OUTCOME"],
    entries.map((e) => [
      when(e.receivedAt),
      safeText(e.id),
      dash(e.supplier),
      dash(e.event),
      dash(e.resourceId),
      dash(e.attempt),
      dash(e.status),
      safeText(e.source),
      outcomeText(e),
    ]),
    entries.map((e) => e.outcome),
  );
  if (cursor !== undefined) io.err(io.e.dim(`more: add --cursor ${safeText(cursor)}`));
}

const shortJson = (value: unknown) => (value === undefined ? "(absent)" : safeText(JSON.stringify(value)));

/** `deliveries show <id>`: the entry whole, its changes and the other attempts of its delivery. */
export function printEntry(
  entry: DeliveryLogEntry,
  attempts: DeliveryLogEntry[],
  changes: Changes,
  json: boolean | undefined,
  io: Io,
) {
  if (json) return io.out(safeJson({ entry, attempts, changes }));
  const { c } = io;
  const answer = entry.status === undefined ? "(no HTTP answer: receive())" : `${entry.status}`;
  const body =
    entry.body !== undefined
      ? `${entry.bodySize ?? entry.body.length} bytes`
      : entry.bodySize !== undefined
        ? `not kept: ${entry.bodySize} bytes${entry.bodyHash === undefined ? "" : `, hash ${safeText(entry.bodyHash)}`}`
        : "not read";
  io.out(c.bold(`Delivery ${safeText(entry.id)}`));
  for (const line of table([
    ["received", when(entry.receivedAt)],
    ["source", safeText(entry.source)],
    ["supplier", dash(entry.supplier)],
    ["event", dash(entry.event)],
    ["resource", dash(entry.resourceId)],
    ["key", dash(entry.deliveryKey)],
    ["attempt", dash(entry.attempt)],
    ["answer", answer],
    ["outcome", outcomeColour(c, entry.outcome)(safeText(entry.outcome))],
    ...(entry.error === undefined
      ? []
      : [["error", `${safeText(entry.error.code)}: ${safeText(entry.error.message)}`]]),
    ["took", `${entry.durationMs} ms`],
    ["body", body],
  ]))
    io.out(`  ${line}`);

  io.out("");
  io.out(c.bold("Headers"));
  const headers = Object.entries(entry.headers);
  if (headers.length === 0) io.out(c.dim("  (none)"));
  for (const [name, value] of headers) io.out(`  ${safeText(name)}: ${safeText(value)}`);

  io.out("");
  io.out(c.bold("Handlers"));
  if (entry.handlers.length === 0) io.out(c.dim("  (none ran)"));
  for (const h of entry.handlers) {
    const result = h.ok ? c.green("ok") : c.red("failed");
    const error = h.error === undefined ? "" : `: ${safeText(h.error)}`;
    io.out(`  #${h.index} ${safeText(h.event)} ${result} ${h.durationMs} ms${error}`);
  }

  io.out("");
  printChanges(changes, io);

  io.out("");
  io.out(c.bold("Body"));
  const parsed = parsedBody(entry);
  if (entry.body === undefined) io.out(c.dim("  (not kept)"));
  else if (parsed === undefined) io.out(safeText(entry.body));
  else io.out(safeJson(parsed));

  io.out("");
  io.out(c.bold(`Attempts of this delivery (${attempts.length})`));
  if (attempts.length === 0) io.out(c.dim("  (no delivery key: this attempt only)"));
  else {
    const rows = attempts.map((a) => [
      a.id === entry.id ? "*" : " ",
      when(a.receivedAt),
      safeText(a.id),
      dash(a.attempt),
      dash(a.status),
      safeText(a.source),
      outcomeText(a),
    ]);
    printEntries(
      io,
      [" ", "RECEIVED", "ID", "TRY", "STATUS", "SOURCE", "OUTCOME"],
      rows,
      attempts.map((a) => a.outcome),
    );
  }
}

function printChanges(changes: Changes, io: Io) {
  const { c } = io;
  if (changes.from === "none") {
    io.out(c.bold("Changes"));
    io.out(c.dim("  (no diff, and no earlier delivery of this resource to compare with)"));
    return;
  }
  const since =
    changes.from === "diff"
      ? "(its diff)"
      : `(since ${safeText(changes.previous?.id)}, ${when(changes.previous?.receivedAt ?? "")})`;
  io.out(`${c.bold("Changes")} ${c.dim(since)}`);
  if (changes.rows.length === 0) io.out(c.dim("  (none)"));
  else {
    const [head, ...lines] = table([
      ["PATH", "WAS", "NOW"],
      ...changes.rows.map((row) => [safeText(row.path || "/"), shortJson(row.was), shortJson(row.now)]),
    ]);
    io.out(`  ${c.bold(head as string)}`);
    for (const line of lines) io.out(`  ${line}`);
  }
  if (changes.more > 0) io.out(c.dim(`  ... and ${changes.more} more`));
}

/** One line per delivery `replay --dry-run` would send, or `{ dryRun, found, withoutBody, deliveries }`. */
export function printPlannedReplay(
  entries: DeliveryLogEntry[],
  withoutBody: number,
  json: boolean | undefined,
  io: Io,
) {
  const deliveries = entries.map(({ id, receivedAt, supplier, event, resourceId, deliveryKey }) => ({
    id,
    receivedAt,
    supplier,
    event,
    resourceId,
    deliveryKey,
  }));
  if (json) return io.out(safeJson({ dryRun: true, found: entries.length, withoutBody, deliveries }));
  if (entries.length > 0) {
    const [head, ...lines] = table([
      ["RECEIVED", "ID", "SUPPLIER", "EVENT", "RESOURCE"],
      ...entries.map((e) => [
        when(e.receivedAt),
        safeText(e.id),
        dash(e.supplier),
        dash(e.event),
        dash(e.resourceId),
      ]),
    ]);
    io.out(io.c.bold(head as string));
    for (const line of lines) io.out(line);
  }
  io.out(
    `${entries.length} would be replayed, oldest first${withoutBody > 0 ? `; ${withoutBody} without a kept body (not replayable)` : ""}`,
  );
}

/** One replay's line, as it is answered. */
export function replayLine(entry: DeliveryLogEntry, result: ReplayResult, io: Io): string {
  const { c } = io;
  const what = `${safeText(entry.id)}  ${dash(entry.event)}  ${dash(entry.resourceId)}`;
  const status = result.status === undefined ? "" : `${result.status} `;
  const detail =
    result.result === "failed"
      ? c.red(
          `${status}failed${result.error === undefined ? "" : `: ${safeText(result.error)}`}${result.answer ? ` ${safeText(result.answer)}` : ""}`,
        )
      : result.result === "delivered"
        ? c.green(`${status}delivered`)
        : c.dim(`${status}${result.result} (the receiver had it already)`);
  return `${c.cyan("→")} ${what}  ${c.cyan("←")} ${detail}`;
}
