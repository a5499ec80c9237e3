// The instrumentation seam: what a receiver tells a `telemetry` option about each delivery. Types only:
// without the option nothing is called (one `?.` per call site), so the default costs nothing and the
// main entry carries no tracing code. `@octo-webhooks/core/otel` implements it with OpenTelemetry.

import type { HandlerContext } from "../events/types.ts";
import type { HeaderLookup } from "../http/headers.ts";

/**
 * What a receiver gives its `telemetry` once, when it is made: its options (to know the configured
 * secrets, which must never reach a span) and how many ack-first deliveries wait or run in this process.
 */
export interface TelemetryReceiver {
  /** The options the receiver was made with. */
  readonly options: object;
  /** Its ack-first queue: `pending` is how many deliveries run or wait in this process now (`0` without `ackFirst`). */
  readonly queue: { readonly pending: number };
  /**
   * When each supplier's last delivery was answered with a 2xx, in epoch ms (key `""` without
   * `suppliers`), for a gauge of how long each has been silent.
   */
  readonly lastDelivery?: ReadonlyMap<string, number>;
}

/** A delivery once parsed: what spans, metrics and log lines describe it by. */
export interface TelemetryDelivery {
  /** The event it is dispatched as. */
  readonly event: string;
  /** The parsed body (`booking.uuid`, `availability.id`... are read from it). */
  readonly body: Record<string, unknown>;
  /** Its handler context (`lifecycle`, `supplier`, `deliveryKey`, `rawBody`). */
  readonly context: HandlerContext;
}

/**
 * One delivery's telemetry, from its arrival to its answer (and its ack-first work after it). Every
 * method is called at most once, except `handler`, once per handler.
 */
export interface DeliveryTelemetry {
  /** The trace id this delivery is recorded under, for log lines (`undefined` when not recorded). */
  readonly traceId?: string | undefined;
  /** The body parsed and passed validation. */
  parsed(delivery: TelemetryDelivery): void;
  /**
   * Optional: the body as read, before it is parsed (also for a body refused as malformed), and the
   * client address the request came from when the platform gives it.
   */
  read?(body: { text?: string | undefined; size: number }): void;
  /** Optional: the delivery's handlers will run after its answer (ack-first), in `background`. */
  scheduled?(): void;
  /**
   * Runs one handler (`index` in the delivery's list) and returns what it returned; a promise is
   * followed until it settles, a throw is recorded and thrown again. `event` is the event the handler
   * runs for: the delivery's, a lifecycle handler's lifecycle event (`booking.cancelled`), or for a
   * notification's hydrated deliveries, the event each stands for (`booking_update`...).
   */
  handler(index: number, run: () => unknown, event?: string): unknown;
  /** Ack-first: runs the handlers' work after the answer (recorded apart, linked to the delivery). */
  background(run: () => Promise<void>): Promise<void>;
  /**
   * The answer: its status (`undefined` for `receive()`, which has none), the error that made it if
   * any, and whether admission skipped the handlers.
   */
  end(
    status: number | undefined,
    error?: unknown,
    skipped?: "duplicate" | "stale" | "unchanged" | "notFound",
  ): void;
}

/** A receiver's telemetry: starts one {@link DeliveryTelemetry} per delivery. */
export interface ReceiverTelemetry {
  /**
   * A delivery arrives: `method` and `headers` of the request (`method` is `undefined` for `receive()`,
   * whose `headers` are those given to it, if any).
   */
  start(method: string | undefined, headers: HeaderLookup | undefined): DeliveryTelemetry;
}

/**
 * The `telemetry` option: an instrumentation of receivers. `openTelemetry()` from
 * `@octo-webhooks/core/otel` is the one we ship; anything with this shape works (a custom metrics
 * sink, a test recorder). Without it nothing is recorded and nothing is loaded.
 *
 * @example
 * ```ts
 * const telemetry: OctoTelemetry = {
 *   instrument: () => ({
 *     start: () => ({
 *       parsed: (delivery) => console.log("delivery", delivery.event),
 *       handler: (_index, run) => run(),
 *       background: (run) => run(),
 *       end: (status) => console.log("answered", status),
 *     }),
 *   }),
 * };
 * const webhooks = createOctoWebhooks({ auth: "none", telemetry });
 * ```
 */
export interface OctoTelemetry {
  /** Called once by each receiver made with this option. */
  instrument(receiver: TelemetryReceiver): ReceiverTelemetry;
}
