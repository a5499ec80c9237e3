// The public types of a receiver, in one file: its options, the request and answer of `handle()`, what
// `receive()` takes and gives, the receiver itself and what every adapter takes.

import type { DeliveryStore } from "../admission/delivery-store.ts";
import type { AuthOption, SuppliersOption } from "../auth/credentials.ts";
import type { BOOKING_LIFECYCLE_EVENTS, BookingLifecycleEvent } from "../events/booking-lifecycle.ts";
import type { OctoValidator } from "../events/lenient-validation.ts";
import type { ORDER_LIFECYCLE_EVENTS, OrderLifecycleEvent } from "../events/order-lifecycle.ts";
import type {
  AnyOctoEvent,
  OctoDuplicateHandler,
  OctoErrorHandler,
  OctoEventMap,
  OctoHandler,
  OctoHandlerEventMap,
  OctoStaleHandler,
  OrderUpdateEvent,
  UnknownEvent,
} from "../events/types.ts";
import type { HeaderLookup } from "../http/headers.ts";
import type { RequestBody } from "../http/read-body.ts";
import type { DeliveryLog } from "../log/delivery-log.ts";
import type { Logger } from "../log/logger.ts";
import type { HydrateOption } from "../notifications/create-hydrator.ts";
import type { OctoNotification } from "../notifications/notification.ts";
import type { OctoTelemetry } from "../telemetry/telemetry.ts";
import type { AnyHandler } from "./handler-registry.ts";

type MaybeArray<T> = T | readonly T[];

/** A plain description of an HTTP request, as every adapter can build it. */
export interface OctoRequest {
  /** The HTTP method; anything but POST gets 405. */
  method: string;
  /** The request headers, in any of the shapes of {@link HeaderLookup}. */
  headers?: HeaderLookup;
  /** The body: raw (text, bytes, a stream, a Node request) or already parsed by a body parser. */
  body?: RequestBody;
  /**
   * The platform's way to keep work alive after the answer is sent (`ctx.waitUntil` on Workers).
   * Adapters pass it when the platform has one; ack-first mode uses it.
   */
  waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
  /**
   * The address of the peer that sent the request (the socket's remote address); adapters fill it where
   * the platform gives one. `allowFrom` and `verify` read it (through `trustProxy`).
   */
  remoteAddress?: string | undefined;
  /**
   * The supplier id the request's path names (the `:supplier` segment of `/webhooks/octo/:supplier`);
   * with `suppliers`, only that supplier's credentials pass. Adapters fill it in.
   */
  supplier?: string | undefined;
}

/** A plain description of the answer: write it back as is. */
export interface OctoResponse {
  /** The HTTP status, from `STATUS_BY_CODE`. */
  status: number;
  /** Headers to send: `content-type`, and `www-authenticate`, `allow`, `retry-after` or `connection` when due. */
  headers: Record<string, string>;
  /** A JSON body: `{"ok":true}`, or `{"ok":false,"error":{"code","message","issues"?}}`. */
  body: string;
}

/** What `receive()` resolved. */
export interface ReceiveResult {
  /** The event the body was dispatched as. */
  event: string;
  /** How many handlers ran (0 for a skipped delivery). */
  handlers: number;
  /**
   * Why no handler ran: a duplicate (`dedupe`), an out-of-order update (`staleGuard`), or a notification
   * whose resource the hydrator did not find (`notFound`: its `onNotification` handlers may have run).
   */
  skipped?: "duplicate" | "stale" | "unchanged" | "notFound";
}

/** Options of `receive()`: what a handler's context should carry when the body did not come over HTTP here. */
export interface ReceiveOptions {
  /** The headers handlers see in `context.headers`. */
  headers?: HeaderLookup;
  /**
   * The body's text as it was received, when `body` is given parsed: this text is what gets parsed and
   * validated then (the parsed `body` is not used), and handlers see it in `context.rawBody`. Ignored
   * when `body` is itself a string.
   */
  rawBody?: string;
  /** The delivery's key, when the caller already has it (a queue that used it as a job id). */
  deliveryKey?: string;
  /**
   * The supplier this body came from, as `handle()` identified it (a queue passes it on): handlers see
   * it as `context.supplier`, and `dedupe`/`staleGuard` keep its keys apart from other suppliers'.
   */
  supplier?: string;
  /**
   * Where the body came from when it is not the supplier's delivery: `"reconciliation"` (a resource read
   * back from the supplier's API) or `"replay"` (the delivery log). Handlers see it as `context.source`.
   */
  source?: "reconciliation" | "replay";
  /**
   * Runs the handlers even when `dedupe` or `staleGuard` would not (a replay asked to apply again):
   * nothing is claimed or recorded for it.
   */
  force?: boolean;
}

/** The platform's execution context, as Workers pass it to `fetch` third. */
export interface ExecutionContextLike {
  /** Keeps the worker alive until `promise` settles. */
  waitUntil(promise: Promise<unknown>): void;
}

/** Duplicate suppression settings; see the README ("Delivery semantics"). */
export interface DedupeOptions {
  /** How long a processed delivery is remembered, in ms (default 24 h). */
  ttlMs?: number;
  /**
   * How long a claim protects a delivery that is still being processed, in ms (default 5 min): make it
   * longer than your slowest handler (plus the ack-first queue wait).
   */
  leaseMs?: number;
}

/** Stale-update guard settings. */
export interface StaleGuardOptions {
  /**
   * How long the newest `utcUpdatedAt` of each booking is remembered, in ms (default 7 days), from
   * the time it was stored (stale deliveries do not renew it).
   */
  ttlMs?: number;
  /**
   * How far ahead of this server's clock a `utcUpdatedAt` may be and still order updates, in ms
   * (default 5 min). A later one is dispatched but not recorded, so that one far-future timestamp
   * (`9999-12-31`) cannot make every later update of its booking stale.
   */
  maxFutureSkewMs?: number;
}

/** Ack-first settings (Node and other long-lived processes; `waitUntil` takes over where given). */
export interface AckFirstOptions {
  /** Deliveries whose handlers run at once in this process (default 8). */
  concurrency?: number;
  /** Deliveries that may wait for a slot; past it deliveries get 503 so that the sender retries (default 1000). */
  maxQueued?: number;
}

/** Handlers that may be given in the options as well as registered later. */
export interface OctoHandlerOptions {
  /** Runs for every `booking_update` (besides the lifecycle handlers it fires). */
  onBookingUpdate?: MaybeArray<OctoHandler<OctoEventMap["booking_update"]>>;
  /** Runs for every `availability_update`, with `productId` and `optionId` at the top level. */
  onAvailabilityUpdate?: MaybeArray<OctoHandler<OctoEventMap["availability_update"]>>;
  /** Runs for every `order_update` (besides the order and booking lifecycle handlers it fires). */
  onOrderUpdate?: MaybeArray<OctoHandler<OctoEventMap["order_update"]>>;
  /** Runs for every `product_update`. */
  onProductUpdate?: MaybeArray<OctoHandler<OctoEventMap["product_update"]>>;
  /**
   * Runs for every OCTO notification (`{ type, data }`, thin), with its `data` normalised; narrow it by
   * `type`. With `hydrate`, it runs once the resource was fetched, before the events it fires. Never
   * deduplicated: the thin bodies of two changes of one booking are identical.
   */
  onNotification?: MaybeArray<OctoHandler<OctoNotification>>;
  /** Runs for every delivery, known or not, after validation. */
  onAny?: MaybeArray<OctoHandler<AnyOctoEvent>>;
  /** Runs for events this version does not model (`transfer_update`...). */
  onUnknownEvent?: MaybeArray<OctoHandler<UnknownEvent>>;
  /** Sees every refused delivery and every handler failure (in ack-first mode too). */
  onError?: MaybeArray<OctoErrorHandler>;
}

/** Hooks that see what `dedupe` and `staleGuard` kept from the handlers. */
export interface DeliveryHookOptions {
  /** Sees each duplicate delivery that `dedupe` kept from the handlers. */
  onDuplicate?: MaybeArray<OctoDuplicateHandler>;
  /** Sees each out-of-order `booking_update`, `order_update` or `product_update` that `staleGuard` kept from the handlers. */
  onStale?: MaybeArray<OctoStaleHandler>;
}

/**
 * `onBookingConfirmed`, `onOrderConfirmed`...: one option per lifecycle event (see
 * `BOOKING_LIFECYCLE_EVENTS` and `ORDER_LIFECYCLE_EVENTS`).
 */
export type LifecycleHandlerOptions = {
  [E in BookingLifecycleEvent as (typeof BOOKING_LIFECYCLE_EVENTS)[E]]?: MaybeArray<OctoHandler<E>>;
} & {
  [E in OrderLifecycleEvent as (typeof ORDER_LIFECYCLE_EVENTS)[E]]?: MaybeArray<
    OctoHandler<OrderUpdateEvent>
  >;
};

/** `onBookingConfirmed(handler)`, `onOrderCancelled(handler)`...: each returns a function that removes it. */
export type LifecycleHandlerMethods = {
  [E in BookingLifecycleEvent as (typeof BOOKING_LIFECYCLE_EVENTS)[E]]: (
    handler: OctoHandler<E>,
  ) => () => void;
} & {
  [E in OrderLifecycleEvent as (typeof ORDER_LIFECYCLE_EVENTS)[E]]: (
    handler: OctoHandler<OrderUpdateEvent>,
  ) => () => void;
};

/**
 * Options of `createOctoWebhooks()` (and of every adapter): auth, limits, validation, delivery
 * semantics and the handlers. Every option is optional; the defaults are in the core README.
 *
 * `TContext` is what `handle()`/`fetch()` are given second and a per-request `auth` resolver gets
 * (an adapter passes its framework's request or context).
 */
export interface OctoWebhooksOptions<TContext = unknown>
  extends OctoHandlerOptions,
    LifecycleHandlerOptions,
    DeliveryHookOptions {
  /** Optional authentication of deliveries; see {@link AuthOption}. */
  auth?: AuthOption<TContext>;
  /**
   * Several suppliers behind one receiver, each with its own `auth` (instead of `auth`): a record by
   * supplier id, or a function that looks one up per request (`async (id) => config | undefined`).
   * A delivery's supplier is the one whose credentials matched and, mounted at a path with `:supplier`
   * (`/webhooks/octo/:supplier`), the one the path names: only its credentials pass there. Handlers get
   * it as `context.supplier`; `dedupe` and `staleGuard` keep each supplier's keys apart. A function
   * needs the path form. An unknown supplier gets the same 401 as wrong credentials.
   */
  suppliers?: SuppliersOption;
  /** How long an answer of a `suppliers` function is reused, in ms (default 30 s). */
  supplierCacheMs?: number;
  /**
   * The addresses deliveries may come from: IPv4 or IPv6 addresses and CIDR ranges (`"203.0.113.0/24"`,
   * `"2001:db8::/32"`). Any other address gets 403 before its credentials are read. The address is the
   * request's peer (`OctoRequest.remoteAddress`, which adapters fill), or, with `trustProxy`, the client
   * `X-Forwarded-For` names. A request whose address the platform does not give is refused.
   */
  allowFrom?: string | readonly string[];
  /**
   * How many proxies in front of the receiver to trust for `X-Forwarded-For` (default none: the peer's
   * address is the client's). `1` behind one load balancer: the client is the last address it appended;
   * `true` trusts every hop (the first address listed, which any client can forge without a proxy that
   * overwrites the header).
   */
  trustProxy?: boolean | number;
  /**
   * The path `fetch()` answers (a trailing slash tolerated; any other path gets a 404). A `:supplier`
   * segment (`/webhooks/octo/:supplier`) matches any one segment and names the supplier, as on the
   * adapters. `handle()` does no routing: it takes `request.supplier` as given.
   */
  path?: string;
  /** Largest accepted body in bytes (default 1 MB); larger bodies get a 413 without being read. */
  maxBodyBytes?: number;
  /** Longest time a body may take to arrive, in ms (default 30 s); slower bodies get a 408. */
  bodyTimeoutMs?: number;
  /**
   * `"lenient"` (default) checks only what dispatch reads (`booking.uuid`, `booking.status`,
   * `availability.id`, `webhook.event`, `diff`) and passes the rest as sent. `"strict"` checks the
   * official OCTO shape and answers 400 with the failing paths.
   */
  validation?: "lenient" | "strict" | OctoValidator;
  /** `"accept"` (default) answers 200 to events this version does not model; `"reject"` answers 422. */
  unknownEvents?: "accept" | "reject";
  /** The realm of the `WWW-Authenticate` header of a 401 (default `"octo-webhooks"`). */
  realm?: string;
  /** Where to report handler failures and refused deliveries (default: warnings and errors to `console`). */
  logger?: Logger;
  /**
   * Duplicate suppression (default off): a delivery whose key (`deliveryKey()`) was already processed
   * is answered 200 without running any handler; one still being processed gets 409 (the sender
   * retries later). A handler failure releases the claim so that the retry runs. See the README.
   */
  dedupe?: boolean | DedupeOptions;
  /**
   * Stale-update guard (default off): a `booking_update` whose `booking.utcUpdatedAt` is older than
   * the newest already processed for the same `booking.uuid` is answered 200 without running any
   * handler (`onStale` sees it); the same for an `order_update` (`order.utcUpdatedAt` by `order.id`)
   * and a `product_update` (`product.utcUpdatedAt` by `product.id`, when the sender adds one). A
   * timestamp that is missing or cannot be read never makes a delivery stale.
   */
  staleGuard?: boolean | StaleGuardOptions;
  /** Where `dedupe` and `staleGuard` keep their state (default: `createMemoryStore()`, one per receiver). */
  store?: DeliveryStore;
  /**
   * Ack-first (default off): answer 200 as soon as a delivery is validated (and claimed, with
   * `dedupe`), then run the handlers: through the request's `waitUntil` when the platform gives one
   * (Workers), else in this process with bounded concurrency (`drain()` before exiting). In-process
   * work is not durable: a crash loses it, and a handler failure only reaches `onError`.
   */
  ackFirst?: boolean | AckFirstOptions;
  /**
   * Traces, metrics and trace ids in log lines (default off: nothing recorded, nothing loaded):
   * `openTelemetry()` from `@octo-webhooks/core/otel`, or your own {@link OctoTelemetry}. See docs/observability.md.
   */
  telemetry?: OctoTelemetry;
  /**
   * The delivery log (default off): one entry per attempt of each delivery (arrival, supplier, event,
   * resource, key, the body as received up to `maxBodyBytes` (64 KB; larger ones as their size and
   * hash), the headers without credentials, the answer, each handler's outcome and duration), kept by
   * a store: `createMemoryLog()`, or the Redis or Postgres log. Configured secrets are replaced wherever
   * they appear. See docs/what-did-the-supplier-send.md.
   */
  log?: DeliveryLog | { store: DeliveryLog; maxBodyBytes?: number };
  /**
   * Hydrates OCTO notifications (thin `{ type, data }`): core calls it for the resource, then runs
   * `onNotification` and the events a webhook of it fires (`booking_update` and `booking.*`, one
   * `availability_update` per slot, `product_update`) through `dedupe`/`staleGuard`. Coalesced per
   * resource, never answered from a read that started before the notification arrived; `timeoutMs`
   * (default 10 s). Failure: 503 + `Retry-After`; `null`: 200 and `RESOURCE_NOT_FOUND` to `onError`; more
   * than 5,000 availability slots: 422 `RESOURCE_TOO_LARGE`. See {@link OctoHydrator}.
   */
  hydrate?: HydrateOption;
}

/**
 * A receiver of OCTO webhooks, made by `createOctoWebhooks()`: register handlers on it, then hand it
 * requests with `handle()` (any server), `fetch()` (Web runtimes) or an adapter, or bodies with `receive()`.
 * Every `on*` method returns a function that removes the handler it registered.
 *
 * @example
 * ```ts
 * const webhooks = createOctoWebhooks({ auth: { basic: { username: "octo", password: env.OCTO_HOOK_PASS } } });
 * const off = webhooks.onBookingUpdate(({ booking }) => console.log(booking.uuid, booking.status));
 * const { status, headers, body } = await webhooks.handle({ method: "POST", headers: req.headers, body: req });
 * off();
 * ```
 */
export interface OctoWebhooks<TContext = unknown> extends LifecycleHandlerMethods {
  /**
   * Registers a handler for one event (or several) and returns a function that removes it. Lifecycle
   * events (`"booking.confirmed"`, `"order.cancelled"`...) are typed as their `booking_update` or
   * `order_update` body.
   * @example
   * ```ts
   * webhooks.on("booking_update", ({ booking }) => console.log(booking.status));
   * webhooks.on("booking.cancelled", ({ booking }, { order }) => releaseSeats(booking.uuid, order?.id));
   * webhooks.on("order_update", ({ order }) => console.log(order.id, order.bookings?.length));
   * ```
   */
  on<E extends keyof OctoHandlerEventMap>(event: E | readonly E[], handler: OctoHandler<E>): () => void;
  /**
   * Registers a handler for an event this version does not model (`"transfer_update"`...), which gets the
   * untyped envelope. Names of lifecycle events and internal lists never reach it. A name that looks like
   * a typo of a known event (`"booking.cancelld"`, `"booking_updated"`) is refused with a "did you
   * mean"; `"custom:<name>"` registers `<name>` as it is.
   */
  on(event: string | readonly string[], handler: OctoHandler<UnknownEvent>): () => void;
  /** Registers a handler for every `booking_update` (besides the lifecycle handlers it fires). */
  onBookingUpdate(handler: OctoHandler<OctoEventMap["booking_update"]>): () => void;
  /** Registers a handler for every `availability_update`. */
  onAvailabilityUpdate(handler: OctoHandler<OctoEventMap["availability_update"]>): () => void;
  /** Registers a handler for every `order_update` (besides the lifecycle handlers it fires). */
  onOrderUpdate(handler: OctoHandler<OctoEventMap["order_update"]>): () => void;
  /** Registers a handler for every `product_update`. */
  onProductUpdate(handler: OctoHandler<OctoEventMap["product_update"]>): () => void;
  /**
   * Registers a handler for every OCTO notification (thin `{ type, data }`, normalised); the same as
   * `on("notification", handler)`.
   * @example
   * ```ts
   * webhooks.onNotification((n) => { if (n.type === "AVAILABILITY_UPDATE") refresh(n.data.productId); });
   * ```
   */
  onNotification(handler: OctoHandler<OctoNotification>): () => void;
  /** Registers a handler for every delivery, known or not, after validation; `context.event` tells them apart. */
  onAny(handler: OctoHandler<AnyOctoEvent>): () => void;
  /** Registers a handler for events this version does not model. */
  onUnknownEvent(handler: OctoHandler<UnknownEvent>): () => void;
  /** Registers a hook that sees every refused delivery and every handler failure. */
  onError(handler: OctoErrorHandler): () => void;
  /** Registers a hook that sees each duplicate that `dedupe` kept from the handlers. */
  onDuplicate(handler: OctoDuplicateHandler): () => void;
  /** Registers a hook that sees each out-of-order update that `staleGuard` kept from the handlers. */
  onStale(handler: OctoStaleHandler): () => void;
  /** Removes a handler registered with `on` (or `"*"` for `onAny`, `"unknown"`, `"error"`, `"duplicate"`, `"stale"`). */
  removeListener(event: string | readonly string[], handler: AnyHandler): void;
  /**
   * Validates and dispatches an already-received body (text or parsed JSON), without HTTP, with the
   * same `dedupe` and `staleGuard` as `handle()`; handlers always run before it resolves (`ackFirst`
   * is for `handle()`). Throws `OctoRequestError` for a refused body and `OctoHandlerError` when handlers fail.
   */
  receive(body: unknown, options?: ReceiveOptions): Promise<ReceiveResult>;
  /** The whole HTTP decision: method, auth, content type, size, parsing, validation, dispatch, status. */
  handle(request: OctoRequest, context?: TContext): Promise<OctoResponse>;
  /**
   * The same as `handle`, for Web-standard runtimes (`export default { fetch: webhooks.fetch }`); the
   * Workers execution context, given third, lends its `waitUntil` to ack-first mode.
   */
  fetch(request: Request, context?: TContext, executionContext?: ExecutionContextLike): Promise<Response>;
  /**
   * Resolves once every ack-first delivery accepted so far has run its handlers. Call it on shutdown,
   * after the server stopped accepting requests.
   * @example
   * ```ts
   * process.on("SIGTERM", () => server.close(() => void webhooks.drain().then(() => process.exit(0))));
   * ```
   */
  drain(): Promise<void>;
  /**
   * What the stale guard remembers it applied, for reconciliation: each booking (`"booking"`), order or
   * product with its `utcUpdatedAt` and status, a page of the store at a time; of one supplier, or
   * without `suppliers`, of the receiver's own. Needs `staleGuard` with a store that lists its states
   * (the memory, Redis and Postgres stores do); throws `CONFIG_INVALID` otherwise.
   * @example
   * ```ts
   * for await (const { id, status } of webhooks.remembered("booking")) console.log(id, status);
   * ```
   */
  remembered(
    resource: "booking" | "order" | "product",
    options?: { supplier?: string },
  ): AsyncIterable<RememberedResource>;
  /**
   * When this receiver (this process) last answered a delivery of `supplier` (without `suppliers`, of
   * any sender) with a 2xx; `undefined` when it has not since it started. For noticing a silent supplier.
   */
  lastDelivery(supplier?: string): Date | undefined;
}

/** A resource the stale guard remembers it applied (see {@link OctoWebhooks.remembered}). */
export interface RememberedResource {
  /** Its id (`booking.uuid`, `order.id`, `product.id`). */
  id: string;
  /** The `utcUpdatedAt` applied, as an ISO 8601 instant. */
  updatedAt: string;
  /** The status applied, when the resource has one. */
  status?: string | undefined;
}

/** What every framework adapter takes: core's options, plus where to listen and an optional existing receiver. */
export type AdapterOptions<TContext = unknown> = OctoWebhooksOptions<TContext> & {
  /**
   * Answer only this path (a trailing slash is tolerated); other paths go to the next middleware. A
   * `:supplier` segment (`/webhooks/octo/:supplier`) matches any one segment and names the supplier.
   */
  path?: string;
  /** An existing receiver to use; handler options given beside it are registered on it. */
  webhooks?: OctoWebhooks<TContext>;
};
