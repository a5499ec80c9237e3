import type { Booking } from "@octo-webhooks/core";
import type { Delivery, DeliveryAttempt } from "../deliver.ts";
import type { AvailabilityUpdateOptions } from "../factories/availability.ts";
import type { BookingLifecycleOptions, BookingUpdateOptions } from "../factories/booking.ts";
import type { OrderUpdateOptions } from "../factories/order.ts";
import type { ProductUpdateOptions } from "../factories/product.ts";
import type { Seed } from "../factories/random.ts";
import type { MockReadSettings, MockReadStats } from "./resources.ts";
import type { publicSubscription } from "./subscriptions.ts";
import type { publicWebhook } from "./webhooks.ts";

// The public types of the mock supplier that `startMockSupplier` starts. Its {@link}s name it without
// importing it: start-mock-supplier.ts imports this file, and type imports go one way.

/** Options of {@link startMockSupplier}; every one has a default. */
export interface MockSupplierOptions {
  /** Default 0: a free port. */
  port?: number;
  /**
   * The interface to listen on. Default `127.0.0.1`: loopback, only this machine can reach it. Anything
   * else exposes the management API and `GET /octo/_mock/deliveries` (every delivery, with the answers
   * receivers gave) to whoever can reach it with the key; the default key is public.
   */
  host?: string;
  /** The Bearer key(s) the management API accepts (default `"mock-api-key"`). */
  apiKey?: string | readonly string[];
  /** Waits before each retry of a failed delivery, in ms (default `[100, 500, 2000]`: 4 attempts). */
  retrySchedule?: readonly number[];
  /** How long a receiver may take to answer a delivery, in ms (default 5 000). */
  deliveryTimeoutMs?: number;
  /** Whether `PATCH /webhooks/:id` exists (default `true`); `false` answers 404 like an older supplier. */
  supportsPatch?: boolean;
  /** Events `POST /webhooks` accepts (default `booking_update`, `availability_update`, `order_update`, `product_update`). */
  events?: readonly string[];
  /**
   * The fraction of read requests (`GET /bookings/{uuid}`, `POST /availability`, `GET /products/{id}`),
   * 0 to 1, answered `503 SERVICE_UNAVAILABLE` (default 0), to test hydration under failures.
   */
  readFailureRate?: number;
  /** How long each read request takes, in ms (default 0), to test concurrent hydration. */
  readLatencyMs?: number;
  /** Sent as `user-agent` with every delivery. */
  userAgent?: string;
  /** Seed of webhook ids and simulated events (default `"mock"`). */
  seed?: Seed;
  /** Called after every delivery attempt (to print it, as the CLI does). */
  onAttempt?: (attempt: DeliveryAttempt, delivery: Delivery) => void;
  /** Called when a delivery is created (simulated or replayed), before its first attempt. */
  onDelivery?: (delivery: Delivery) => void;
  /** Called after every management request. */
  onRequest?: (request: ManagementRequest) => void;
}

/** A management API call as the mock supplier saw it (the key is never recorded). */
export interface ManagementRequest {
  method: string;
  path: string;
  status: number;
  /** The OCTO error code when it failed. */
  error: string | undefined;
  /** `Octo-Capabilities`, split. */
  capabilities: string[];
  /** `Octo-Env`. */
  env: string | undefined;
}

/** Makes the next management calls fail, to test a client's retries. */
export interface FailureOptions {
  /** Default 503. */
  status?: number;
  /** Sent as `Retry-After`. */
  retryAfterSeconds?: number;
  /** A body to send instead of the OCTO error (sent as `text/html`), e.g. a proxy's error page. */
  body?: string;
}

/** A running mock supplier, from {@link startMockSupplier}. */
export interface MockSupplier {
  /** The OCTO endpoint to give a client as `baseUrl`: `http://127.0.0.1:<port>/octo`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The first accepted API key. */
  readonly apiKey: string;
  /** The registered webhooks (copies), as `GET /webhooks` returns them. */
  readonly webhooks: ReturnType<typeof publicWebhook>[];
  /** The notification subscriptions (copies), as `GET /notifications/subscriptions` returns them. */
  readonly subscriptions: ReturnType<typeof publicSubscription>[];
  /** The simulated bookings in their current state, by uuid (what `GET /bookings/{uuid}` answers). */
  readonly bookings: ReadonlyMap<string, Booking>;
  /** The read API's counters and settings (also at `GET`/`POST /octo/_mock/reads`). */
  readonly reads: {
    /** Counts since the start or the last `reset()`. */
    stats(): MockReadStats;
    /** Changes `failureRate` and/or `latencyMs`. */
    configure(settings: Partial<MockReadSettings>): void;
    /** Counts from zero again. */
    reset(): void;
  };
  /** Every delivery (webhooks and notifications), in creation order, each with every attempt and its answer. */
  readonly deliveries: readonly Delivery[];
  /** Every management API call. */
  readonly requests: readonly ManagementRequest[];
  /**
   * Sends events to the registered webhooks of their kind, each with the webhook's capabilities.
   * Each resolves when its deliveries are finished (delivered, or out of attempts).
   */
  readonly simulate: {
    /**
     * ON_HOLD -> CONFIRMED -> amended -> CANCELLED, in order, to every `booking_update` webhook (and as
     * `BOOKING_UPDATE` notifications); `GET /bookings/{uuid}` follows the life as it is delivered.
     */
    bookingLifecycle(options?: BookingLifecycleOptions): Promise<Delivery[]>;
    /** One `booking_update` (`bookingUpdate(options)`) to every `booking_update` webhook. */
    bookingUpdate(options?: BookingUpdateOptions): Promise<Delivery[]>;
    /** One `availability_update` (`availabilityUpdate(options)`) to every `availability_update` webhook. */
    availabilityChange(options?: AvailabilityUpdateOptions): Promise<Delivery[]>;
    /**
     * To every `order_update` webhook, in order: an order confirmed with two bookings, then one of
     * them cancelled inside the order (the second body's diff: `/bookings/1/status`).
     */
    orderLifecycle(
      options?: Omit<OrderUpdateOptions, "status" | "bookings" | "was" | "diff">,
    ): Promise<Delivery[]>;
    /** One `order_update` (`orderUpdate(options)`) to every `order_update` webhook. */
    orderUpdate(options?: OrderUpdateOptions): Promise<Delivery[]>;
    /**
     * One `product_update` (`productUpdate(options)`) to every `product_update` webhook; by default the
     * product's default option renamed.
     */
    productChange(options?: ProductUpdateOptions): Promise<Delivery[]>;
    /** Any body, to the webhooks of `event`; a `webhook` echo is added unless the body has one. */
    event(event: string, body: Record<string, unknown>): Promise<Delivery[]>;
    /**
     * One thin notification `{ type, data }` (`"BOOKING_UPDATE"`, `{ uuid }`) to every active
     * subscription of `type`; the resources are not changed. The other simulations also notify the
     * subscriptions of their type (`BOOKING_UPDATE` with `{ uuid }` for each booking change...).
     */
    notification(type: string, data: Record<string, unknown>): Promise<Delivery[]>;
  };
  /**
   * Sends the body of delivery `deliveryId` again, as a new delivery (with its own attempts and retries),
   * to the webhook it was sent for, with that webhook's current URL and headers. Resolves when it is
   * finished; rejects when there is no such delivery or its webhook was deleted.
   */
  replay(deliveryId: string): Promise<Delivery>;
  /** The next `count` management calls answer `status` (default 503) before anything else is checked. */
  failNext(count: number, failure?: FailureOptions): void;
  /** Resolves when no delivery is pending (retries included). */
  idle(): Promise<void>;
  /** Stops the server, cancels pending retries and in-flight deliveries; leaves no timer behind. */
  close(): Promise<void>;
}
