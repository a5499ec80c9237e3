// A hydrated notification as the webhook-shaped deliveries its resource stands for (`booking_update`, one
// `availability_update` per slot, `product_update`), which the pipeline then admits and dispatches as it
// does webhooks. See docs/octo.md.
import { PACKAGE_PREFIX } from "../errors/codes.ts";
import { OctoRequestError } from "../errors/errors.ts";
import { DeliveryContext } from "../events/delivery-context.ts";
import { lenientValidation } from "../events/lenient-validation.ts";
import { type ParsedDelivery, type ParseSettings, parseDelivery } from "../events/parse-delivery.ts";
import { HydrationFailure } from "./create-hydrator.ts";
import type { OctoNotification } from "./notification.ts";

/** The most availability slots one notification dispatches (each runs the availability handlers). */
export const MAX_SLOTS = 5000;

const LENIENT: ParseSettings = { validator: lenientValidation, strict: false, unknownEvents: "accept" };

/** The webhook-shaped bodies a hydrated resource stands for (an availability list: one per slot). */
function hydratedBodies(
  notification: OctoNotification,
  resource: unknown,
): Array<[string, Record<string, unknown>]> {
  switch (notification.type) {
    case "BOOKING_UPDATE":
      return [["booking_update", { booking: resource }]];
    case "PRODUCT_UPDATE":
      return [["product_update", { product: resource }]];
    default: {
      const { productId, optionId } = notification.data;
      const slots = Array.isArray(resource) ? resource : [resource];
      if (slots.length > MAX_SLOTS) {
        throw new OctoRequestError(
          "RESOURCE_TOO_LARGE",
          `the AVAILABILITY_UPDATE notification's resource has ${slots.length} slots; at most ${MAX_SLOTS} are dispatched for one notification (ask the supplier for shorter ranges)`,
        );
      }
      return slots.map((availability) => ["availability_update", { availability, productId, optionId }]);
    }
  }
}

/**
 * The deliveries of the notification `delivery` once its resource was fetched, each in the notification's
 * span, with the notification's headers, supplier and raw body, keyed by its own body. A resource that is
 * not what its type needs throws a `HydrationFailure` (the supplier retries).
 */
export function hydratedDeliveries(delivery: ParsedDelivery, resource: unknown): ParsedDelivery[] {
  const notification = delivery.notification as OctoNotification;
  const { rawBody, headers, supplier } = delivery.context;
  return hydratedBodies(notification, resource).map(([event, body]) => {
    let parsed: ParsedDelivery;
    try {
      parsed = parseDelivery({ parsed: body }, { headers, supplier }, LENIENT);
    } catch (error) {
      const issues = error instanceof OctoRequestError ? error.issues.map((i) => i.path).join(", ") : "";
      throw new HydrationFailure(false, {
        cause: new Error(
          `${PACKAGE_PREFIX} the hydrator resolved an invalid ${event} resource (at ${issues})`,
        ),
      });
    }
    const context = new DeliveryContext({
      event,
      rawBody,
      lifecycle: parsed.context.lifecycle,
      body,
      headers,
      supplier,
      notification,
    });
    return { ...parsed, context, span: delivery.span, force: delivery.force };
  });
}
