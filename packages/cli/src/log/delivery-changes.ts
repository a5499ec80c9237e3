import type { DeliveryLog, DeliveryLogEntry } from "@octo-webhooks/core";
import { diffOf } from "@octo-webhooks/testing";

// What a delivery changed, as rows of (path, was, now): its own `diff` when the supplier sent one, else
// the change from the resource's previous logged state (the previous delivery of the same resource and
// event). Shown by `deliveries show` and the inspector instead of raw JSON.

/** One changed field. `was` is absent for an added field, `now` for a removed one. */
export interface Change {
  op: "add" | "remove" | "replace";
  /** A JSON pointer into the resource: `/status`, `/unitItems/2`. */
  path: string;
  was?: unknown;
  now?: unknown;
}

/** The changes of a delivery and where they come from. */
export interface Changes {
  /** `diff`: the delivery's own; `previous`: computed from `previous`; `none`: nothing to compare. */
  from: "diff" | "previous" | "none";
  /** The entry compared with, for `previous`. */
  previous?: { id: string; receivedAt: string } | undefined;
  rows: Change[];
  /** Rows left out past {@link MAX_ROWS}. */
  more: number;
}

const MAX_ROWS = 200;
/** Entries of a resource read at most to find its previous state. */
const MAX_SCANNED = 1000;
/** The field of a body that holds its resource, per event. */
const RESOURCE_FIELD: Record<string, string> = {
  booking_update: "booking",
  order_update: "order",
  availability_update: "availability",
  product_update: "product",
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** An entry's body as JSON, or `undefined` (not kept, or not JSON). */
export function parsedBody(entry: Pick<DeliveryLogEntry, "body">): unknown {
  if (entry.body === undefined) return undefined;
  try {
    return JSON.parse(entry.body);
  } catch {
    return undefined;
  }
}

/** OCTO `diff` entries (`{ op, path, was, value }`) as rows; `undefined` when `diff` is not a list of them. */
export function changesOfDiff(diff: unknown): Change[] | undefined {
  if (!Array.isArray(diff) || diff.length === 0) return undefined;
  const rows: Change[] = [];
  for (const item of diff) {
    if (!isRecord(item) || typeof item.path !== "string") return undefined;
    const op = item.op === "add" || item.op === "remove" ? item.op : "replace";
    const row: Change = { op, path: item.path };
    if (op !== "add") row.was = item.was;
    if (op !== "remove") row.now = item.value;
    rows.push(row);
  }
  return rows;
}

/** The resource a body carries (its `booking`, `order`...), else the body without its envelope. */
function resourceOf(body: unknown, event: string | undefined): unknown {
  if (!isRecord(body)) return body;
  const field = event === undefined ? undefined : RESOURCE_FIELD[event];
  if (field !== undefined && isRecord(body[field])) return body[field];
  const { webhook: _webhook, diff: _diff, ...rest } = body;
  return rest;
}

const capped = (rows: Change[]) => ({
  rows: rows.slice(0, MAX_ROWS),
  more: Math.max(0, rows.length - MAX_ROWS),
});

/** The resource's previous logged delivery before `entry`: same resource and event, another delivery key. */
async function previousOf(
  log: Pick<DeliveryLog, "list">,
  entry: DeliveryLogEntry,
): Promise<DeliveryLogEntry | undefined> {
  if (entry.resourceId === undefined) return undefined;
  let cursor: string | undefined;
  let scanned = 0;
  let passed = false;
  do {
    const page = await log.list({ resourceId: entry.resourceId }, { cursor, limit: 100 });
    for (const other of page.entries) {
      scanned++;
      if (other.id === entry.id) {
        passed = true;
        continue;
      }
      // newest first: those listed after `entry` arrived before it (or at the same instant)
      if (other.receivedAt > entry.receivedAt || (!passed && other.receivedAt === entry.receivedAt)) continue;
      if (other.event !== entry.event) continue;
      if (entry.deliveryKey !== undefined && other.deliveryKey === entry.deliveryKey) continue;
      if (parsedBody(other) !== undefined) return other;
    }
    cursor = page.cursor;
  } while (cursor !== undefined && scanned < MAX_SCANNED);
  return undefined;
}

/** What `entry` changed: its `diff`, else the change from the resource's previous logged state. */
export async function deliveryChanges(
  log: Pick<DeliveryLog, "list">,
  entry: DeliveryLogEntry,
): Promise<Changes> {
  const body = parsedBody(entry);
  const own = changesOfDiff(isRecord(body) ? body.diff : undefined);
  if (own !== undefined) return { from: "diff", ...capped(own) };
  if (body === undefined) return { from: "none", rows: [], more: 0 };
  const previous = await previousOf(log, entry);
  if (previous === undefined) return { from: "none", rows: [], more: 0 };
  const diff = diffOf(resourceOf(parsedBody(previous), previous.event), resourceOf(body, entry.event));
  const rows = changesOfDiff(diff) ?? [];
  return {
    from: "previous",
    previous: { id: previous.id, receivedAt: previous.receivedAt },
    ...capped(rows),
  };
}
