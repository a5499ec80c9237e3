import { deliveryKey } from "./delivery-key.ts";
import type { HeaderLookup } from "./headers.ts";
import type { BookingLifecycleEvent } from "./lifecycle.ts";
import type { OctoNotification } from "./notification.ts";
import type { OrderLifecycleEvent } from "./order-lifecycle.ts";
import type { HandlerContext } from "./types.ts";

/** The context handlers get; headers and the delivery key are computed on first read. */
export class DeliveryContext implements HandlerContext {
  #headers: Headers | undefined;
  #deliveryKey: string | undefined;
  /** The notification this delivery came from (itself, or the one its resource was hydrated for). */
  notification: OctoNotification | undefined = undefined;
  constructor(
    readonly event: string,
    readonly webhookEvent: string | undefined,
    readonly rawBody: string | undefined,
    readonly lifecycle: BookingLifecycleEvent | OrderLifecycleEvent | undefined,
    private readonly body: Record<string, unknown>,
    private readonly lookup: HeaderLookup | undefined,
    key: string | undefined,
    readonly supplier: string | undefined,
  ) {
    this.#deliveryKey = key;
  }
  get deliveryKey(): string {
    this.#deliveryKey ??= deliveryKey(this.body);
    return this.#deliveryKey;
  }
  get source(): "webhook" | "notification" {
    return this.notification === undefined ? "webhook" : "notification";
  }
  get headers(): Headers {
    if (this.#headers === undefined) {
      const headers = new Headers();
      const lookup = this.lookup;
      if (lookup instanceof Headers) this.#headers = lookup;
      else if (
        lookup &&
        typeof lookup === "object" &&
        typeof (lookup as { get?: unknown }).get !== "function"
      ) {
        for (const [name, value] of Object.entries(
          lookup as Record<string, string | readonly string[] | undefined>,
        )) {
          if (typeof value === "string") headers.append(name, value);
          else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        }
      }
      this.#headers ??= headers;
    }
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
