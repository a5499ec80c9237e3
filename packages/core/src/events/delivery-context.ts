// What handlers get second: one delivery's context, its headers and key computed on first read.
import { type HeaderLookup, toHeaders } from "../http/headers.ts";
import type { OctoNotification } from "../notifications/notification.ts";
import type { BookingLifecycleEvent } from "./booking-lifecycle.ts";
import { deliveryKey } from "./delivery-key.ts";
import type { OrderLifecycleEvent } from "./order-lifecycle.ts";
import type { HandlerContext } from "./types.ts";

/** Where a delivery came from and what is known of it before its body is read: what a context is made of. */
export interface DeliveryOrigin {
  /** The headers it came with (any shape of {@link HeaderLookup}). */
  headers?: HeaderLookup | undefined;
  /** A delivery key the caller already has (a queue's job id); else computed from the body when read. */
  key?: string | undefined;
  /** The configured supplier that sent it (its credentials matched). */
  supplier?: string | undefined;
  /** Where it came from when not from the supplier's own delivery (`receive()`'s `source`). */
  source?: "reconciliation" | "replay" | undefined;
}

/** What a context is built from: the delivery's origin, and what parsing found. */
export interface DeliveryContextInit extends DeliveryOrigin {
  event: string;
  webhookEvent?: string | undefined;
  rawBody: string | undefined;
  lifecycle?: BookingLifecycleEvent | OrderLifecycleEvent | undefined;
  body: Record<string, unknown>;
  /** The notification this delivery is, or was hydrated from. */
  notification?: OctoNotification | undefined;
}

/** The context handlers get; headers and the delivery key are computed on first read. */
export class DeliveryContext implements HandlerContext {
  readonly event: string;
  readonly webhookEvent: string | undefined;
  readonly rawBody: string | undefined;
  /** Set again by the pipeline for a body without `diff`, from the status last applied. */
  lifecycle: BookingLifecycleEvent | OrderLifecycleEvent | undefined;
  readonly supplier: string | undefined;
  /** The notification this delivery came from (itself, or the one its resource was hydrated for). */
  readonly notification: OctoNotification | undefined;
  readonly #body: Record<string, unknown>;
  readonly #source: "reconciliation" | "replay" | undefined;
  readonly #lookup: HeaderLookup | undefined;
  #headers: Headers | undefined;
  #deliveryKey: string | undefined;
  constructor(init: DeliveryContextInit) {
    this.event = init.event;
    this.webhookEvent = init.webhookEvent;
    this.rawBody = init.rawBody;
    this.lifecycle = init.lifecycle;
    this.supplier = init.supplier;
    this.notification = init.notification;
    this.#body = init.body;
    this.#lookup = init.headers;
    this.#deliveryKey = init.key;
    this.#source = init.source;
  }
  get deliveryKey(): string {
    this.#deliveryKey ??= deliveryKey(this.#body);
    return this.#deliveryKey;
  }
  get source(): "webhook" | "notification" | "reconciliation" | "replay" {
    return this.#source ?? (this.notification === undefined ? "webhook" : "notification");
  }
  get headers(): Headers {
    this.#headers ??= toHeaders(this.#lookup);
    return this.#headers;
  }
  /** A copy with extra fields (which may replace `lifecycle`), for `onDuplicate`, `onStale` and an order's bookings. */
  with<T extends object>(extra: T): HandlerContext & T {
    const fields: PropertyDescriptorMap = {
      event: { get: () => this.event, enumerable: true },
      webhookEvent: { get: () => this.webhookEvent, enumerable: true },
      rawBody: { get: () => this.rawBody, enumerable: true },
      lifecycle: { get: () => this.lifecycle, enumerable: true },
      deliveryKey: { get: () => this.deliveryKey, enumerable: true },
      headers: { get: () => this.headers, enumerable: true },
      supplier: { value: this.supplier, enumerable: true },
      source: { value: this.source, enumerable: true },
      notification: { value: this.notification, enumerable: true },
    };
    for (const [name, value] of Object.entries(extra)) fields[name] = { value, enumerable: true };
    return Object.create(null, fields);
  }
}
