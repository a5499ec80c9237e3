// `client.hydrator()`: the function core's `hydrate` option takes, built on the client's read calls. A
// resource the supplier says does not exist resolves `null`; any other failure rejects (core then
// answers so that the supplier retries).
import type { OctoHydrator } from "@octo-webhooks/core";
import { isNotFound } from "./is-not-found.ts";
import type { OctoAvailabilityApi, OctoBookingsApi, OctoProductsApi } from "./read-calls.ts";

/** What a hydrator needs of a client. */
export interface HydratingClient {
  readonly bookings: OctoBookingsApi;
  readonly availability: OctoAvailabilityApi;
  readonly products: OctoProductsApi;
}

/** The hydrator of one client (see `OctoClient.hydrator`). */
export function hydratorOf(client: HydratingClient): OctoHydrator {
  return async (notification, { signal }) => {
    try {
      switch (notification.type) {
        case "BOOKING_UPDATE":
          return await client.bookings.get(notification.data.uuid, { signal });
        case "AVAILABILITY_UPDATE": {
          const { productId, optionId, localDateStart, localDateEnd } = notification.data;
          return await client.availability.check(
            { productId, optionId, localDateStart, localDateEnd },
            { signal },
          );
        }
        case "PRODUCT_UPDATE":
          return await client.products.get(notification.data.productId, { signal });
        default:
          throw new Error(
            `[@octo-webhooks/client] no read call fetches notifications of type ${String((notification as { type: unknown }).type).slice(0, 64)}; handle it with onNotification`,
          );
      }
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  };
}
