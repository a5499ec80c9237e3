import type { Booking, Order, Product } from "@octo-webhooks/core";
import type { Delivery, DeliveryAttempt } from "../deliver.ts";
import type { AvailabilityUpdateOptions } from "../factories/availability.ts";
import type { BookingLifecycleOptions, BookingUpdateOptions } from "../factories/booking.ts";
import type { OrderUpdateOptions } from "../factories/order.ts";
import type { ProductUpdateOptions } from "../factories/product.ts";
import type { Seed } from "../factories/random.ts";
import type { DeletedWebhook, MockFaultSettings } from "./faults.ts";
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
   * The fraction of read requests (`GET /bookings`, `GET /bookings/{uuid}`, `GET /orders/{id}`,
   * `GET /products`, `GET /products/{id}`, `POST /availability`), 0 to 1, answered
   * `503 SERVICE_UNAVAILABLE` (default 0), to test hydration and reconciliation under failures.
   */
  readFailureRate?: number;
  /** How long each read request takes, in ms (default 0), to test concurrent hydration. */
  readLatencyMs?: number;
  /** Sent as `user-agent` with every delivery. */
  userAgent?: string;
  /** Seed of webhook ids, simulated events, read failures and drops (default `"mock"`). */
  seed?: Seed;
  /**
   * Gives a delivery up after this many failed attempts, the first one included (default: unset, a
   * delivery is `failed` when `retrySchedule` runs out): it is tried exactly that many times, on
   * `retrySchedule` (its last wait repeated when it is shorter), then recorded with state `abandoned`
   * and cause `giveUpAfter`, as a supplier that stops retrying.
   */
  giveUpAfter?: number;
  /**
   * Deletes a webhook (or a notification subscription) after this many failed deliveries to it in a
   * row (default: never), as Bokun does: a delivery fails when it is out of attempts (`failed`, or
   * abandoned by `giveUpAfter`); one delivered starts the count again. The deleted one is gone from
   * `GET /webhooks`, recorded in `deletedWebhooks`, and its deliveries still pending stop at their next
   * attempt (state `abandoned`, cause `deleteWebhookAfter`).
   */
  deleteWebhookAfter?: number;
  /**
   * The share of deliveries, 0 to 1, silently never sent (default 0): each is recorded with state
   * `dropped` (cause `dropRate`) and no attempt. Drawn from `seed`, so the same run drops the same ones;
   * replays are never dropped.
   */
  dropRate?: number;
  /** Called when `deleteWebhookAfter` deletes a webhook or subscription. */
  onWebhookDeleted?: (deleted: DeletedWebhook) => void;
  /** Called after every delivery attempt (to print it, as the CLI does). */
  onAttempt?: (attempt: DeliveryAttempt, delivery: Delivery) => void;
  /** Called when a delivery is created (simulated or replayed), before its first attempt. */
  onDelivery?: (delivery: Delivery) => void;
  /** Called after every management request. */
  onRequest?: (request: ManagementRequest) => void;
}

/** Options of `supplier.simulate.bookingBatch`: how many bookings and how their lives end. */
export interface BookingBatchOptions extends Omit<BookingLifecycleOptions, "seed"> {
  /** How many bookings (1 to 10 000). */
  count: number;
  /** How many of them end CANCELLED, the first ones (default 0). */
  cancelled?: number;
  /** How many end amended (CONFIRMED, a note and one more unit), those after the cancelled (default 0). */
  amended?: number;
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
  /**
   * The simulated bookings (those of orders too) in their current state, by uuid, in the order they were
   * made: what `GET /bookings/{uuid}` answers a reader that sends no capabilities (no `pricing`), in test
   * mode. The same objects each time while a booking does not change.
   */
  readonly bookings: ReadonlyMap<string, Booking>;
  /** The simulated orders in their current state, by id (what `GET /orders/{id}` answers, as `bookings`). */
  readonly orders: ReadonlyMap<string, Order>;
  /** The products of the simulations, by id (what `GET /products` lists, as `bookings`). */
  readonly products: ReadonlyMap<string, Product>;
  /** The failure modes (`giveUpAfter`, `deleteWebhookAfter`, `dropRate`; also at `GET`/`POST /octo/_mock/faults`). */
  readonly faults: {
    /** The current settings (`null`: off). */
    settings(): MockFaultSettings;
    /** Changes some of them while it runs (`null` turns one off); pending deliveries keep their attempts' limit. */
    configure(settings: Partial<MockFaultSettings>): void;
  };
  /** The webhooks and subscriptions `deleteWebhookAfter` deleted, in order (also at `GET /octo/_mock/deleted-webhooks`). */
  readonly deletedWebhooks: readonly DeletedWebhook[];
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
    /**
     * `count` new bookings at once, each with its own life delivered in order like `bookingLifecycle`'s:
     * the first `cancelled` go ON_HOLD -> CONFIRMED -> amended -> CANCELLED, the next `amended` stop at
     * amended, the others at CONFIRMED. Booking `i` is made `i` hours after `createdAt`, so their dates
     * spread over `count / 24` days. Resolves when every delivery is finished (delivered, or given up):
     * then `bookings` (and the read API) hold every final state.
     */
    bookingBatch(options: BookingBatchOptions): Promise<Delivery[]>;
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
