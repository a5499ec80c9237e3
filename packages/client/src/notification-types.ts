// The notification types the client's hydrator works on: core's (the receiving side), re-exported so
// that a hydrator written with the client alone is typed the same.
export type {
  AvailabilityNotification,
  BookingNotification,
  NotificationType,
  OctoHydrator,
  OctoNotification,
  ProductNotification,
} from "@octo-webhooks/core";
