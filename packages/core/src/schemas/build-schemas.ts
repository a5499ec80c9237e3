// Every schema of one kind (lenient or strict): bookings and availability, then orders and products over them.
import { buildBookingSchemas } from "./build-booking-schemas.ts";
import { buildCartSchemas } from "./build-cart-schemas.ts";
import type { Kit, Mode } from "./kit.ts";

/**
 * The OCTO webhook payloads, written once. Field lists follow the OCTO spec (`@octocloud/types`,
 * Ventrata's `octo-types` OpenAPI); `k` decides how strict each kind of field is (see `kit.ts`).
 */
export function buildSchemas<M extends Mode>(k: Kit<M>) {
  const bookings = buildBookingSchemas(k);
  return { ...bookings, ...buildCartSchemas(k, bookings) };
}
