// Replay from the delivery log: the bodies of logged deliveries through a receiver's `receive()` again,
// marked as replays, through the same dedupe and stale guard unless asked to apply them again (`force`).
import type { OctoWebhooks, ReceiveResult } from "../receiver/types.ts";
import type { DeliveryLog, DeliveryLogEntry, DeliveryLogFilter } from "./delivery-log.ts";

/** Options of {@link replayDeliveries}. */
export interface ReplayOptions {
  /** Where the deliveries were logged. */
  log: DeliveryLog;
  /** What replays them: a receiver (a queue's receiver hands them to its workers). */
  receiver: Pick<OctoWebhooks, "receive">;
  /** Which deliveries (by supplier, event, resource, delivery key, time range...); all by default. */
  filter?: DeliveryLogFilter;
  /** Apply them again whatever `dedupe` and `staleGuard` say (default: they decide, as for a retry). */
  force?: boolean;
  /** Only count what would be replayed. */
  dryRun?: boolean;
  /** The most deliveries replayed (default: every match). */
  limit?: number;
  /** Called after each one, for progress. */
  onReplayed?: (entry: DeliveryLogEntry, result: ReceiveResult | Error) => void;
}

/** What a replay did. */
export interface ReplaySummary {
  /** Deliveries found (one per delivery key: its latest attempt with a body). */
  found: number;
  /** Replayed and reached handlers. */
  applied: number;
  /** Replayed, and kept from handlers by dedupe or the stale guard (already applied). */
  skipped: number;
  /** Replayed, and refused or failed. */
  failed: number;
  /** Logged without a body (refused before it was read, or larger than the log keeps): not replayable. */
  withoutBody: number;
}

/**
 * Replays logged deliveries through `receiver.receive()`, newest logged first, each delivery key once
 * (its latest attempt that kept a body). Each is `context.source === "replay"`, with its supplier and
 * its logged headers, and is logged again as a new attempt when the receiver logs.
 *
 * @example
 * ```ts
 * const summary = await replayDeliveries({ log, receiver: webhooks, filter: { supplier: "peek", since: "2026-12-01T00:00:00Z" } });
 * console.log(`${summary.applied} applied, ${summary.skipped} already applied`);
 * ```
 */
export async function replayDeliveries(options: ReplayOptions): Promise<ReplaySummary> {
  const { log, receiver, filter, force = false, dryRun = false, limit = Number.POSITIVE_INFINITY } = options;
  const summary: ReplaySummary = { found: 0, applied: 0, skipped: 0, failed: 0, withoutBody: 0 };
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await log.list(filter, { cursor, limit: 200 });
    for (const entry of page.entries) {
      const key = entry.deliveryKey ?? entry.id;
      if (seen.has(key)) continue;
      if (entry.body === undefined) {
        summary.withoutBody++;
        continue;
      }
      seen.add(key);
      if (summary.found >= limit) return summary;
      summary.found++;
      if (dryRun) continue;
      try {
        const result = await receiver.receive(entry.body, {
          source: "replay",
          headers: entry.headers,
          ...(entry.supplier === undefined ? {} : { supplier: entry.supplier }),
          ...(force ? { force: true } : {}),
        });
        if (result.skipped === undefined) summary.applied++;
        else summary.skipped++;
        options.onReplayed?.(entry, result);
      } catch (error) {
        summary.failed++;
        options.onReplayed?.(entry, error instanceof Error ? error : new Error(String(error)));
      }
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  return summary;
}
