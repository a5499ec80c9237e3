// The notification types the client's hydrator works on. Structurally the same as core's (the
// receiving side); kept here until core exports them, then re-exported from core.

/** A notification type of the OCTO `notifications` capability. */
export type NotificationType = "BOOKING_UPDATE" | "AVAILABILITY_UPDATE" | "PRODUCT_UPDATE";

/** A thin booking notification: the booking to fetch. */
export interface BookingNotification {
  type: "BOOKING_UPDATE";
  data: { uuid: string } & Record<string, unknown>;
}

/** A thin availability notification: the product, option and dates to fetch. */
export interface AvailabilityNotification {
  type: "AVAILABILITY_UPDATE";
  data: { productId: string; optionId?: string; localDateStart: string; localDateEnd: string } & Record<
    string,
    unknown
  >;
}

/** A thin product notification: the product to fetch. */
export interface ProductNotification {
  type: "PRODUCT_UPDATE";
  data: { productId: string } & Record<string, unknown>;
}

/** Any thin notification, its data normalised to the canonical field names. */
export type OctoNotification = BookingNotification | AvailabilityNotification | ProductNotification;

/**
 * Fetches the resource a notification names: a Booking, an array of Availability, a Product, or `null`
 * when the supplier says it does not exist. Rejecting means "could not fetch now".
 */
export type OctoHydrator = (
  notification: OctoNotification,
  context: { signal: AbortSignal; supplier?: string | undefined },
) => Promise<unknown>;
