import * as z from "zod/mini";
import {
  AVAILABILITY_STATUSES,
  BOOKING_STATUSES,
  DELIVERY_FORMATS,
  DELIVERY_METHODS,
  DIFF_OPS,
  REDEMPTION_METHODS,
  REFUND_TYPES,
  UNIT_TYPES,
  WEBHOOK_EVENTS,
} from "./enums.ts";
import type { Kit, Mode } from "./kit.ts";

/** The booking and availability payloads. */
export function buildBookingSchemas<M extends Mode>(k: Kit<M>) {
  const str = z.string;
  const int = () => z.number().check(z.int());

  const Tax = k.object({
    name: k.field(str()),
    retail: k.field(int()),
    original: k.field(int()),
    net: k.nullable(int()),
  });

  const Pricing = k.object({
    original: k.field(int()),
    retail: k.field(int()),
    net: k.nullable(int()),
    currency: k.field(str()),
    currencyPrecision: k.field(int()),
    includedTaxes: k.field(z.array(Tax)),
  });

  const UnitPricing = k.object({
    ...Pricing.shape,
    unitId: k.field(str()),
  });

  const OpeningHours = k.object({
    from: k.field(str()),
    to: k.field(str()),
  });

  const Contact = k.object({
    fullName: k.nullable(str()),
    firstName: k.nullable(str()),
    lastName: k.nullable(str()),
    emailAddress: k.nullable(str()),
    phoneNumber: k.nullable(str()),
    locales: k.field(z.array(str())),
    postalCode: k.nullable(str()),
    country: k.nullable(str()),
    notes: k.nullable(str()),
  });

  const DeliveryOption = k.object({
    deliveryFormat: k.field(k.oneOf(DELIVERY_FORMATS)),
    deliveryValue: k.field(str()),
  });

  const Ticket = k.object({
    redemptionMethod: k.field(k.oneOf(REDEMPTION_METHODS)),
    utcRedeemedAt: k.nullable(k.utc()),
    deliveryOptions: k.field(z.array(DeliveryOption)),
  });

  const Cancellation = k.object({
    refund: k.field(k.oneOf(REFUND_TYPES)),
    reason: k.nullable(str()),
    utcCancelledAt: k.field(k.utc()),
  });

  const UnitItem = k.object({
    uuid: k.field(str()),
    resellerReference: k.nullable(str()),
    supplierReference: k.nullable(str()),
    unitId: k.field(str()),
    status: k.field(k.oneOf(BOOKING_STATUSES)),
    utcRedeemedAt: k.nullable(k.utc()),
    contact: k.field(Contact),
    ticket: k.nullable(Ticket),
    unitType: k.optional(k.oneOf(UNIT_TYPES)),
    pricing: k.optional(Pricing),
  });

  /** The availability slot embedded in a booking (senders often send only these five fields). */
  const BookingAvailability = k.object({
    id: k.field(str()),
    localDateTimeStart: k.field(str()),
    localDateTimeEnd: k.field(str()),
    allDay: k.field(z.boolean()),
    openingHours: k.field(z.array(OpeningHours)),
  });

  const Booking = k.object({
    id: k.field(str()),
    uuid: k.required(str()),
    testMode: k.field(z.boolean()),
    resellerReference: k.nullable(str()),
    supplierReference: k.nullable(str()),
    status: k.field(k.oneOf(BOOKING_STATUSES)),
    utcCreatedAt: k.field(k.utc()),
    utcUpdatedAt: k.nullable(k.utc()),
    utcExpiresAt: k.nullable(k.utc()),
    utcRedeemedAt: k.nullable(k.utc()),
    utcConfirmedAt: k.nullable(k.utc()),
    productId: k.field(str()),
    optionId: k.field(str()),
    cancellable: k.field(z.boolean()),
    cancellation: k.nullable(Cancellation),
    freesale: k.field(z.boolean()),
    availabilityId: k.nullable(str()),
    availability: k.nullable(BookingAvailability),
    contact: k.field(Contact),
    notes: k.nullable(str()),
    deliveryMethods: k.field(z.array(k.oneOf(DELIVERY_METHODS))),
    voucher: k.nullable(Ticket),
    unitItems: k.field(z.array(UnitItem)),
    // capability fields
    pricing: k.optional(Pricing),
    orderId: k.optional(str()),
    orderReference: k.optional(str()),
  });

  const Availability = k.object({
    id: k.required(str()),
    localDateTimeStart: k.field(str()),
    localDateTimeEnd: k.field(str()),
    utcCutoffAt: k.field(k.utc()),
    allDay: k.field(z.boolean()),
    available: k.field(z.boolean()),
    status: k.field(k.oneOf(AVAILABILITY_STATUSES)),
    vacancies: k.nullable(int()),
    capacity: k.nullable(int()),
    maxUnits: k.nullable(int()),
    openingHours: k.field(z.array(OpeningHours)),
    // capability fields
    unitPricing: k.optional(z.array(UnitPricing)),
    pricing: k.optional(Pricing),
    // the seed document puts these inside the availability, the Ventrata spec at the top level
    productId: k.optional(str()),
    optionId: k.optional(str()),
  });

  const Webhook = k.object({
    id: k.field(str()),
    event: k.field(k.oneOf(WEBHOOK_EVENTS)),
    url: k.nullable(str()),
    retryOnError: k.optional(z.boolean()),
    useContactLanguage: k.optional(z.boolean()),
    headers: k.optional(z.record(str(), str())),
    capabilities: k.optional(z.array(str())),
  });

  /** One change of a booking: a JSON Patch-like operation with the previous value. */
  const Diff = k.object({
    op: k.field(k.oneOf(DIFF_OPS)),
    path: k.field(str()),
    was: z.optional(z.unknown()),
    value: z.optional(z.unknown()),
  });

  const Supplier = k.object({
    id: k.field(str()),
    name: k.field(str()),
    endpoint: k.field(str()),
    contact: k.field(
      k.object({
        website: k.nullable(str()),
        email: k.nullable(str()),
        telephone: k.nullable(str()),
        address: k.nullable(str()),
      }),
    ),
  });

  const BookingUpdate = k.object({
    webhook: k.field(Webhook),
    booking: k.required(Booking),
    diff: k.optional(z.array(Diff)),
    supplier: k.optional(Supplier),
    event: z.optional(z.unknown()),
  });

  const AvailabilityUpdate = k.object({
    webhook: k.field(Webhook),
    availability: k.required(Availability),
    productId: k.optional(str()),
    optionId: k.optional(str()),
    supplier: k.optional(Supplier),
  });

  return {
    Tax,
    Pricing,
    UnitPricing,
    OpeningHours,
    Contact,
    DeliveryOption,
    Ticket,
    Cancellation,
    UnitItem,
    BookingAvailability,
    Booking,
    Availability,
    Webhook,
    Diff,
    Supplier,
    BookingUpdate,
    AvailabilityUpdate,
  };
}
