// What a queue's receiver writes to the delivery log: its deliveries are enqueued, not handled.
import { type DeliveryLog, LOG_INSTRUMENT, logDeliveries } from "@octo-webhooks/core";

/**
 * The receiver's `log` (a store, or `{ store, maxBodyBytes }`), its entries of deliveries enqueued said
 * `"accepted"` rather than `"handled"`: the handlers run in the worker, whose own entries say how.
 */
export function acceptanceLog<T>(option: T): T {
  const store = (option as { store?: unknown } | undefined)?.store;
  const log = (typeof (option as DeliveryLog | undefined)?.append === "function" ? option : store) as
    | DeliveryLog
    | undefined;
  // core says what is wrong with a log that is not one, or one not given through logDeliveries()
  if (log === undefined || typeof log.append !== "function" || !(LOG_INSTRUMENT in log)) return option;
  const accepted = logDeliveries({
    append: (entry) => log.append(entry.outcome === "handled" ? { ...entry, outcome: "accepted" } : entry),
    list: (filter, page) => log.list(filter, page),
    get: (id) => log.get(id),
  });
  return (log === option ? accepted : { ...(option as object), store: accepted }) as T;
}
