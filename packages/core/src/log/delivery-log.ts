// The delivery log: what each delivery brought and what the receiver did with it, one entry per attempt,
// kept by a store (`createMemoryLog()` here, Redis and Postgres in their packages). Off unless `log` is given.

/** What one handler did with a delivery. */
export interface LoggedHandler {
  /** The event it ran for (`booking_update`, `booking.cancelled`...). */
  event: string;
  /** Its position in the delivery's list. */
  index: number;
  ok: boolean;
  durationMs: number;
  /** What it threw (its message, credentials removed), when it failed. */
  error?: string | undefined;
}

/** What became of a delivery. */
export type DeliveryOutcome =
  | "handled"
  | "accepted"
  | "duplicate"
  | "stale"
  | "unchanged"
  | "notFound"
  | "refused"
  | "failed";

/** One attempt of one delivery, as the log keeps it. Never holds a credential. */
export interface DeliveryLogEntry {
  /** This attempt's id (unique). */
  id: string;
  /** When it arrived, ISO 8601. */
  receivedAt: string;
  /** Where it came from. */
  source: "webhook" | "notification" | "reconciliation" | "replay";
  /** The configured supplier that sent it (its credentials proved it), or the one its path claimed when refused. */
  supplier?: string | undefined;
  /** The event, once parsed. */
  event?: string | undefined;
  /** The resource's id: `booking.uuid`, `order.id`, `product.id`, `availability.id`, or a notification's. */
  resourceId?: string | undefined;
  /** The delivery key: the same for every attempt of one delivery. */
  deliveryKey?: string | undefined;
  /** Which attempt of this delivery key this is, from 1 (the store counts). */
  attempt?: number | undefined;
  /** The body as received (credentials in it replaced), when read and within the log's limit. */
  body?: string | undefined;
  /** The body's size in bytes, when read. */
  bodySize?: number | undefined;
  /** The body's hash (its delivery key form), when it was too large to keep. */
  bodyHash?: string | undefined;
  /** The request headers, every credential removed. */
  headers: Record<string, string>;
  /** The HTTP status it was answered with (`undefined` for `receive()`). */
  status?: number | undefined;
  outcome: DeliveryOutcome;
  /** The error code and message of a refusal or failure. */
  error?: { code: string; message: string } | undefined;
  /** What each handler did. */
  handlers: LoggedHandler[];
  /** How long it took, arrival to answer (and, ack-first, to the end of its handlers), in ms. */
  durationMs: number;
}

/** Which entries to list: each field narrows; `since`/`until` are ISO instants (inclusive). */
export interface DeliveryLogFilter {
  supplier?: string | undefined;
  event?: string | undefined;
  resourceId?: string | undefined;
  deliveryKey?: string | undefined;
  outcome?: DeliveryOutcome | undefined;
  status?: number | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

/** A page of entries, newest first, and the cursor of the next page (`undefined` after the last). */
export interface DeliveryLogPage {
  entries: DeliveryLogEntry[];
  cursor: string | undefined;
}

/**
 * Where the delivery log is kept: `createMemoryLog()` (one process, bounded), `createRedisLog()` of
 * `@octo-webhooks/bullmq`, `createPostgresLog()` of `@octo-webhooks/postgres`. Give it as `log`.
 */
export interface DeliveryLog {
  /** Keeps an entry, setting its `attempt` (the number of entries of its delivery key so far, this one included). */
  append(entry: DeliveryLogEntry): void | Promise<void>;
  /** Entries matching `filter`, newest first, a page at a time. */
  list(
    filter?: DeliveryLogFilter,
    page?: { cursor?: string | undefined; limit?: number },
  ): DeliveryLogPage | Promise<DeliveryLogPage>;
  /** One entry by id. */
  get(id: string): DeliveryLogEntry | undefined | Promise<DeliveryLogEntry | undefined>;
}

/**
 * Whether `entry` matches `filter`: for a {@link DeliveryLog} of your own that filters in memory.
 *
 * @example
 * ```ts
 * const failed = entries.filter((entry) => matchesFilter(entry, { supplier: "peek", outcome: "failed" }));
 * ```
 */
export function matchesFilter(entry: DeliveryLogEntry, filter: DeliveryLogFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (filter.supplier !== undefined && entry.supplier !== filter.supplier) return false;
  if (filter.event !== undefined && entry.event !== filter.event) return false;
  if (filter.resourceId !== undefined && entry.resourceId !== filter.resourceId) return false;
  if (filter.deliveryKey !== undefined && entry.deliveryKey !== filter.deliveryKey) return false;
  if (filter.outcome !== undefined && entry.outcome !== filter.outcome) return false;
  if (filter.status !== undefined && entry.status !== filter.status) return false;
  if (filter.since !== undefined && entry.receivedAt < new Date(filter.since).toISOString()) return false;
  if (filter.until !== undefined && entry.receivedAt > new Date(filter.until).toISOString()) return false;
  return true;
}
