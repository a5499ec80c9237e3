import type * as z from "zod/mini";
import type { OctoNotification } from "../notifications/notification.ts";
import type { lenientSchemas } from "../schemas/index.ts";
import type { BOOKING_STATUS_EVENTS, BookingLifecycleEvent } from "./booking-lifecycle.ts";
import type { OrderLifecycleEvent } from "./order-lifecycle.ts";

type Schemas = typeof lenientSchemas;
/**
 * The type of a lenient schema without the index signatures of its objects: unknown fields are kept at
 * run time, but `booking.stauts` must not compile (read vendor fields through `WithVendorFields`).
 * Records (`webhook.headers`) keep theirs.
 */
type Known<T> = unknown extends T
  ? T
  : T extends string | number | boolean | bigint | symbol | null | undefined
    ? T
    : T extends readonly (infer U)[]
      ? Known<U>[]
      : { [K in keyof T as string extends K ? (unknown extends T[K] ? never : K) : K]: Known<T[K]> };
type Out<K extends keyof Schemas> = Known<z.infer<Schemas[K]>>;

/**
 * A type with the fields a vendor adds (Ventrata's, a supplier's own): the typed escape hatch, since the
 * event types name only the OCTO fields (so that a typo such as `booking.stauts` does not compile).
 * Without `V`, any field may be read, as `unknown`.
 *
 * @example
 * ```ts
 * type VentrataBooking = WithVendorFields<Booking, { resellerAgentId?: string }>;
 * webhooks.onBookingUpdate(({ booking }) => console.log((booking as VentrataBooking).resellerAgentId));
 * ```
 */
export type WithVendorFields<T, V extends object = { [field: string]: unknown }> = T & V;

/** The product of a booking, when the sender embeds it (OCTO's Product content model, every field optional). */
export interface BookingProduct {
  id?: string | null;
  internalName?: string | null;
  reference?: string | null;
  locale?: string | null;
  timeZone?: string | null;
  title?: string | null;
  shortDescription?: string | null;
  availabilityType?: "START_TIME" | "OPENING_HOURS" | (string & {}) | null;
  instantConfirmation?: boolean | null;
  instantDelivery?: boolean | null;
  deliveryFormats?: string[] | null;
  deliveryMethods?: string[] | null;
  redemptionMethod?: string | null;
  options?: BookingOption[] | null;
}

/** The option of a booking, when the sender embeds it (OCTO's Option content model, every field optional). */
export interface BookingOption {
  id?: string | null;
  default?: boolean | null;
  internalName?: string | null;
  reference?: string | null;
  title?: string | null;
  shortDescription?: string | null;
  availabilityLocalStartTimes?: string[] | null;
  cancellationCutoff?: string | null;
  cancellationCutoffAmount?: number | null;
  cancellationCutoffUnit?: string | null;
  requiredContactFields?: string[] | null;
  units?: { id?: string | null; internalName?: string | null; type?: string | null }[] | null;
}

/**
 * A booking as real OCTO senders send it: every field but `uuid` may be missing or `null`. Unknown
 * fields are kept at run time but not typed (see `WithVendorFields`); `product` and `option` are
 * typed leniently from OCTO's content models.
 */
export type Booking = Out<"Booking"> & {
  product?: BookingProduct | null;
  option?: BookingOption | null;
};
/** One ticket of a booking (`booking.unitItems[]`): `uuid`, `unitId`, `status`, `contact`, `ticket`, `pricing`... */
export type UnitItem = Out<"UnitItem">;
/** The lead traveller of a booking or unit item: `fullName`, `emailAddress`, `phoneNumber`, `locales`... */
export type Contact = Out<"Contact">;
/** A voucher or ticket: `redemptionMethod`, `utcRedeemedAt` and `deliveryOptions` (`{ deliveryFormat, deliveryValue }`). */
export type Ticket = Out<"Ticket">;
/** Why and when a booking was cancelled: `refund` (`FULL`, `PARTIAL`, `NONE`), `reason`, `utcCancelledAt`. */
export type Cancellation = Out<"Cancellation">;
/** Prices in integer minor units with `currency` and `currencyPrecision` (with the `octo/pricing` capability). */
export type Pricing = Out<"Pricing">;
/** The slot a booking is for (`booking.availability`); some senders send only 5 of its fields. */
export type BookingAvailability = Out<"BookingAvailability">;
/** An availability slot; `id` is always present. */
export type Availability = Out<"Availability">;
/** The subscription a delivery belongs to, as the sender echoes it. */
export type Webhook = Out<"Webhook">;
/** One change: `{ op, path, was, value }`, for example `{ op: "replace", path: "/status", was: "ON_HOLD", value: "CONFIRMED" }`. */
export type DiffEntry = Out<"Diff">;
/** The changes of a `booking_update` (`payload.diff`): a list of {@link DiffEntry}. */
export type Diff = DiffEntry[];
/** The supplier that sent the delivery, when it says: `id`, `name`, `endpoint`, `contact`. */
export type Supplier = Out<"Supplier">;

/** A cart order (`octo/cart`): `id`, `status`, `bookings` (full bookings), `contact`, `pricing`, `utcExpiresAt`... */
export type Order = Omit<Out<"Order">, "bookings"> & { bookings?: Booking[] | null };
/** An OCTO product: `id`, `internalName`, `timeZone`, `availabilityType`, `options` (with their `units`)... */
export type Product = Out<"Product">;
/** One option of a product: `id`, `internalName`, `default`, `cancellationCutoff...`, `restrictions`, `units`. */
export type ProductOption = Out<"Option">;
/** One unit of an option: `id`, `internalName`, `type` (`ADULT`...), `restrictions`. */
export type ProductUnit = Out<"Unit">;

/** The body of a `booking_update` delivery. */
export type BookingUpdateEvent = Omit<Out<"BookingUpdate">, "booking"> & { booking: Booking };

/**
 * The body of an `availability_update` delivery. `productId` and `optionId` are normalised: taken from
 * the top level when the sender put them there (Ventrata), else from inside `availability` (the seed document).
 */
export type AvailabilityUpdateEvent = {
  // a key-remapping mapped type: `Omit` would collapse the known keys into the index signature
  [K in keyof Out<"AvailabilityUpdate"> as K extends "productId" | "optionId"
    ? never
    : K]: Out<"AvailabilityUpdate">[K];
} & {
  productId: string | undefined;
  optionId: string | undefined;
};

/** The body of an `order_update` delivery (`octo/cart`): `{ webhook, order, diff?, supplier? }`; diffs may carry objects. */
export type OrderUpdateEvent = Omit<Out<"OrderUpdate">, "order"> & { order: Order };

/** The body of a `product_update` delivery: `{ webhook, product, supplier? }`. */
export type ProductUpdateEvent = Out<"ProductUpdate">;

/** The body of an event this version does not model (`transfer_update`...): the envelope, untyped inside. */
export interface UnknownEvent {
  webhook?: Webhook | null | undefined;
  [key: string]: unknown;
}

/** Events with a typed payload. */
export interface OctoEventMap {
  booking_update: BookingUpdateEvent;
  availability_update: AvailabilityUpdateEvent;
  order_update: OrderUpdateEvent;
  product_update: ProductUpdateEvent;
}

/** The events with a typed payload: `"booking_update"`, `"availability_update"`, `"order_update"`, `"product_update"`. */
export type OctoEventName = keyof OctoEventMap;

/** Which booking status fires which lifecycle event (the type of `BOOKING_STATUS_EVENTS`). */
export type StatusEvents = typeof BOOKING_STATUS_EVENTS;
/** The booking status a lifecycle event fires for (`"CANCELLED"` for `"booking.cancelled"`; `"CONFIRMED"` for `"booking.amended"`). */
export type LifecycleStatus<E extends BookingLifecycleEvent> = E extends "booking.amended"
  ? "CONFIRMED"
  : { [S in keyof StatusEvents]: StatusEvents[S] extends E ? S : never }[keyof StatusEvents];

/**
 * The body a lifecycle handler gets: the `booking_update` body, with `booking.status` narrowed to the
 * status of the event. (When the sender left `booking.status` out, the event came from the `diff` and
 * the field stays absent at run time: the README's table.)
 */
export type BookingLifecyclePayload<E extends BookingLifecycleEvent> = Omit<BookingUpdateEvent, "booking"> & {
  booking: Omit<Booking, "status"> & { status: LifecycleStatus<E> };
};

/**
 * Lifecycle events: each fires with the `booking_update` body it was derived from (see the README's
 * table), or, for a booking of an `order_update`, with `{ webhook, booking, diff, supplier }` built from it.
 */
export type BookingLifecycleEventMap = { [K in BookingLifecycleEvent]: BookingLifecyclePayload<K> };

/** Order lifecycle events: each fires with the `order_update` body it was derived from. */
export type OrderLifecycleEventMap = { [K in OrderLifecycleEvent]: OrderUpdateEvent };

/** Every name `on()` types: the delivery events, the lifecycle events, and `"notification"` (an OCTO notification, thin). */
export type OctoHandlerEventMap = OctoEventMap &
  BookingLifecycleEventMap &
  OrderLifecycleEventMap & { notification: OctoNotification };

/** What the stale guard compares: the bodies whose resource has an identity and a timestamp. */
export type StaleCheckedEvent = BookingUpdateEvent | OrderUpdateEvent | ProductUpdateEvent;

/** Any payload `onAny` may see; tell them apart with `context.event`. */
export type AnyOctoEvent = OctoEventMap[OctoEventName] | UnknownEvent;

/** The second argument of every handler. */
export interface HandlerContext {
  /** The event this delivery was dispatched as (decided by the resource key; see the README). */
  readonly event: OctoEventName | (string & {});
  /** What `webhook.event` said, which can disagree with `event` in published examples. */
  readonly webhookEvent: string | undefined;
  /**
   * The request headers (a Web `Headers`, built on first use). Empty when `handle()` was given its
   * headers as a lookup function (`(name) => value`), which cannot list them: give a record or a
   * `Headers` when handlers read headers.
   */
  readonly headers: Headers;
  /** The body as received, or `undefined` when a body parser had already parsed it. */
  readonly rawBody: string | undefined;
  /**
   * The id of the configured supplier that sent this delivery (a key of the `suppliers` option), as
   * its credentials and path proved it; `undefined` without `suppliers`. The body's own `supplier`
   * field is information the sender wrote, not this.
   */
  readonly supplier: string | undefined;
  /**
   * The key of this delivery: a hash of its body, the same for every retry of it (see `deliveryKey()`).
   * Use it to make side effects idempotent, or as a job id. Computed on first read unless `dedupe` is on.
   */
  readonly deliveryKey: string;
  /**
   * The lifecycle event a `booking_update` or `order_update` stands for (`"booking.cancelled"`,
   * `"order.confirmed"`...), else `undefined`. A booking lifecycle handler fired by a booking of an
   * order sees that booking's event here.
   */
  readonly lifecycle: BookingLifecycleEvent | OrderLifecycleEvent | undefined;
  /**
   * The order a booking lifecycle event came with, when a booking of an `order_update` fired it
   * (`context.event` is then `"order_update"`); `undefined` otherwise.
   */
  readonly order?: Order | undefined;
  /**
   * Where the delivery came from: `"webhook"`, the supplier's own; `"notification"`, an OCTO notification
   * (`onNotification`) or an event hydrated from one (the body is then the resource the hydrator
   * fetched); `"reconciliation"`, a resource read back from the supplier's API (`createReconciler()` of
   * `@octo-webhooks/client`); `"replay"`, a delivery replayed from the delivery log.
   */
  readonly source: "webhook" | "notification" | "reconciliation" | "replay";
  /** The thin notification (normalised) this delivery is or was hydrated from; `undefined` for a webhook. */
  readonly notification?: OctoNotification | undefined;
}

/** The context `onDuplicate` gets: a handler context, plus what the store said about the original. */
export interface DuplicateContext extends HandlerContext {
  /**
   * `"done"`: the original was processed; this one was answered 200 and not dispatched.
   * `"processing"`: the original is still running; this one was answered 409 so that the sender retries later.
   */
  readonly state: "done" | "processing";
}

/** The context `onStale` gets: a handler context, plus the two instants compared (ISO 8601, UTC). */
export interface StaleContext extends HandlerContext {
  /** This delivery's `utcUpdatedAt` (of its booking, order or product), as an ISO 8601 instant. */
  readonly updatedAt: string;
  /** The newest `utcUpdatedAt` already processed for this booking, order or product. */
  readonly newestUpdatedAt: string;
}

/** Sees a duplicate delivery, which no handler gets. */
export type OctoDuplicateHandler = (payload: AnyOctoEvent, context: DuplicateContext) => unknown;

/**
 * Sees an out-of-order `booking_update`, `order_update` or `product_update` (older than one already
 * processed), which no handler gets; `context.event` tells them apart.
 */
export type OctoStaleHandler = (payload: StaleCheckedEvent, context: StaleContext) => unknown;

/**
 * A handler: the typed body first, the delivery's context second. What it returns is awaited; a throw
 * (or a rejection) fails the delivery with a 500 so that the sender retries, unless it is a `NonRetryableError`.
 * `T` is an event name (`OctoHandler<"booking_update">`, `OctoHandler<"booking.cancelled">`) or a payload type.
 */
export type OctoHandler<T> = HandlerOf<T extends keyof OctoHandlerEventMap ? OctoHandlerEventMap[T] : T>;

/**
 * A handler of payload `P`. An interface, not an alias, so that TypeScript compares
 * `OctoHandler<"booking_update">` and `OctoHandler<BookingUpdateEvent>` by their payloads (the same),
 * not by their type arguments (an alias's, which never match).
 */
interface HandlerOf<P> {
  // biome-ignore lint/style/useShorthandFunctionType: an interface on purpose (see above)
  (payload: P, context: HandlerContext): unknown;
}

/** A `booking_update` handler, to write outside the options object. */
export type BookingUpdateHandler = OctoHandler<"booking_update">;
/** An `availability_update` handler, to write outside the options object. */
export type AvailabilityUpdateHandler = OctoHandler<"availability_update">;
/** An `order_update` handler, to write outside the options object. */
export type OrderUpdateHandler = OctoHandler<"order_update">;
/** A `product_update` handler, to write outside the options object. */
export type ProductUpdateHandler = OctoHandler<"product_update">;
/** A handler of one lifecycle event (`LifecycleHandler<"booking.cancelled">`): `booking.status` is narrowed. */
export type LifecycleHandler<E extends BookingLifecycleEvent> = OctoHandler<E>;

/** Called when a delivery is refused (`OctoRequestError`) or a handler fails (`OctoHandlerError`). */
export type OctoErrorHandler = (
  error: import("../errors/errors.ts").OctoWebhooksError,
  context: HandlerContext | undefined,
) => unknown;
