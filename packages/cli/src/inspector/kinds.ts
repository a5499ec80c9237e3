import { availabilityUpdate, bookingLifecycle, bookingUpdate } from "@octo-webhooks/testing";

// What the inspector's Send form offers: one row per kind of event, built on the factories of
// @octo-webhooks/testing. Adding a kind (an order or a product update) is adding a row; `dev --to`
// subscribes to the events of these rows.

/** One choice of the Send form. */
export interface SendKind {
  /** In the API and the form: `cancel`. */
  readonly id: string;
  /** Shown in the form. */
  readonly label: string;
  /** The webhook event it is delivered as; it goes to every webhook registered for it. */
  readonly event: string;
  /** The body for `seed` (the same seed: the same booking, product and slot). */
  readonly build: (seed: string) => object;
}

/** The kinds of the Send form, in the order shown. */
export const SEND_KINDS: readonly SendKind[] = [
  {
    id: "confirm",
    label: "Booking confirmed (ON_HOLD → CONFIRMED)",
    event: "booking_update",
    build: (seed) => bookingUpdate({ seed, status: "CONFIRMED" }),
  },
  {
    id: "amend",
    label: "Booking amended (a note, one more unit)",
    event: "booking_update",
    build: (seed) => bookingLifecycle({ seed })[2],
  },
  {
    id: "cancel",
    label: "Booking cancelled (CONFIRMED → CANCELLED)",
    event: "booking_update",
    build: (seed) => bookingUpdate({ seed, status: "CANCELLED" }),
  },
  {
    id: "expire",
    label: "Booking expired (ON_HOLD → EXPIRED)",
    event: "booking_update",
    build: (seed) => bookingUpdate({ seed, status: "EXPIRED" }),
  },
  {
    id: "availability",
    label: "Availability changed (2 seats left)",
    event: "availability_update",
    build: (seed) => availabilityUpdate({ seed, vacancies: 2 }),
  },
];

/**
 * The body of `kind` for the form, without its `webhook` echo: the supplier adds each subscription's own
 * when it delivers.
 */
export function bodyOf(kind: SendKind, seed: string): Record<string, unknown> {
  const { webhook: _echo, ...body } = kind.build(seed) as Record<string, unknown>;
  return body;
}
