import * as z from "zod/mini";
import { buildSchemas } from "./build-schemas.ts";
import { lenientKit, strictKit } from "./kit.ts";

/**
 * Lenient schemas: what real OCTO senders send. Use them to parse payloads yourself
 * (`BookingSchema.parse(json)`); every public payload type is inferred from them.
 *
 * @example
 * ```ts
 * const { Booking, BookingUpdate } = lenientSchemas; // the same schemas as BookingSchema, BookingUpdateSchema...
 * ```
 */
export const lenientSchemas = buildSchemas(lenientKit);

/**
 * Strict schemas: the official OCTO shape (required fields, closed enums, ISO 8601 UTC timestamps).
 * Real senders often fail them; use them to check what you send, or as `validation: strictValidation`.
 *
 * @example
 * ```ts
 * const result = strictSchemas.BookingUpdate.safeParse(body);
 * if (!result.success) console.log(result.error.issues.map((issue) => issue.path.join(".")));
 * ```
 */
export const strictSchemas = buildSchemas(strictKit);

/**
 * A booking as real senders send it (lenient): only `uuid` is required; see the `Booking` type of `@octo-webhooks/core`.
 *
 * @example
 * ```ts
 * const booking = BookingSchema.parse(await octo.getBooking(uuid)); // after the OCTO API, as for a delivery
 * ```
 */
export const BookingSchema = lenientSchemas.Booking;

/**
 * One ticket of a booking (`booking.unitItems[]`), lenient.
 *
 * @example
 * ```ts
 * const items = booking.unitItems?.map((item) => UnitItemSchema.parse(item));
 * ```
 */
export const UnitItemSchema = lenientSchemas.UnitItem;

/**
 * A contact (lead traveller), lenient: every field may be missing or `null`.
 *
 * @example
 * ```ts
 * const { success } = ContactSchema.safeParse(form.contact);
 * ```
 */
export const ContactSchema = lenientSchemas.Contact;

/**
 * A voucher or ticket, lenient.
 *
 * @example
 * ```ts
 * const voucher = TicketSchema.parse(booking.voucher);
 * ```
 */
export const TicketSchema = lenientSchemas.Ticket;

/**
 * A booking's cancellation, lenient.
 *
 * @example
 * ```ts
 * const cancellation = CancellationSchema.safeParse(booking.cancellation);
 * ```
 */
export const CancellationSchema = lenientSchemas.Cancellation;

/**
 * Prices in minor units, lenient (`currencyPrecision` may be missing, as real senders do).
 *
 * @example
 * ```ts
 * const pricing = PricingSchema.parse(booking.pricing); // pricing.retail / 10 ** (pricing.currencyPrecision ?? 2)
 * ```
 */
export const PricingSchema = lenientSchemas.Pricing;

/**
 * The slot of a booking (`booking.availability`), lenient: senders often send only 5 fields.
 *
 * @example
 * ```ts
 * const slot = BookingAvailabilitySchema.parse(booking.availability);
 * ```
 */
export const BookingAvailabilitySchema = lenientSchemas.BookingAvailability;

/**
 * An availability slot, lenient: only `id` is required; see the `Availability` type of `@octo-webhooks/core`.
 *
 * @example
 * ```ts
 * const slot = AvailabilitySchema.parse(body.availability); // slot.vacancies, slot.status...
 * ```
 */
export const AvailabilitySchema = lenientSchemas.Availability;

/**
 * A webhook subscription as senders echo it (`body.webhook`) and the management API returns it; lenient:
 * every field may be missing (`@octo-webhooks/client` requires `id` and `event` itself).
 *
 * @example
 * ```ts
 * const hooks = (await response.json()).map((hook: unknown) => WebhookSchema.parse(hook));
 * ```
 */
export const WebhookSchema = lenientSchemas.Webhook;

/**
 * One `diff` entry: `{ op, path, was, value }`.
 *
 * @example
 * ```ts
 * const changes = (body.diff ?? []).map((change: unknown) => DiffSchema.parse(change));
 * ```
 */
export const DiffSchema = lenientSchemas.Diff;

/**
 * The supplier of a delivery, lenient.
 *
 * @example
 * ```ts
 * const supplier = SupplierSchema.parse(body.supplier);
 * ```
 */
export const SupplierSchema = lenientSchemas.Supplier;

/**
 * The body of a `booking_update` delivery, lenient: `booking` required, `webhook`, `diff` and `supplier` optional.
 *
 * @example
 * ```ts
 * const event = BookingUpdateSchema.parse(JSON.parse(message.body)); // a delivery read back from a queue
 * ```
 */
export const BookingUpdateSchema = lenientSchemas.BookingUpdate;

/**
 * The body of an `availability_update` delivery, lenient: `availability` required.
 *
 * @example
 * ```ts
 * const result = AvailabilityUpdateSchema.safeParse(json);
 * if (!result.success) console.log(result.error.issues);
 * ```
 */
export const AvailabilityUpdateSchema = lenientSchemas.AvailabilityUpdate;

/**
 * The body of an `order_update` delivery (`octo/cart`), lenient: `order` with its `id` required; its
 * `bookings[]` are full bookings.
 *
 * @example
 * ```ts
 * const { order } = OrderUpdateSchema.parse(json); // order.bookings?.map((b) => b.uuid)
 * ```
 */
export const OrderUpdateSchema = lenientSchemas.OrderUpdate;

/**
 * The body of a `product_update` delivery, lenient: `product` with its `id` required.
 *
 * @example
 * ```ts
 * const { product } = ProductUpdateSchema.parse(json); // product.options?.[0]?.units
 * ```
 */
export const ProductUpdateSchema = lenientSchemas.ProductUpdate;

/**
 * A cart order, lenient: only `id` is required; see the `Order` type of `@octo-webhooks/core`.
 *
 * @example
 * ```ts
 * const order = OrderSchema.parse(await octo.getOrder(id)); // after the OCTO API, as for a delivery
 * ```
 */
export const OrderSchema = lenientSchemas.Order;

/**
 * An OCTO product with its options and units, lenient: only `id` is required; see the `Product` type of `@octo-webhooks/core`.
 *
 * @example
 * ```ts
 * const product = ProductSchema.parse(await octo.getProduct(id));
 * ```
 */
export const ProductSchema = lenientSchemas.Product;

const { Booking, Availability, Webhook, Diff, Order, Product } = lenientSchemas;
const optional = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));

/**
 * What lenient mode checks at run time: only the fields that dispatch and delivery semantics read.
 * Everything else is passed to handlers as sent (typed by the lenient schemas, not checked), so a
 * sender's surprise in a field nobody reads never turns a delivery into a 400 that is retried forever.
 * At run time `lenientValidation` (validation.ts) checks these shapes by hand, without zod, so that the
 * default path stays fast and out of edge bundles; a test holds the two equal on every combination.
 */
const DispatchWebhook = optional(z.object({ event: Webhook.shape.event }));

const DispatchDiff = optional(z.array(z.object({ op: Diff.shape.op, path: Diff.shape.path })));

export const dispatchSchemas = {
  booking_update: z.object({
    webhook: DispatchWebhook,
    booking: z.object({
      uuid: Booking.shape.uuid,
      status: Booking.shape.status,
      utcUpdatedAt: Booking.shape.utcUpdatedAt,
    }),
    diff: DispatchDiff,
  }),
  availability_update: z.object({
    webhook: DispatchWebhook,
    availability: z.object({
      id: Availability.shape.id,
      productId: Availability.shape.productId,
      optionId: Availability.shape.optionId,
    }),
    productId: optional(z.string()),
    optionId: optional(z.string()),
  }),
  order_update: z.object({
    webhook: DispatchWebhook,
    order: z.object({
      id: Order.shape.id,
      status: Order.shape.status,
      utcUpdatedAt: Order.shape.utcUpdatedAt,
      bookings: optional(z.array(z.object({ uuid: Booking.shape.uuid, status: Booking.shape.status }))),
    }),
    diff: DispatchDiff,
  }),
  product_update: z.object({
    webhook: DispatchWebhook,
    product: z.object({ id: Product.shape.id, utcUpdatedAt: Product.shape.utcUpdatedAt }),
  }),
  unknown: z.object({ webhook: DispatchWebhook }),
};
