import type { Booking, BookingUpdateEvent, DiffEntry, UnitItem } from "@octo-webhooks/core";
import { diffOf } from "./diff.ts";
import { createRandom } from "./random.ts";
import {
  createdAtOf,
  DAY,
  type FactoryOptions,
  hasPricing,
  MINUTE,
  pricing,
  productOf,
  supplierOf,
  utc,
  webhookEcho,
} from "./shared.ts";

/** A booking status: the OCTO ones autocomplete; any string is accepted, as from real suppliers. */
export type BookingStatus = NonNullable<Booking["status"]>;

/** Options of {@link bookingUpdate}; every one has a default. */
export interface BookingUpdateOptions extends FactoryOptions {
  /** The booking's status (default `"CONFIRMED"`); timestamps, cancellation and unit items follow it. */
  status?: BookingStatus;
  /** Booking fields to override, applied last (shallow). */
  booking?: Partial<Booking>;
  /**
   * The `diff` to send. By default, the change from the usual previous status (ON_HOLD -> CONFIRMED,
   * CONFIRMED -> CANCELLED...); `null` leaves `diff` out.
   */
  diff?: DiffEntry[] | null;
}

/** Options of {@link bookingLifecycle}: those of `bookingUpdate` but `status` and `diff`, which the lifecycle sets. */
export type BookingLifecycleOptions = Omit<BookingUpdateOptions, "status" | "diff">;

/** What a booking looks like at one moment of its life. */
interface BookingState {
  status: BookingStatus;
  updatedAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  expiresAt: Date | null;
  redeemedAt: Date | null;
  notes: string | null;
  units: readonly string[];
}

const PRICES: Record<string, number> = { adult: 4500, child: 2500 };
const CONTACTS = [
  ["Ada", "Lovelace", "GB", "en-GB", "EC1A 1BB"],
  ["Grace", "Hopper", "US", "en-US", "10001"],
  ["Katherine", "Johnson", "US", "en-US", "23666"],
  ["Hedy", "Lamarr", "AT", "de-AT", "1010"],
] as const;
const UNIT_STATUS: Record<string, string> = { PENDING: "ON_HOLD", REJECTED: "CANCELLED" };
const PREVIOUS: Record<string, BookingStatus> = {
  CONFIRMED: "ON_HOLD",
  EXPIRED: "ON_HOLD",
  CANCELLED: "CONFIRMED",
  REDEEMED: "CONFIRMED",
  REJECTED: "PENDING",
};
// every update changes it; a diff entry for it would be noise
const NOT_DIFFED = new Set(["/utcUpdatedAt"]);

const emptyContact = () => ({
  fullName: null,
  firstName: null,
  lastName: null,
  emailAddress: null,
  phoneNumber: null,
  locales: [],
  postalCode: null,
  country: null,
  notes: null,
});

/** The usual state of a booking in `status`, on the timeline derived from `createdAt`. */
function stateFor(status: BookingStatus, createdAt: Date): BookingState {
  const at = (ms: number) => new Date(createdAt.getTime() + ms);
  const { start } = productOf({ createdAt });
  const state: BookingState = {
    status,
    updatedAt: at(2 * MINUTE),
    confirmedAt: at(2 * MINUTE),
    cancelledAt: null,
    expiresAt: null,
    redeemedAt: null,
    notes: null,
    units: ["adult", "adult", "child"],
  };
  switch (status) {
    case "ON_HOLD":
      return { ...state, updatedAt: createdAt, confirmedAt: null, expiresAt: at(30 * MINUTE) };
    case "PENDING":
      return { ...state, updatedAt: createdAt, confirmedAt: null };
    case "EXPIRED":
      return { ...state, updatedAt: at(30 * MINUTE), confirmedAt: null, expiresAt: at(30 * MINUTE) };
    case "REJECTED":
      return { ...state, updatedAt: at(5 * MINUTE), confirmedAt: null };
    case "CANCELLED":
      return { ...state, updatedAt: at(DAY), cancelledAt: at(DAY) };
    case "REDEEMED":
      return { ...state, updatedAt: start, redeemedAt: start };
    default:
      return state;
  }
}

function bookingAt(state: BookingState, options: FactoryOptions): Booking {
  const random = createRandom(options.seed ?? 1);
  const createdAt = createdAtOf(options);
  const product = productOf(options);
  const id = random.uuid();
  const uuid = random.uuid();
  const supplierReference = random.reference();
  const [first, last, country, locale, postalCode] =
    CONTACTS[random.int(0, CONTACTS.length - 1)] ?? CONTACTS[0];
  const unitIds = Array.from({ length: 8 }, () => ({ uuid: random.uuid(), reference: random.reference() }));
  const withPricing = hasPricing(options);
  const status = state.status;
  const unitStatus = UNIT_STATUS[status] ?? status;
  const time = (date: Date | null) => (date === null ? null : utc(date));

  const unitItems: UnitItem[] = state.units.map((unitId, i) => {
    const ids = unitIds[i % unitIds.length] as { uuid: string; reference: string };
    return {
      uuid: ids.uuid,
      resellerReference: null,
      supplierReference: ids.reference,
      unitId,
      unitType: unitId.toUpperCase(),
      status: unitStatus,
      utcRedeemedAt: time(state.redeemedAt),
      contact: emptyContact(),
      ticket: {
        redemptionMethod: "DIGITAL",
        utcRedeemedAt: time(state.redeemedAt),
        deliveryOptions: [{ deliveryFormat: "QRCODE", deliveryValue: `OCTO-${ids.reference}` }],
      },
      ...(withPricing ? { pricing: pricing(PRICES[unitId] ?? 3000) } : {}),
    };
  });
  const booking: Booking = {
    id,
    uuid,
    testMode: true,
    resellerReference: `RES-${supplierReference}`,
    supplierReference,
    status,
    utcCreatedAt: utc(createdAt),
    utcUpdatedAt: utc(state.updatedAt),
    utcExpiresAt: time(state.expiresAt),
    utcRedeemedAt: time(state.redeemedAt),
    utcConfirmedAt: time(state.confirmedAt),
    productId: product.productId,
    optionId: product.optionId,
    cancellable: status === "ON_HOLD" || status === "CONFIRMED" || status === "PENDING",
    cancellation:
      state.cancelledAt === null
        ? null
        : { refund: "FULL", reason: "Customer changed plans", utcCancelledAt: utc(state.cancelledAt) },
    freesale: false,
    availabilityId: product.slot.id,
    availability: { ...product.slot },
    contact: {
      fullName: `${first} ${last}`,
      firstName: first,
      lastName: last,
      emailAddress: `${first.toLowerCase()}@example.test`,
      phoneNumber: "+44 20 7946 0000",
      locales: [locale],
      postalCode,
      country,
      notes: null,
    },
    notes: state.notes,
    deliveryMethods: ["VOUCHER", "TICKET"],
    voucher: {
      redemptionMethod: "DIGITAL",
      utcRedeemedAt: time(state.redeemedAt),
      deliveryOptions: [
        {
          deliveryFormat: "PDF_URL",
          deliveryValue: `https://tickets.example.test/v/${supplierReference}.pdf`,
        },
      ],
    },
    unitItems,
  };
  if (withPricing) {
    booking.pricing = pricing(state.units.reduce((sum, unit) => sum + (PRICES[unit] ?? 3000), 0));
  }
  return booking;
}

function envelope(
  booking: Booking,
  diff: DiffEntry[] | null | undefined,
  options: BookingUpdateOptions,
): BookingUpdateEvent {
  const body: BookingUpdateEvent = {
    webhook: webhookEcho("booking_update", options),
    booking: { ...booking, ...options.booking } as Booking,
  };
  if (diff != null && diff.length > 0) body.diff = diff;
  const supplier = supplierOf(options);
  if (supplier !== undefined) body.supplier = supplier;
  return body;
}

/**
 * A realistic `booking_update` body, valid against OCTO's strict schema (`strictSchemas.BookingUpdate`)
 * and the same for the same options. The status decides the timestamps, the cancellation, the unit items'
 * statuses and a `diff` from the usual previous status.
 *
 * @example
 * ```ts
 * import { bookingUpdate } from "@octo-webhooks/testing";
 *
 * const body = bookingUpdate({ status: "CANCELLED", booking: { notes: "late cancellation" } });
 * await webhooks.receive(body); // runs your onBookingUpdate with body.booking.status === "CANCELLED"
 * ```
 */
export function bookingUpdate(options: BookingUpdateOptions = {}): BookingUpdateEvent {
  const status = options.status ?? "CONFIRMED";
  const createdAt = createdAtOf(options);
  const booking = bookingAt(stateFor(status, createdAt), options);
  let diff = options.diff;
  if (diff === undefined) {
    const previous = PREVIOUS[status];
    diff =
      previous === undefined
        ? null
        : diffOf(bookingAt(stateFor(previous, createdAt), options), booking, NOT_DIFFED);
  }
  return envelope(booking, diff, options);
}

/**
 * The four `booking_update` bodies of one booking's life, in order: put ON_HOLD, CONFIRMED, amended
 * (status unchanged: a note and one more unit), CANCELLED. Every `diff` (`{ op, path, was, value }`)
 * is the exact change from the previous body; `utcUpdatedAt` grows at each step.
 *
 * @example
 * ```ts
 * const [onHold, confirmed, amended, cancelled] = bookingLifecycle({ seed: "my-test" });
 * for (const body of [onHold, confirmed, amended, cancelled]) await webhooks.receive(body);
 * ```
 */
export function bookingLifecycle(
  options: BookingLifecycleOptions = {},
): [BookingUpdateEvent, BookingUpdateEvent, BookingUpdateEvent, BookingUpdateEvent] {
  const createdAt = createdAtOf(options);
  const onHold = stateFor("ON_HOLD", createdAt);
  const confirmed = stateFor("CONFIRMED", createdAt);
  const amended: BookingState = {
    ...confirmed,
    updatedAt: new Date(createdAt.getTime() + 60 * MINUTE),
    notes: "One more adult; please keep seats together",
    units: [...confirmed.units, "adult"],
  };
  const cancelled: BookingState = {
    ...stateFor("CANCELLED", createdAt),
    notes: amended.notes,
    units: amended.units,
  };
  const snapshots = [onHold, confirmed, amended, cancelled].map((state) => bookingAt(state, options));
  return snapshots.map((booking, i) =>
    envelope(booking, i === 0 ? null : diffOf(snapshots[i - 1], booking, NOT_DIFFED), options),
  ) as [BookingUpdateEvent, BookingUpdateEvent, BookingUpdateEvent, BookingUpdateEvent];
}
