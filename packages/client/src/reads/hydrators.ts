// The functions core's `hydrate` option takes, built on a client's read calls: `client.hydrator()`, and
// `hydrators()` for a receiver with many suppliers. A resource the supplier says does not exist resolves
// `null`; so does a notification naming an identifier no read can fetch (`..`, too long), with a warning;
// any other failure rejects (core then answers so that the supplier retries).
import type { OctoHydrator } from "@octo-webhooks/core";
import { configError, OctoApiError, OctoClientError, PACKAGE_PREFIX } from "../errors.ts";
import type { ClientLogger } from "../http/send.ts";
import type { OctoAvailabilityApi, OctoBookingsApi, OctoProductsApi } from "./read-calls.ts";

/** The OCTO error codes that mean "no such resource" (suppliers answer them with 400 or 404). */
const NOT_FOUND_CODES = new Set(["INVALID_BOOKING_UUID", "INVALID_PRODUCT_ID", "INVALID_OPTION_ID"]);

/**
 * Whether an error of a read call means the resource does not exist (final), not "try again later":
 * a 404, or a 400 with `INVALID_BOOKING_UUID`, `INVALID_PRODUCT_ID` or `INVALID_OPTION_ID`.
 *
 * @example
 * ```ts
 * const booking = await client.bookings.get(uuid).catch((e) => (isNotFound(e) ? null : Promise.reject(e)));
 * ```
 */
export function isNotFound(error: unknown): boolean {
  return (
    error instanceof OctoApiError &&
    (error.status === 404 || (error.status === 400 && NOT_FOUND_CODES.has(error.code)))
  );
}

/** What a hydrator needs of a client (an `OctoClient` is one: its own `hydrator()` is used). */
export interface HydratingClient {
  readonly bookings: OctoBookingsApi;
  readonly availability: OctoAvailabilityApi;
  readonly products: OctoProductsApi;
  /** The client's hydrator, when it has one (it warns through the client's logger). */
  hydrator?(): OctoHydrator;
}

/**
 * Whether a read call refused the notification's own data before sending anything (an identifier `..`
 * or longer than 256 characters, a date that is no date): no retry can ever read it.
 */
const unreadable = (error: unknown) =>
  error instanceof OctoClientError && error.code === "CONFIG_INVALID" && error.method === undefined;

/**
 * The hydrator of one client (see `OctoClient.hydrator`). A notification naming something no read can
 * fetch resolves `null` (final: the supplier stops retrying) with a warning to `logger`.
 */
export function hydratorOf(client: HydratingClient, logger: ClientLogger = {}): OctoHydrator {
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
      if (unreadable(error)) {
        const why = (error as Error).message.slice(PACKAGE_PREFIX.length + 1);
        logger.warn?.(
          `${PACKAGE_PREFIX} a ${notification.type} notification names what no read can fetch (${why}); answered as not found, so that the supplier does not retry it`,
        );
        return null;
      }
      throw error;
    }
  };
}

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
  const byId = new Map(
    Object.entries(clients).map(([id, client]) => [
      id,
      typeof client.hydrator === "function" ? client.hydrator() : hydratorOf(client),
    ]),
  );
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
