// The path of a notification delivery: without `hydrate`, its `onNotification` (and `onAny`) handlers;
// with it, the resource fetched first, then `onNotification`, then the same events a webhook of that
// resource fires (`booking_update` and its `booking.*`, one `availability_update` per slot,
// `product_update`), each through admission like a webhook. See docs/octo.md and the core README.
import { of } from "./admission.ts";
import { DeliveryContext } from "./delivery-context.ts";
import { OctoHandlerError, OctoRequestError, OctoWebhooksError, PACKAGE_PREFIX } from "./errors.ts";
import { type AnyHandler, type HandlerRegistry, LISTS } from "./handler-registry.ts";
import { HydrationFailure } from "./hydrate.ts";
import { logFields } from "./log-fields.ts";
import type { OctoNotification } from "./notification.ts";
import { type ParsedDelivery, parseDelivery } from "./parse-delivery.ts";
import type { ReceiveResult } from "./receiver-io.ts";
import type { OctoRequest } from "./receiver-types.ts";
import type { DeliveryTelemetry } from "./telemetry.ts";
import type { Logger } from "./types.ts";
import { lenientValidation } from "./validation.ts";

/** What the notification path borrows from its receiver. */
export interface NotificationDeps {
  logger: Logger;
  registry: HandlerRegistry;
  /** The wrapped `hydrate` option (`createHydrator`), when given. */
  hydrate: ((notification: OctoNotification, supplier: string | undefined) => Promise<unknown>) | undefined;
  /**
   * Admits and dispatches one webhook-shaped delivery (the receiver's `process`, without ack-first),
   * its handlers in `span`'s handler spans: the notification's, which was told of the delivery already.
   */
  processOne(delivery: ParsedDelivery, span?: DeliveryTelemetry): ReceiveResult | Promise<ReceiveResult>;
  /** Runs handlers that hold no claim (in `span`'s handler spans); throws `OctoHandlerError` after reporting it. */
  dispatchUnclaimed(
    delivery: ParsedDelivery,
    selected: readonly AnyHandler[],
    span?: DeliveryTelemetry,
  ): void | Promise<void>;
  /** Ack-first: runs `work` after the answer, in `span`'s after-answer span (false when the queue is full). */
  scheduleWork(request: OctoRequest, work: () => Promise<void>, span?: DeliveryTelemetry): boolean;
}

const LENIENT = { validator: lenientValidation, strict: false, unknownEvents: "accept" } as const;

/** The webhook-shaped bodies a hydrated resource stands for (an availability list: one per slot). */
function hydratedBodies(
  notification: OctoNotification,
  resource: unknown,
): Array<[string, Record<string, unknown>]> {
  switch (notification.type) {
    case "BOOKING_UPDATE":
      return [["booking_update", { booking: resource }]];
    case "PRODUCT_UPDATE":
      return [["product_update", { product: resource }]];
    default: {
      const { productId, optionId } = notification.data;
      const slots = Array.isArray(resource) ? resource : [resource];
      return slots.map((availability) => ["availability_update", { availability, productId, optionId }]);
    }
  }
}

/** The receiver's handling of notification deliveries (`delivery.notification` set). */
export function createNotificationPath(deps: NotificationDeps) {
  const { logger, registry, hydrate } = deps;
  const supplierOf = (delivery: ParsedDelivery) => delivery.context.supplier;
  const from = (delivery: ParsedDelivery) => of(supplierOf(delivery));

  /** The hydrated deliveries of a notification; a resource that is not what its type needs is a failure. */
  const hydratedDeliveries = (delivery: ParsedDelivery, resource: unknown): ParsedDelivery[] => {
    const notification = delivery.notification as OctoNotification;
    const { rawBody, headers, supplier } = delivery.context;
    return hydratedBodies(notification, resource).map(([event, body]) => {
      let parsed: ParsedDelivery;
      try {
        parsed = parseDelivery({ parsed: body }, headers, undefined, LENIENT, supplier);
      } catch (error) {
        const issues = error instanceof OctoRequestError ? error.issues.map((i) => i.path).join(", ") : "";
        throw new HydrationFailure(false, {
          cause: new Error(
            `${PACKAGE_PREFIX} the hydrator resolved an invalid ${event} resource (at ${issues})`,
          ),
        });
      }
      const context = new DeliveryContext(
        event,
        undefined,
        rawBody,
        parsed.context.lifecycle,
        body,
        headers,
        undefined,
        supplier,
      );
      context.notification = notification;
      return { ...parsed, context };
    });
  };

  /** Fetches, then runs `onNotification`, then the hydrated deliveries; throws like `process`. */
  const run = async (
    delivery: ParsedDelivery,
    acked: boolean,
    span: DeliveryTelemetry | undefined,
  ): Promise<ReceiveResult> => {
    const notification = delivery.notification as OctoNotification;
    let hydrated: ParsedDelivery[] | undefined;
    let notFound = false;
    if (hydrate !== undefined) {
      try {
        const resource = await hydrate(notification, supplierOf(delivery));
        notFound = resource === null;
        if (!notFound) hydrated = hydratedDeliveries(delivery, resource);
      } catch (failure) {
        const timedOut = failure instanceof HydrationFailure && failure.timedOut;
        const cause = failure instanceof HydrationFailure && !timedOut ? failure.cause : failure;
        logger.error?.(
          `${PACKAGE_PREFIX} could not hydrate the ${notification.type} notification${from(delivery)} ` +
            `(${timedOut ? "hydrate.timeoutMs passed" : "the hydrator rejected"}); ` +
            (acked
              ? "it was answered 200 already (ackFirst): no event was dispatched and the supplier will not retry"
              : "answered 503 so that the supplier retries"),
          logFields(delivery, {
            status: acked ? 200 : 503,
            code: "HYDRATION_FAILED",
            error: timedOut ? undefined : cause,
          }),
        );
        const error = new OctoRequestError(
          "HYDRATION_FAILED",
          "the resource this notification names could not be fetched now; retry later",
          { cause: failure },
        );
        error.supplier = supplierOf(delivery);
        throw error;
      }
    }
    const selected = registry.select(delivery);
    if (selected.length > 0) {
      const dispatched = deps.dispatchUnclaimed(delivery, selected, span);
      if (dispatched !== undefined) await dispatched;
    }
    let handlers = selected.length;
    if (notFound) {
      const error = new OctoWebhooksError(
        "RESOURCE_NOT_FOUND",
        `${PACKAGE_PREFIX} the ${notification.type} notification${from(delivery)} names a resource the supplier does not have ` +
          "(the hydrator resolved null); answered 200, no event dispatched",
      );
      error.supplier = supplierOf(delivery);
      logger.warn?.(error.message, logFields(delivery, { status: 200, code: "RESOURCE_NOT_FOUND" }));
      await registry.runHooks(LISTS.error, error, delivery.context);
      return { event: delivery.event, handlers, skipped: "notFound" };
    }
    if (hydrated === undefined) return { event: delivery.event, handlers };
    let firstError: unknown;
    const skipped = new Set<string | undefined>();
    for (const one of hydrated) {
      try {
        const result = await deps.processOne(one, span);
        handlers += result.handlers;
        skipped.add(result.skipped);
      } catch (error) {
        firstError ??= error;
      }
    }
    if (firstError !== undefined) throw firstError;
    // every hydrated delivery skipped for the same reason (a re-sent notification of an unchanged booking)
    const [only] = skipped;
    if (skipped.size === 1 && only !== undefined && selected.length === 0) {
      return { event: delivery.event, handlers, skipped: only as NonNullable<ReceiveResult["skipped"]> };
    }
    return { event: delivery.event, handlers };
  };

  /** In ack-first mode: after the answer; a failure there is logged (above) and reaches `onError`. */
  const later = async (delivery: ParsedDelivery, span: DeliveryTelemetry | undefined) => {
    try {
      await run(delivery, true, span);
    } catch (error) {
      if (error instanceof OctoHandlerError) return; // reported already
      if (error instanceof OctoWebhooksError) {
        if (error.code !== "HYDRATION_FAILED") {
          logger.error?.(
            `${PACKAGE_PREFIX} an ack-first notification failed after its answer`,
            logFields(delivery, { code: error.code, error }),
          );
        }
        await registry.runHooks(LISTS.error, error, delivery.context);
      } else
        logger.error?.(
          `${PACKAGE_PREFIX} unexpected failure of an ack-first notification`,
          logFields(delivery, { error }),
        );
    }
  };

  return async (
    delivery: ParsedDelivery,
    ackFirst?: OctoRequest,
    span?: DeliveryTelemetry,
  ): Promise<ReceiveResult> => {
    if (ackFirst === undefined) return run(delivery, false, span);
    if (!deps.scheduleWork(ackFirst, () => later(delivery, span), span)) {
      logger.warn?.(
        `${PACKAGE_PREFIX} the ack-first queue is full (ackFirst.maxQueued); answered 503 so that the sender retries`,
        logFields(delivery, { status: 503, code: "OVERLOADED" }),
      );
      throw new OctoRequestError("OVERLOADED", "too many deliveries are waiting; retry later");
    }
    return { event: delivery.event, handlers: 0 };
  };
}
