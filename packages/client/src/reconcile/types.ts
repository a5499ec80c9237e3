// The public types of reconciliation: what `createReconciler` takes (a receiver, a client or clients by
// supplier, what to read, how politely), and what a run resolves (a summary, per supplier, with what to
// resume from). Type-only.
import type {
  DeliveryStore,
  Logger,
  ReceiveOptions,
  ReceiveResult,
  RememberedResource,
} from "@octo-webhooks/core";
import type { OctoClient } from "../create-octo-client.ts";
import type { SupplierDrift } from "../suppliers/supplier-status.ts";
import type { SubscriptionInput, WebhookInput } from "../types.ts";

/**
 * What the reconciler needs of a receiver: core's `createOctoWebhooks()` and an adapter's receiver are
 * one; so is a queue's `queue.receiver()` (give it `store` then: its workers remember what they applied).
 */
export interface ReconciledReceiver {
  /** Passes a resource read back from the supplier through the receiver's dedupe and stale guard. */
  receive(body: unknown, options?: ReceiveOptions): Promise<ReceiveResult>;
  /** What the receiver's stale guard applied (core's receivers have it; it needs `staleGuard`). */
  remembered?(
    resource: "booking" | "order" | "product",
    options?: { supplier?: string },
  ): AsyncIterable<RememberedResource>;
  /** When the supplier last delivered (2xx) to this process. */
  lastDelivery?(supplier?: string): Date | undefined;
}

/** A store that lists the states the stale guard keeps (the memory, Redis and Postgres stores do). */
export type StateListing = Pick<DeliveryStore, "listStates">;

/** What the reconciler needs of a client: an `OctoClient`. */
export type ReconciledClient = Pick<
  OctoClient,
  "bookings" | "orders" | "products" | "availability" | "webhooks" | "notifications"
>;

/** The registrations the watchdog keeps: what `webhooks.sync` and `notifications.sync` take. */
export interface WatchedRegistrations {
  /** The webhooks that must exist (matched by event and URL, credentials compared). */
  webhooks?: readonly WebhookInput[];
  /** The notification subscriptions that must exist (matched by URL, credentials compared). */
  notifications?: readonly SubscriptionInput[];
  /**
   * Other passwords or header values that count as right (the next one during a rotation); a
   * registration with any other is reported as drifted.
   */
  alsoAccepted?: readonly string[];
}

/** Ids to read one by one at every run, besides what the receiver remembers. */
export interface ReconcileIds {
  /** Booking uuids (`GET /bookings/{uuid}`), unless the travel-date lists brought them. */
  bookings?: readonly string[];
  /** Order ids (`GET /orders/{id}`). */
  orders?: readonly string[];
}

/** Availability to read (`POST /availability`): only when asked, a product (and option) for some days. */
export interface AvailabilityToReconcile {
  productId: string;
  optionId?: string;
  /** From today (UTC), how many days (default 7, at most 366). */
  days?: number;
}

/** One supplier of {@link ReconcilerOptions.suppliers}, with what is read or watched at it alone. */
export interface ReconciledSupplier {
  client: ReconciledClient;
  /** Replaces the reconciler's `watch` for this supplier. */
  watch?: WatchedRegistrations;
  /** Replaces the reconciler's `ids` for this supplier. */
  ids?: ReconcileIds;
  /** Replaces the reconciler's `availability` for this supplier. */
  availability?: readonly AvailabilityToReconcile[];
}

/** The travel dates whose bookings are listed (`GET /bookings?localDateStart=&localDateEnd=`). */
export interface TravelWindow {
  /** Days before today (UTC) to start from (default 1: yesterday, for suppliers ahead of UTC). */
  pastDays?: number;
  /** Days after today to list up to (default 60). */
  aheadDays?: number;
  /** Days per list read (default 3): one page per window, so that a page stays small. */
  daysPerList?: number;
}

/** Options of `createReconciler`. */
export interface ReconcilerOptions {
  /** The receiver the resources go through (`receiver.receive(body, { source: "reconciliation" })`). */
  receiver: ReconciledReceiver;
  /** The supplier's client (one supplier); or `suppliers`. */
  client?: ReconciledClient;
  /** With `client`: the supplier id the receiver knows it by, passed as `supplier` to the receiver. */
  supplier?: string;
  /**
   * Clients by supplier id (many suppliers: `supplierClients(config)` or `reconcilerSuppliers(config)`);
   * each supplier is reconciled with its id passed as `supplier`.
   */
  suppliers?: Readonly<Record<string, ReconciledClient | ReconciledSupplier>>;
  /**
   * The store of a queue's workers (`createRedisStore()`...), for a receiver that applies nothing itself
   * (`queue.receiver()`): what it lists is what the workers applied. Default: `receiver.remembered()`.
   */
  store?: StateListing;
  /** The travel dates listed (default: yesterday to 60 days ahead, 3 days per read); `false`: none. */
  travelWindow?: TravelWindow | false;
  /** Read back every booking and order the receiver remembers that the lists did not bring (default `true`). */
  remembered?: boolean;
  /** Read `GET /products` (default `true`). */
  products?: boolean;
  /** Ids to read at every run. */
  ids?: ReconcileIds;
  /** Availability to read (default none). */
  availability?: readonly AvailabilityToReconcile[];
  /** The registrations to keep at the supplier: deleted ones are created again, drifted ones reported. */
  watch?: WatchedRegistrations;
  /** Reads in flight at once at each supplier (default 4). */
  concurrency?: number;
  /** Reads started per second at each supplier (default 5). */
  ratePerSecond?: number;
  /** A run stops after this long, resumable from `summary.resume` (default: no limit). */
  maxDurationMs?: number;
  /** Stops every run (resumable). */
  signal?: AbortSignal;
  /** A supplier with no accepted delivery for this long is silent: a warning, the hook, reconciled first. */
  silentAfterMs?: number;
  /** Called (and awaited) for each silent supplier at the start of a run. */
  onSupplierSilent?(supplier: string | undefined, silentForMs: number): void | Promise<void>;
  /** Called with each run's summary (runs of `start()` included). */
  onSummary?(summary: ReconcileSummary): void;
  /** Where the reconciler reports (default: `console` for warnings and errors). Lines carry `{ supplier }`. */
  logger?: Logger;
}

/** Options of `run()`. */
export interface ReconcileRunOptions {
  /** Continue a run that stopped: its `summary.resume`. */
  resume?: ReconcileResume | undefined;
  /** Stops this run (resumable). */
  signal?: AbortSignal | undefined;
  /** This run's time limit, instead of the reconciler's. */
  maxDurationMs?: number | undefined;
}

/** Where a stopped run was, per supplier: JSON, to keep between invocations. */
export interface ReconcileResume {
  /** The run's date (UTC): its travel windows are those of this date. */
  today: string;
  suppliers: Record<string, SupplierResume>;
}

/** Where a stopped run was at one supplier. */
export interface SupplierResume {
  done?: boolean;
  watched?: boolean;
  /** The first dates of the travel windows listed. */
  windows?: string[];
  /** The bookings the lists brought (not read again one by one). */
  listed?: string[];
  /** Every one-by-one read up to this key was done. */
  after?: string;
}

/** The counts of a run. */
export interface ReconcileCounts {
  /** Resources read and passed to the receiver. */
  checked: number;
  /** Of those, the ones that reached handlers (for a queue's receiver: enqueued). */
  changed: number;
  /** Of those, the ones skipped as unchanged, stale or duplicate. */
  unchanged: number;
  /** Remembered or given ids the supplier says do not exist (404, `INVALID_BOOKING_UUID`...). */
  missing: number;
  /** Reads that failed and resources the receiver refused or whose handlers failed. */
  failed: number;
  /** Requests sent to the supplier (a 429 answered counts). */
  reads: number;
}

/** A registration the watchdog created again. */
export interface RecreatedRegistration {
  kind: "webhook" | "notification";
  /** The webhook's event, or the subscription's types joined with `,`. */
  event: string;
  /** The new registration's id. */
  id: string;
  /** Where it points, credentials redacted. */
  url: string;
}

/** A registration whose credentials differ from the desired ones (reported, not changed). */
export interface DriftedRegistration {
  kind: "webhook" | "notification";
  event: string;
  id: string;
  url: string;
  /** What differs (never a value). */
  drifted: SupplierDrift[];
}

/** What a run did at one supplier. */
export interface SupplierReconcileSummary extends ReconcileCounts {
  /** The supplier's id (`undefined` for a single client without `supplier`). */
  supplier: string | undefined;
  durationMs: number;
  /** Whether everything was read (`false`: stopped by the time limit, a signal, or a long `Retry-After`). */
  complete: boolean;
  recreated: RecreatedRegistration[];
  drifted: DriftedRegistration[];
  /** When it last delivered to this process, when the receiver knows. */
  lastDeliveryAt: string | undefined;
  /** For how long it has not (since the reconciler was made, when never). */
  silentForMs: number | undefined;
  silent: boolean;
  /** The first failures, redacted. */
  errors: string[];
}

/** What `run()` resolves. */
export interface ReconcileSummary extends ReconcileCounts {
  startedAt: string;
  durationMs: number;
  /** Whether every supplier was read in full. */
  complete: boolean;
  /** Silent suppliers first. */
  suppliers: SupplierReconcileSummary[];
  /** What to pass to `run({ resume })` to continue, when not complete. */
  resume: ReconcileResume | undefined;
}

/** What `createReconciler` returns. */
export interface Reconciler {
  /**
   * Reads what the supplier(s) hold now and passes each resource through the receiver; resolves with
   * a summary (a failure is counted in it, never thrown). A run while one runs joins it.
   */
  run(options?: ReconcileRunOptions): Promise<ReconcileSummary>;
  /** Runs now, then every `intervalMs` (never two at once; an incomplete run is resumed by the next). */
  start(options: { intervalMs: number }): void;
  /** Stops the interval; resolves once the current run is over. */
  stop(): Promise<void>;
}
