// Wiring: a receiver from its settings, and the one path every delivery takes, `process(delivery)`,
// shared by `handle()` (HTTP) and `receive()` (a body received elsewhere). See docs/architecture.md.
import { createAdmission, of } from "./admission.ts";
import {
  isNonRetryableError,
  OctoHandlerError,
  OctoRequestError,
  OctoWebhooksError,
  PACKAGE_PREFIX,
} from "./errors.ts";
import { type AnyHandler, createHandlerRegistry, LISTS } from "./handler-registry.ts";
import { toHeaderGetter } from "./headers.ts";
import { createHydrator } from "./hydrate.ts";
import { logFields, traced } from "./log-fields.ts";
import { createNotificationPath } from "./notification-dispatch.ts";
import { isJsonContentType, type ParsedDelivery, parseDelivery, toPayload } from "./parse-delivery.ts";
import { isUnfinishedNodeRequest, readBody, readBodyNow } from "./read-body.ts";
import { receiverMethods } from "./receiver-methods.ts";
import type {
  OctoRequest,
  OctoResponse,
  OctoWebhooks,
  OctoWebhooksOptions,
  ReceiveResult,
} from "./receiver-types.ts";
import {
  createRefusalLog,
  isPreRead,
  OPEN_ENDPOINT_WARNING,
  PRE_READ_WARNING,
  unsupportedMediaType,
} from "./refusal-log.ts";
import { authChallenge, createRequestAuth } from "./request-auth.ts";
import { configError, resolveOptions } from "./resolve-options.ts";
import { runHandlers } from "./run-handlers.ts";
import { answers, errorAnswer } from "./status.ts";
import { createSupplierAuth, SUPPLIER_ID } from "./supplier-auth.ts";
import { createTaskQueue, later } from "./task-queue.ts";
import type { DeliveryTelemetry } from "./telemetry.ts";
import type { OctoValidator } from "./validation.ts";
import { checkPath, createFetch } from "./web-fetch.ts";

/**
 * Builds a receiver; `strict` is what `validation: "strict"` uses (the edge build has none, to stay
 * small). Users call `createOctoWebhooks`.
 */
export function createReceiver<TContext = unknown>(
  options: OctoWebhooksOptions<TContext>,
  strict: OctoValidator | undefined,
): OctoWebhooks<TContext> {
  const settings = resolveOptions(options, strict);
  const { logger, maxBodyBytes, bodyTimeoutMs } = settings;
  const registry = createHandlerRegistry(options, logger, configError);
  const authenticate = createRequestAuth(settings);
  const identify =
    settings.suppliers === undefined
      ? undefined
      : createSupplierAuth(settings.suppliers, settings.supplierCacheMs, logger);
  const challenge = authChallenge(settings);
  const admission = createAdmission(settings, registry.runHooks);
  const path = checkPath(options.path);
  const queue = createTaskQueue(settings.ackFirst?.concurrency ?? 1, settings.ackFirst?.maxQueued ?? 1);
  // `telemetry` (docs/observability.md): without it, every `span?.` below is all it costs
  const instrumented = options.telemetry?.instrument({ options, queue });

  /** After the handlers: ends the claim, then reports and throws their errors if any. */
  const afterHandlers = async (delivery: ParsedDelivery, errors: unknown[] | undefined, claimed = true) => {
    // a refusal on purpose (NonRetryableError) is final, like a success; a failure must run again
    const refusedOnly = errors?.every(isNonRetryableError) === true;
    if (claimed)
      await admission?.endClaim(delivery, errors === undefined || refusedOnly ? "complete" : "release");
    if (errors === undefined) return;
    const error = new OctoHandlerError(delivery.event, errors);
    const supplier = delivery.context.supplier;
    error.supplier = supplier;
    const message = supplier === undefined ? error.message : `${error.message} (supplier ${supplier})`;
    if (refusedOnly) logger.warn?.(message, logFields(delivery, { code: error.code }));
    else
      logger.error?.(
        message,
        logFields(delivery, { code: error.code, error: errors.length === 1 ? errors[0] : errors }),
      );
    await registry.runHooks(LISTS.error, error, delivery.context);
    throw error;
  };

  /** Runs the handlers of an admitted delivery; throws `OctoHandlerError` after reporting it. */
  const dispatch = (
    delivery: ParsedDelivery,
    selected: readonly AnyHandler[],
    span?: DeliveryTelemetry,
    claimed = settings.dedupe !== undefined,
  ): void | Promise<void> => {
    if (selected.length === 0) {
      logger.debug?.(
        `${PACKAGE_PREFIX} no handler for ${delivery.event}; answered 200`,
        logFields(delivery, { status: 200 }),
      );
      return claimed ? afterHandlers(delivery, undefined) : undefined;
    }
    const outcome = runHandlers(selected, toPayload(delivery), delivery.context, span);
    // synchronous handlers that all succeeded, without a claim to end: no promise at all
    if (outcome instanceof Promise) return outcome.then((errors) => afterHandlers(delivery, errors, claimed));
    return claimed || outcome !== undefined ? afterHandlers(delivery, outcome, claimed) : undefined;
  };

  /** Ack-first: hands the handlers to the request's `waitUntil`, else to the queue (false when full). */
  const schedule = (
    request: OctoRequest,
    delivery: ParsedDelivery,
    selected: readonly AnyHandler[],
    span?: DeliveryTelemetry,
  ): boolean => {
    const run = async () => {
      try {
        await dispatch(delivery, selected, span);
      } catch (error) {
        // an OctoHandlerError was reported to onError already
        if (!(error instanceof OctoHandlerError)) {
          logger.error?.(
            `${PACKAGE_PREFIX} unexpected failure of an ack-first delivery`,
            logFields(delivery, { error }),
          );
        }
      }
    };
    return scheduleWork(request, run, span);
  };
  /** Ack-first: `run` via the request's `waitUntil`, else queued (false when full); in `span`'s `background`. */
  const scheduleWork = (
    request: OctoRequest,
    run: () => Promise<void>,
    span?: DeliveryTelemetry,
  ): boolean => {
    const work = span ? () => span.background(run) : run;
    if (typeof request.waitUntil !== "function") return queue.push(work);
    const promise = later(work);
    request.waitUntil(promise);
    queue.track(promise);
    return true;
  };

  /**
   * Admits a parsed delivery and runs its handlers: before resolving, or after the answer when `ackFirst`
   * is the request it came with (ack-first mode). Throws `OctoRequestError` or `OctoHandlerError`.
   * Without admission nor ack-first, synchronous handlers that succeed make no promise at all.
   */
  const process = (
    delivery: ParsedDelivery,
    ackFirst?: OctoRequest,
    span?: DeliveryTelemetry,
  ): ReceiveResult | Promise<ReceiveResult> => {
    if (span) traced(delivery, span);
    if (delivery.notification !== undefined) return notify(delivery, ackFirst, span);
    return processTraced(delivery, ackFirst, span);
  };

  /** `process` of a webhook-shaped delivery its telemetry was told of (a notification's hydrated ones too). */
  const processTraced = (
    delivery: ParsedDelivery,
    ackFirst: OctoRequest | undefined,
    span: DeliveryTelemetry | undefined,
  ): ReceiveResult | Promise<ReceiveResult> => {
    if (admission !== undefined || ackFirst !== undefined) return admitAndRun(delivery, ackFirst, span);
    const selected = registry.select(delivery);
    const result: ReceiveResult = { event: delivery.event, handlers: selected.length };
    const dispatched = dispatch(delivery, selected, span);
    return dispatched === undefined ? result : dispatched.then(() => result);
  };

  /** `process` with admission (dedupe, stale guard) or ack-first. */
  const admitAndRun = async (
    delivery: ParsedDelivery,
    ackFirst: OctoRequest | undefined,
    span: DeliveryTelemetry | undefined,
  ): Promise<ReceiveResult> => {
    const admitted = admission === undefined ? "run" : await admission.admit(delivery);
    if (admitted !== "run") return { event: delivery.event, handlers: 0, skipped: admitted };
    const selected = registry.select(delivery);
    if (ackFirst === undefined || selected.length === 0) {
      const dispatched = dispatch(delivery, selected, span);
      if (dispatched !== undefined) await dispatched;
    } else if (!schedule(ackFirst, delivery, selected, span)) {
      await admission?.endClaim(delivery, "release");
      logger.warn?.(
        `${PACKAGE_PREFIX} the ack-first queue is full (ackFirst.maxQueued); answered 503 so that the sender retries`,
        logFields(delivery, { status: 503, code: "OVERLOADED" }),
      );
      throw new OctoRequestError("OVERLOADED", "too many deliveries are waiting; retry later");
    }
    return { event: delivery.event, handlers: selected.length };
  };

  const notify = createNotificationPath({
    logger,
    registry,
    hydrate: settings.hydrate && createHydrator(settings.hydrate),
    processOne: (delivery, span) => processTraced(delivery, undefined, span),
    dispatchUnclaimed: (delivery, selected, span) => dispatch(delivery, selected, span, false),
    scheduleWork,
  });

  const logRefusal = createRefusalLog(logger);
  let openWarned = settings.auth !== undefined;
  // our limits are the user's choice only when given; a parser in front makes them moot
  let preReadWarned = options.maxBodyBytes === undefined && options.bodyTimeoutMs === undefined;
  const handle = async (request: OctoRequest, context?: TContext): Promise<OctoResponse> => {
    if (!openWarned) {
      openWarned = true;
      logger.warn?.(OPEN_ENDPOINT_WARNING, {});
    }
    if (!preReadWarned && isPreRead(request.body)) {
      preReadWarned = true;
      logger.warn?.(PRE_READ_WARNING, {});
    }
    const header = toHeaderGetter(request.headers);
    const span = instrumented?.start(request.method, request.headers);
    let reading = false;
    let supplier: string | undefined;
    let delivery: ParsedDelivery | undefined;
    try {
      const given = request.method;
      const method = given === "POST" ? given : typeof given === "string" ? given.toUpperCase() : "";
      if (method !== "POST") {
        throw new OctoRequestError(
          "METHOD_NOT_ALLOWED",
          `${method || "this method"} is not allowed; deliveries are POSTed`,
        );
      }
      if (identify !== undefined) supplier = await identify(header, method, request.supplier);
      else if (authenticate !== undefined) {
        // a fixed Basic or header check is synchronous: no promise to wait for
        const checking = authenticate(header, method, context);
        if (checking !== undefined) await checking;
      }
      if (!isJsonContentType(header("content-type"))) {
        throw new OctoRequestError("UNSUPPORTED_MEDIA_TYPE", unsupportedMediaType(header("content-type")));
      }
      if (Number(header("content-length")) > maxBodyBytes) {
        throw new OctoRequestError(
          "PAYLOAD_TOO_LARGE",
          `the body is larger than ${maxBodyBytes} bytes; raise \`maxBodyBytes\` if your supplier sends larger payloads`,
        );
      }
      reading = true;
      const input =
        readBodyNow(request.body, maxBodyBytes) ??
        (await readBody(request.body, maxBodyBytes, bodyTimeoutMs));
      delivery = parseDelivery(input, request.headers, undefined, settings, supplier);
      const processed = process(delivery, settings.ackFirst && request, span);
      const { skipped } = processed instanceof Promise ? await processed : processed;
      const answer = skipped === undefined ? answers.ok : answers[skipped];
      span?.end(answer.status, undefined, skipped);
      return answer;
    } catch (error) {
      if (supplier !== undefined && error instanceof OctoWebhooksError) error.supplier = supplier;
      if (error instanceof OctoRequestError) {
        logRefusal(error, of(supplier), logFields(delivery, { supplier, traceId: span?.traceId }));
        await registry.runHooks(LISTS.error, error, undefined);
      } else if (!(error instanceof OctoHandlerError)) {
        logger.error?.(
          `${PACKAGE_PREFIX} unexpected failure`,
          logFields(delivery, { status: 500, supplier, traceId: span?.traceId, error }),
        );
      }
      const answer = errorAnswer(error, challenge);
      // refused before its body was read (405, 401, 415, a Content-Length over the limit): close the
      // connection (adapters linger: lingerBeforeClose) rather than let Node read the rest
      if (!reading && isUnfinishedNodeRequest(request.body)) answer.headers.connection = "close";
      span?.end(answer.status, error);
      return answer;
    }
  };

  return {
    ...receiverMethods<TContext>(registry),
    receive: async (body, receiveOptions) => {
      const text = typeof body === "string" ? body : receiveOptions?.rawBody;
      const input = text === undefined ? { parsed: body } : { text };
      const key = receiveOptions?.deliveryKey;
      const supplier = receiveOptions?.supplier;
      if (supplier !== undefined && (typeof supplier !== "string" || !SUPPLIER_ID.test(supplier))) {
        configError('receive(): `supplier` must be a supplier id (letters, digits, ".", "_" or "-")');
      }
      const span = instrumented?.start(undefined, receiveOptions?.headers);
      try {
        const delivery = parseDelivery(input, receiveOptions?.headers, key, settings, supplier);
        const result = await process(delivery, undefined, span);
        span?.end(undefined, undefined, result.skipped);
        return result;
      } catch (error) {
        span?.end(undefined, error);
        throw error;
      }
    },
    handle,
    fetch: createFetch(handle, path),
    drain: () => queue.drain(),
  };
}
