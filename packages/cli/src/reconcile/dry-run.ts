import type { ReconciledClient, ReconciledReceiver, ReconciledSupplier } from "@octo-webhooks/client";
import { eventOf } from "./receiver-over-http.ts";

// `reconcile --dry-run`: everything is read as in a real run, nothing is sent and nothing is created.
// The reconciler's own watchdog runs, so that what it would create again is decided by the same rules
// (event, URL, credentials); only its creates answer here instead of at the supplier.

/** The id a registration the dry run would create is reported with. */
export const NOT_CREATED = "(not created)";

/** A receiver that sends nothing: each resource counts as one that would be sent. */
export const dryRunReceiver: ReconciledReceiver = {
  receive: async (body) => ({ event: eventOf(body), handlers: 0 }),
};

/** `supplier` with a client whose webhook and subscription creates are not sent to the supplier. */
export function dryRunSupplier(supplier: ReconciledSupplier): ReconciledSupplier {
  const { client } = supplier;
  const dry: ReconciledClient = {
    ...client,
    webhooks: {
      ...client.webhooks,
      create: async (input) => ({ id: NOT_CREATED, event: input.event, url: input.url }),
    },
    notifications: {
      ...client.notifications,
      create: async (input) => ({
        id: NOT_CREATED,
        url: input.url,
        notificationTypes: [...input.notificationTypes],
        headers: input.headers ?? {},
      }),
    },
  };
  return { ...supplier, client: dry };
}
