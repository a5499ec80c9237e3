import type * as z from "zod/mini";
import type { lenientSchemas } from "./schemas/index.ts";

type Schemas = typeof lenientSchemas;
type Out<K extends keyof Schemas> = z.infer<Schemas[K]>;

/** A booking as real OCTO senders send it: every field but `uuid` may be missing or `null`; unknown fields are kept. */
export type Booking = Out<"Booking">;
export type UnitItem = Out<"UnitItem">;
export type Contact = Out<"Contact">;
export type Ticket = Out<"Ticket">;
export type Cancellation = Out<"Cancellation">;
export type Pricing = Out<"Pricing">;
export type BookingAvailability = Out<"BookingAvailability">;
/** An availability slot; `id` is always present. */
export type Availability = Out<"Availability">;
/** The subscription a delivery belongs to, as the sender echoes it. */
export type Webhook = Out<"Webhook">;
/** One change: `{ op, path, was, value }`, for example `{ op: "replace", path: "/status", was: "ON_HOLD", value: "CONFIRMED" }`. */
export type Diff = Out<"Diff">;
export type Supplier = Out<"Supplier">;

/** The body of a `booking_update` delivery. */
export type BookingUpdateEvent = Out<"BookingUpdate">;

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

/** The body of an event this version does not model (`order_update`, `product_update`...): the envelope, untyped inside. */
export interface UnknownEvent {
  webhook?: Webhook | null | undefined;
  [key: string]: unknown;
}

/** Events with a typed payload. */
export interface OctoEventMap {
  booking_update: BookingUpdateEvent;
  availability_update: AvailabilityUpdateEvent;
}

export type OctoEventName = keyof OctoEventMap;

/** Any payload `onAny` may see; tell them apart with `context.event`. */
export type AnyOctoEvent = OctoEventMap[OctoEventName] | UnknownEvent;

/** The second argument of every handler. */
export interface HandlerContext {
  /** The event this delivery was dispatched as (decided by the resource key; see the README). */
  readonly event: string;
  /** What `webhook.event` said, which can disagree with `event` in published examples. */
  readonly webhookEvent: string | undefined;
  /** The request headers (a Web `Headers`, built on first use). */
  readonly headers: Headers;
  /** The body as received, or `undefined` when a body parser had already parsed it. */
  readonly rawBody: string | undefined;
}

export type OctoHandler<T> = (payload: T, context: HandlerContext) => unknown;

/** Called when a delivery is refused (`OctoRequestError`) or a handler fails (`OctoHandlerError`). */
export type OctoErrorHandler = (
  error: import("./errors.ts").OctoWebhooksError,
  context: HandlerContext | undefined,
) => unknown;

/** Where the library reports what it did; defaults to `console` for warnings and errors only. */
export interface Logger {
  debug?(message: string): void;
  info?(message: string): void;
  warn?(message: string): void;
  error?(message: string, error?: unknown): void;
}
