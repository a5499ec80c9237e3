// The delivery log in memory, for development and tests.
import { type DeliveryLog, type DeliveryLogEntry, matchesFilter } from "./delivery-log.ts";
import { logDeliveries } from "./log-telemetry.ts";

/** Options of {@link createMemoryLog}. */
export interface MemoryLogOptions {
  /** Most entries kept; the oldest go first (default 1,000). */
  maxEntries?: number;
  /** How long an entry is kept, in ms (default 7 days). */
  maxAgeMs?: number;
  /** The clock (default `Date.now`). */
  now?: () => number;
}

/**
 * A delivery log in memory, for development and tests: bounded (`maxEntries`, `maxAgeMs`), lost on
 * restart. Use the Redis or Postgres log to keep a record an operator can trust.
 *
 * @example
 * ```ts
 * const log = createMemoryLog({ maxEntries: 500 });
 * const webhooks = createOctoWebhooks({ auth, log });
 * const { entries } = await log.list({ supplier: "peek", outcome: "failed" });
 * ```
 */
export function createMemoryLog(options: MemoryLogOptions = {}): DeliveryLog & { readonly size: number } {
  const maxEntries = options.maxEntries ?? 1000;
  const maxAgeMs = options.maxAgeMs ?? 7 * 24 * 60 * 60 * 1000;
  const now = options.now ?? Date.now;
  // oldest first, from `head` on (the entries before it are dropped, and compacted away in bulk); the
  // attempts counted per delivery key. Entries are kept as appended (nothing writes them after) and
  // copied when read.
  let entries: DeliveryLogEntry[] = [];
  let head = 0;
  const attempts = new Map<string, number>();
  const expire = () => {
    const oldest = new Date(now() - maxAgeMs).toISOString();
    while (
      head < entries.length &&
      (entries.length - head > maxEntries || (entries[head] as DeliveryLogEntry).receivedAt < oldest)
    ) {
      const dropped = entries[head] as DeliveryLogEntry;
      if (dropped.deliveryKey !== undefined && attempts.get(dropped.deliveryKey) === dropped.attempt) {
        attempts.delete(dropped.deliveryKey);
      }
      head++;
    }
    if (head > 1024 && head * 2 > entries.length) {
      entries = entries.slice(head);
      head = 0;
    }
  };
  const log: DeliveryLog & { readonly size: number } = {
    append(entry) {
      const key = entry.deliveryKey;
      const attempt = key === undefined ? 1 : (attempts.get(key) ?? 0) + 1;
      if (key !== undefined) attempts.set(key, attempt);
      entry.attempt = attempt;
      entries.push(entry);
      expire();
    },
    list(filter, page) {
      expire();
      const limit = page?.limit ?? 100;
      // the cursor is the id of the next entry to look at (an index would move as old entries go)
      const from =
        page?.cursor === undefined
          ? entries.length - 1
          : entries.findIndex((e, i) => i >= head && e.id === page.cursor);
      const found: DeliveryLogEntry[] = [];
      for (let i = from; i >= head; i--) {
        const entry = entries[i] as DeliveryLogEntry;
        if (!matchesFilter(entry, filter)) continue;
        if (found.length === limit) return { entries: found, cursor: entry.id };
        found.push(structuredClone(entry));
      }
      return { entries: found, cursor: undefined };
    },
    get(id) {
      const entry = entries.find((one, i) => i >= head && one.id === id);
      return entry === undefined ? undefined : structuredClone(entry);
    },
    get size() {
      return entries.length - head;
    },
  };
  return logDeliveries(log);
}
