import type { OctoHydrator } from "@octo-webhooks/core";
import { configError } from "./errors.ts";
import { type HydratingClient, hydratorOf } from "./hydrator-of.ts";

/**
 * One hydrator for a receiver with many suppliers: it fetches each notification from the client of
 * the delivery's supplier (`context.supplier`, decided by the receiver's `suppliers` option). A
 * notification from a supplier with no client rejects, naming the supplier.
 *
 * @example
 * ```ts
 * import { createOctoClient, hydrators } from "@octo-webhooks/client";
 * import { createOctoWebhooks } from "@octo-webhooks/core";
 *
 * const clients = {
 *   ventrata: createOctoClient({ baseUrl: "https://api.ventrata.com/octo", apiKey: process.env.VENTRATA_KEY! }),
 *   peek: createOctoClient({ baseUrl: "https://octo.peek.com/integrations/octo", apiKey: process.env.PEEK_KEY! }),
 * };
 * const webhooks = createOctoWebhooks({ hydrate: hydrators(clients), onBookingUpdate: ({ booking }) => console.log(booking.status) });
 * ```
 */
export function hydrators(clients: Readonly<Record<string, HydratingClient>>): OctoHydrator {
  if (typeof clients !== "object" || clients === null)
    configError("`hydrators` takes clients by supplier id");
  const byId = new Map(Object.entries(clients).map(([id, client]) => [id, hydratorOf(client)]));
  if (byId.size === 0) configError("`hydrators` takes at least one client, by supplier id");
  const ids = [...byId.keys()].join(", ");
  return (notification, context) => {
    const { supplier } = context;
    const hydrate =
      supplier === undefined ? (byId.size === 1 ? [...byId.values()][0] : undefined) : byId.get(supplier);
    if (hydrate === undefined) {
      return Promise.reject(
        new Error(
          supplier === undefined
            ? `[@octo-webhooks/client] a notification came with no supplier and hydrators() has several clients (${ids}); give the receiver \`suppliers\` so that each delivery names its supplier`
            : `[@octo-webhooks/client] no client for supplier "${supplier.slice(0, 64)}" in hydrators() (it has ${ids}); add one`,
        ),
      );
    }
    return hydrate(notification, context);
  };
}
