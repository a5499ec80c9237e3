import * as z from "zod/mini";
import type { buildBookingSchemas } from "./build-booking-schemas.ts";
import {
  AVAILABILITY_TYPES,
  DELIVERY_FORMATS,
  DELIVERY_METHODS,
  DURATION_UNITS,
  ORDER_STATUSES,
  REDEMPTION_METHODS,
  SETTLEMENT_METHODS,
  UNIT_TYPES,
} from "./enums.ts";
import type { Kit, Mode } from "./kit.ts";

/**
 * The `order_update` and `product_update` payloads, written once like the booking ones. Field lists:
 * the cart model of `@octocloud/types` 1.5 (`Order`, `OrderStatus`) and Ventrata's OpenAPI (`Order`,
 * `SettlementMethod`, `Product`, `Option`, `Unit`; see docs/octo.md).
 */
export function buildCartSchemas<M extends Mode>(
  k: Kit<M>,
  parts: ReturnType<typeof buildBookingSchemas<M>>,
) {
  const str = z.string;
  const int = () => z.number().check(z.int());
  const { Booking, Contact, Pricing, Ticket, Webhook, Diff, Supplier } = parts;

  /** A cart order (`octo/cart`): its bookings are full bookings. */
  const Order = k.object({
    id: k.required(str()),
    testMode: k.field(z.boolean()),
    supplierReference: k.nullable(str()),
    settlementMethod: k.field(k.oneOf(SETTLEMENT_METHODS)),
    status: k.field(k.oneOf(ORDER_STATUSES)),
    utcCreatedAt: k.optional(k.utc()),
    utcUpdatedAt: k.optional(z.nullable(k.utc())),
    utcExpiresAt: k.nullable(k.utc()),
    utcConfirmedAt: k.nullable(k.utc()),
    cancellable: k.field(z.boolean()),
    confirmable: k.optional(z.boolean()),
    bookings: k.field(z.array(Booking)),
    contact: k.field(Contact),
    termsAccepted: k.optional(z.boolean()),
    voucher: k.optional(z.nullable(Ticket)),
    // capability and Ventrata fields
    pricing: k.optional(Pricing),
    settlementMethods: k.optional(z.array(k.oneOf(SETTLEMENT_METHODS))),
    updatable: k.optional(z.boolean()),
    active: k.optional(z.boolean()),
  });

  const UnitRestrictions = k.object({
    minAge: k.field(int()),
    maxAge: k.field(int()),
    idRequired: k.field(z.boolean()),
    minQuantity: k.nullable(int()),
    maxQuantity: k.nullable(int()),
    paxCount: k.field(int()),
    accompaniedBy: k.field(z.array(str())),
  });

  const Unit = k.object({
    id: k.field(str()),
    internalName: k.field(str()),
    reference: k.nullable(str()),
    type: k.field(k.oneOf(UNIT_TYPES)),
    restrictions: k.field(UnitRestrictions),
    requiredContactFields: k.field(z.array(str())),
    pricingFrom: k.optional(z.array(Pricing)),
    title: k.optional(z.nullable(str())),
  });

  const OptionRestrictions = k.object({
    minUnits: k.nullable(int()),
    maxUnits: k.nullable(int()),
  });

  const Option = k.object({
    id: k.field(str()),
    default: k.field(z.boolean()),
    internalName: k.field(str()),
    reference: k.nullable(str()),
    availabilityLocalStartTimes: k.field(z.array(str())),
    cancellationCutoff: k.field(str()),
    cancellationCutoffAmount: k.field(int()),
    cancellationCutoffUnit: k.field(k.oneOf(DURATION_UNITS)),
    requiredContactFields: k.field(z.array(str())),
    restrictions: k.field(OptionRestrictions),
    units: k.field(z.array(Unit)),
    title: k.optional(str()),
  });

  /** An OCTO product with its options and their units. */
  const Product = k.object({
    id: k.required(str()),
    internalName: k.field(str()),
    reference: k.nullable(str()),
    locale: k.field(str()),
    timeZone: k.optional(str()),
    allowFreesale: k.field(z.boolean()),
    instantConfirmation: k.field(z.boolean()),
    instantDelivery: k.field(z.boolean()),
    availabilityRequired: k.field(z.boolean()),
    availabilityType: k.field(k.oneOf(AVAILABILITY_TYPES)),
    deliveryFormats: k.field(z.array(k.oneOf(DELIVERY_FORMATS))),
    deliveryMethods: k.field(z.array(k.oneOf(DELIVERY_METHODS))),
    redemptionMethod: k.field(k.oneOf(REDEMPTION_METHODS)),
    options: k.field(z.array(Option)),
    // capability fields, and a timestamp some senders add (the stale guard reads it when present)
    defaultCurrency: k.optional(str()),
    availableCurrencies: k.optional(z.array(str())),
    title: k.optional(str()),
    utcUpdatedAt: k.optional(z.nullable(k.utc())),
  });

  const OrderUpdate = k.object({
    webhook: k.field(Webhook),
    order: k.required(Order),
    diff: k.optional(z.array(Diff)),
    supplier: k.optional(Supplier),
  });

  const ProductUpdate = k.object({
    webhook: k.field(Webhook),
    product: k.required(Product),
    supplier: k.optional(Supplier),
  });

  return { Order, UnitRestrictions, Unit, OptionRestrictions, Option, Product, OrderUpdate, ProductUpdate };
}
