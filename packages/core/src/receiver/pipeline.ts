// The one pipeline every delivery takes, as named steps read top to bottom: read, authenticate, parse,
// admit, dispatch, answer. `handle()` (HTTP) runs every step; `receive()` (a body received elsewhere: a
// queue's job, a replay, a reconciled resource) starts at parse. A notification takes the notify step
// between parse and admit: its resource is fetched, then each webhook-shaped delivery built from it is
// admitted and dispatched as a webhook is. Every step reads the `Pipeline` made once from the settings.
// See docs/architecture.md.
import { createAdmission, type DeliveryAdmission } from "../admission/create-admission.ts";
import { clientAddress } from "../auth/allow-from.ts";
import { RequestForAuth } from "../auth/auth-request.ts";
import { authChallenge, createRequestAuth, type RequestAuth } from "../auth/request-auth.ts";
import { createSupplierAuth, SUPPLIER_ID, type SupplierAuth } from "../auth/supplier-auth.ts";
import { PACKAGE_PREFIX, shown } from "../errors/codes.ts";
import {
  configError,
  isNonRetryableError,
  OctoHandlerError,
  OctoRequestError,
  OctoWebhooksError,
} from "../errors/errors.ts";
import { BOOKING_STATUS_EVENTS } from "../events/booking-lifecycle.ts";
import type { DeliveryOrigin } from "../events/delivery-context.ts";
import { lifecycleSince } from "../events/lifecycle-rules.ts";
import { ORDER_STATUS_EVENTS } from "../events/order-lifecycle.ts";
import { type ParsedDelivery, parseDelivery, toPayload } from "../events/parse-delivery.ts";
import { answers, errorAnswer } from "../http/answers.ts";
import { isJsonContentType, unsupportedMediaType } from "../http/content-type.ts";
import { type HeaderGetter, toHeaderGetter } from "../http/headers.ts";
import {
  isPreRead,
  isUnfinishedNodeRequest,
  type ReadBody,
  readBody,
  readBodyNow,
} from "../http/read-body.ts";
import { fromSupplier, logFields } from "../log/log-fields.ts";
import { createRefusalLog, type RefusalLog } from "../log/refusal-log.ts";
import { OPEN_ENDPOINT_WARNING, PRE_READ_WARNING } from "../log/warnings.ts";
import { createHydrator, HydrationFailure, type Hydrator } from "../notifications/create-hydrator.ts";
import { hydratedDeliveries } from "../notifications/hydrated-deliveries.ts";
import type { OctoNotification } from "../notifications/notification.ts";
import { combineTelemetry } from "../telemetry/combine-telemetry.ts";
import type { DeliveryTelemetry, ReceiverTelemetry } from "../telemetry/telemetry.ts";
import { createHandlerRegistry, type HandlerRegistry, LISTS, type Selection } from "./handler-registry.ts";
import { runHandlers } from "./run-handlers.ts";
import { type ReceiverSettings, resolveSettings } from "./settings.ts";
import { createTaskQueue, later, type TaskQueue } from "./task-queue.ts";
import type {
  OctoRequest,
  OctoResponse,
  OctoWebhooksOptions,
  ReceiveOptions,
  ReceiveResult,
} from "./types.ts";

/** What every step reads: the settings, and what was built from them once, when the receiver was made. */
export interface Pipeline<TContext = unknown> {
  readonly settings: ReceiverSettings<TContext>;
  readonly registry: HandlerRegistry;
  /** The `auth` option's check (absent without `auth`, or with `suppliers`). */
  readonly authenticate: RequestAuth<TContext> | undefined;
  /** The `suppliers` option's check, which also names the supplier. */
  readonly identify: SupplierAuth | undefined;
  /** The `WWW-Authenticate` value of a 401. */
  readonly challenge: string;
  /** `dedupe` and `staleGuard` (absent when both are off: every delivery runs). */
  readonly admission: DeliveryAdmission | undefined;
  /** Ack-first work in this process. */
  readonly queue: TaskQueue;
  readonly telemetry: ReceiverTelemetry | undefined;
  readonly hydrate: Hydrator | undefined;
  readonly logRefusal: RefusalLog;
  /** The warnings a receiver says once, at its first request: `true` once said (or not due). */
  readonly warned: { open: boolean; preRead: boolean };
  /** When each supplier's last delivery was answered with a 2xx, in epoch ms (`""`: without `suppliers`). */
  readonly lastDelivery: Map<string, number>;
}

/** Checks `options` and builds what the steps read. */
export function createPipeline<TContext>(options: OctoWebhooksOptions<TContext>): Pipeline<TContext> {
  const settings = resolveSettings(options);
  const { logger } = settings;
  const registry = createHandlerRegistry(settings.handlers, logger);
  const queue = createTaskQueue(settings.ackFirst?.concurrency ?? 1, settings.ackFirst?.maxQueued ?? 1);
  const lastDelivery = new Map<string, number>();
  return {
    settings,
    registry,
    authenticate: createRequestAuth(settings),
    identify:
      settings.suppliers === undefined
        ? undefined
        : createSupplierAuth(settings.suppliers, settings.supplierCacheMs, logger),
    challenge: authChallenge(settings),
    admission: createAdmission(settings, registry.runHooks),
    queue,
    // `telemetry` (docs/observability.md) and the delivery log: without them, every `span?.` below is all they cost
    telemetry: combineTelemetry(
      settings.telemetry?.instrument({ options, queue, lastDelivery }),
      settings.log?.instrument({ options, maxBodyBytes: settings.log.maxBodyBytes, logger }),
    ),
    hydrate: settings.hydrate && createHydrator(settings.hydrate),
    logRefusal: createRefusalLog(logger),
    // our limits are the user's choice only when given; a parser in front makes them moot
    // `suppliers` authenticates every delivery: not an open endpoint
    warned: {
      open: settings.auth !== undefined || settings.suppliers !== undefined,
      preRead: !settings.limitsGiven,
    },
    lastDelivery,
  };
}

// ---------------------------------------------------------------------------------------------------
// The entries: an HTTP request, or a body received elsewhere.

/** The whole HTTP decision: every step, then the answer (a refusal's too). */
export async function handle<TContext>(
  pipeline: Pipeline<TContext>,
  request: OctoRequest,
  context?: TContext,
): Promise<OctoResponse> {
  warnOnce(pipeline, request);
  const { settings } = pipeline;
  const header = toHeaderGetter(request.headers);
  const span = pipeline.telemetry?.start(request.method, request.headers);
  const body: BodyRead = { started: false, result: undefined };
  let supplier: string | undefined;
  let delivery: ParsedDelivery | undefined;
  try {
    const method = checkMethod(request.method);
    if (settings.allowFrom !== undefined) checkAddress(pipeline, request, header);
    const identified = authenticate(pipeline, request, header, method, body, context);
    supplier = identified instanceof Promise ? await identified : identified;
    checkContent(header, settings.maxBodyBytes);
    const read = readStep(pipeline, request, body);
    const input = read instanceof Promise ? await read : read;
    if (span?.read !== undefined && input.text !== undefined) {
      span.read({ text: input.text, size: input.bytes?.byteLength ?? input.text.length });
    }
    delivery = parse(pipeline, input, { headers: request.headers, supplier }, span);
    const processed = route(pipeline, delivery, settings.ackFirst && request);
    const { skipped } = processed instanceof Promise ? await processed : processed;
    const answer = skipped === undefined ? answers.ok : answers[skipped];
    pipeline.lastDelivery.set(supplier ?? "", Date.now());
    span?.end(answer.status, undefined, skipped);
    return answer;
  } catch (error) {
    return refuse(pipeline, error, { request, reading: body.started, supplier, delivery, span });
  }
}

/**
 * A body received elsewhere (text or parsed JSON), from the parse step on, with the same `dedupe` and
 * `staleGuard` as `handle()`; handlers always run before it resolves. Throws what the steps throw.
 */
export async function receive(
  pipeline: Pipeline<never>,
  body: unknown,
  options?: ReceiveOptions,
): Promise<ReceiveResult> {
  const text = typeof body === "string" ? body : options?.rawBody;
  const input: ReadBody = text === undefined ? { parsed: body } : { text };
  const supplier = options?.supplier;
  if (supplier !== undefined && (typeof supplier !== "string" || !SUPPLIER_ID.test(supplier))) {
    configError('receive(): `supplier` must be a supplier id (letters, digits, ".", "_" or "-")');
  }
  const span = pipeline.telemetry?.start(undefined, options?.headers);
  try {
    const source = options?.source;
    if (source !== undefined && source !== "reconciliation" && source !== "replay") {
      configError('receive(): `source` must be "reconciliation" or "replay"');
    }
    const origin = { headers: options?.headers, key: options?.deliveryKey, supplier, source };
    if (span?.read !== undefined && input.text !== undefined) {
      span.read({ text: input.text, size: input.text.length });
    }
    const delivery = parse(pipeline, input, origin, span);
    if (options?.force === true) delivery.force = true;
    const result = await route(pipeline, delivery, undefined);
    span?.end(undefined, undefined, result.skipped);
    return result;
  } catch (error) {
    span?.end(undefined, error);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// Before the body: the method, the credentials, the content type and the announced size.

/** The receiver's warnings said once, at its first request. */
function warnOnce(pipeline: Pipeline<never>, request: OctoRequest): void {
  const { warned, settings } = pipeline;
  if (!warned.open) {
    warned.open = true;
    settings.logger.warn?.(OPEN_ENDPOINT_WARNING, {});
  }
  if (!warned.preRead && isPreRead(request.body)) {
    warned.preRead = true;
    settings.logger.warn?.(PRE_READ_WARNING, {});
  }
}

/** The method in upper case; anything but POST is refused with 405. */
function checkMethod(given: string): string {
  const method = given === "POST" ? given : typeof given === "string" ? given.toUpperCase() : "";
  if (method !== "POST") {
    throw new OctoRequestError(
      "METHOD_NOT_ALLOWED",
      `${method || "this method"} is not allowed; deliveries are POSTed`,
    );
  }
  return method;
}

/** Refuses (403) a client address outside `allowFrom`, before its credentials are read. */
function checkAddress(pipeline: Pipeline<never>, request: OctoRequest, header: HeaderGetter): void {
  const { allowFrom, trustProxy } = pipeline.settings;
  const forwarded = trustProxy === false ? undefined : header("x-forwarded-for");
  const address = clientAddress(request.remoteAddress, forwarded, trustProxy);
  if (allowFrom?.(address) === true) return;
  throw new OctoRequestError(
    "FORBIDDEN",
    address === undefined
      ? "the address this request came from is unknown, and `allowFrom` needs it"
      : `${address.slice(0, 64)} is not an address deliveries may come from (allowFrom)`,
  );
}

/**
 * The authenticate step: the `suppliers` check (which names the supplier, against the path's
 * `:supplier`), else the `auth` check, synchronous for a fixed Basic or header check. Throws 401 or
 * 500. `verify` may read the body (`rawBody()`): the read step then reuses it.
 */
function authenticate<TContext>(
  pipeline: Pipeline<TContext>,
  request: OctoRequest,
  header: HeaderGetter,
  method: string,
  body: BodyRead,
  context: TContext | undefined,
): string | undefined | Promise<string | undefined> {
  const { identify, authenticate: check } = pipeline;
  if (identify === undefined && check === undefined) return undefined;
  const asked = new RequestForAuth({
    method,
    header,
    lookup: request.headers,
    request,
    trustProxy: pipeline.settings.trustProxy,
    rawBody: () => rawBytes(pipeline, request, body),
  });
  if (identify !== undefined) return identify(asked, request.supplier);
  const checking = check?.(asked, context);
  return checking === undefined ? undefined : checking.then(() => undefined);
}

/** Refuses a content type other than JSON (415) and an announced size over the limit (413). */
function checkContent(header: HeaderGetter, maxBodyBytes: number): void {
  if (!isJsonContentType(header("content-type"))) {
    throw new OctoRequestError("UNSUPPORTED_MEDIA_TYPE", unsupportedMediaType(header("content-type")));
  }
  if (Number(header("content-length")) > maxBodyBytes) {
    throw new OctoRequestError(
      "PAYLOAD_TOO_LARGE",
      `the body is larger than ${maxBodyBytes} bytes; raise \`maxBodyBytes\` if your supplier sends larger payloads`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Read and parse.

/** A request's body, read once: by the read step, or earlier by `verify` through `rawBody()`. */
interface BodyRead {
  /** Whether reading began (a refusal before it closes an unfinished Node request's connection). */
  started: boolean;
  result: ReadBody | Promise<ReadBody> | undefined;
}

/**
 * The read step: a body that has arrived is taken at once, one still arriving is read with the limits
 * (413 past `maxBodyBytes`, 408 past `bodyTimeoutMs`).
 */
function readStep(
  pipeline: Pipeline<never>,
  request: OctoRequest,
  body: BodyRead,
): ReadBody | Promise<ReadBody> {
  if (body.result === undefined) {
    const { maxBodyBytes, bodyTimeoutMs } = pipeline.settings;
    body.started = true;
    body.result =
      readBodyNow(request.body, maxBodyBytes) ?? readBody(request.body, maxBodyBytes, bodyTimeoutMs);
  }
  return body.result;
}

const encoder = new TextEncoder();

/** The body's bytes as they arrived, for `verify` (`AuthRequest.rawBody()`). */
async function rawBytes(
  pipeline: Pipeline<never>,
  request: OctoRequest,
  body: BodyRead,
): Promise<Uint8Array> {
  const input = await readStep(pipeline, request, body);
  if (input.bytes !== undefined) return input.bytes;
  if (input.text !== undefined) return encoder.encode(input.text);
  throw new Error(
    `${PACKAGE_PREFIX} the raw body is not available to \`verify\`: a body parser in front of the receiver read it first; mount the receiver before any body parser`,
  );
}

/** The parse step: a validated delivery (400, or 422 for a rejected unknown event), told to its telemetry. */
function parse(
  pipeline: Pipeline<never>,
  input: ReadBody,
  origin: DeliveryOrigin,
  span: DeliveryTelemetry | undefined,
): ParsedDelivery {
  const delivery = parseDelivery(input, origin, pipeline.settings);
  if (span !== undefined) {
    delivery.span = span;
    span.parsed(delivery);
  }
  return delivery;
}

// ---------------------------------------------------------------------------------------------------
// Admit and dispatch.

/**
 * A parsed delivery's way to its handlers: a notification's (notify), or a webhook's. `ackFirst` is the
 * request it came with when its handlers run after the answer (ack-first mode). Throws `OctoRequestError`
 * or `OctoHandlerError`.
 */
function route(
  pipeline: Pipeline<never>,
  delivery: ParsedDelivery,
  ackFirst: OctoRequest | undefined,
): ReceiveResult | Promise<ReceiveResult> {
  if (delivery.notification !== undefined) return notify(pipeline, delivery, ackFirst);
  return processWebhook(pipeline, delivery, ackFirst);
}

/**
 * Admits a webhook-shaped delivery (a notification's hydrated ones too) and runs its handlers. Without
 * admission nor ack-first, synchronous handlers that succeed make no promise at all.
 */
function processWebhook(
  pipeline: Pipeline<never>,
  delivery: ParsedDelivery,
  ackFirst: OctoRequest | undefined,
): ReceiveResult | Promise<ReceiveResult> {
  if ((pipeline.admission !== undefined && delivery.force !== true) || ackFirst !== undefined) {
    return admitAndRun(pipeline, delivery, ackFirst);
  }
  const selected = pipeline.registry.select(delivery);
  const result: ReceiveResult = { event: delivery.event, handlers: selected.length };
  const dispatched = dispatch(pipeline, delivery, selected, false);
  return dispatched === undefined ? result : dispatched.then(() => result);
}

/** The admit step (`dedupe`, `staleGuard`), then the handlers: now, or after the answer (ack-first). */
async function admitAndRun(
  pipeline: Pipeline<never>,
  delivery: ParsedDelivery,
  ackFirst: OctoRequest | undefined,
): Promise<ReceiveResult> {
  const { registry } = pipeline;
  // a forced delivery (a replay asked to apply again) is neither claimed nor recorded
  const admission = delivery.force === true ? undefined : pipeline.admission;
  const admitted = admission === undefined ? "run" : await admission.admit(delivery);
  if (admitted !== "run") return { event: delivery.event, handlers: 0, skipped: admitted };
  const previous = admission?.previousStatus(delivery);
  if (previous !== undefined) lifecycleSinceApplied(delivery, previous);
  const selected = registry.select(delivery);
  // admission holds a claim (dedupe) or a recorded state (staleGuard) that the outcome ends
  const claimed = admission !== undefined;
  if (ackFirst === undefined || selected.length === 0) {
    const dispatched = dispatch(pipeline, delivery, selected, claimed);
    if (dispatched !== undefined) await dispatched;
  } else if (
    !schedule(pipeline, ackFirst, delivery, () => dispatchAfterAnswer(pipeline, delivery, selected))
  ) {
    await admission?.endClaim(delivery, "release");
    throw overloaded(pipeline, delivery);
  }
  return { event: delivery.event, handlers: selected.length };
}

/**
 * A booking or order that came without `diff` (reconciled, hydrated) says only the state it is in: its
 * lifecycle event comes from the status last applied instead (`booking.amended` for a CONFIRMED booking
 * whose content changed, not a second `booking.confirmed`). An order's bookings then fire nothing of
 * their own unless the order's status changed (each booking's change comes with its own body).
 */
function lifecycleSinceApplied(delivery: ParsedDelivery, previous: string): void {
  const { body, event, context } = delivery;
  if (Array.isArray(body.diff) && body.diff.length > 0) return;
  if (event === "booking_update") {
    const status = (body.booking as { status?: unknown }).status;
    context.lifecycle = lifecycleSince(BOOKING_STATUS_EVENTS, "booking.amended", previous, status);
  } else if (event === "order_update") {
    const status = (body.order as { status?: unknown }).status;
    context.lifecycle = lifecycleSince(ORDER_STATUS_EVENTS, "order.amended", previous, status);
    if (status === previous) delivery.bookings = [];
  }
}

/**
 * The dispatch step: runs the selected handlers (each in its span), then `finish`. `claimed`: the
 * delivery holds a `dedupe` claim that their outcome ends.
 */
function dispatch(
  pipeline: Pipeline<never>,
  delivery: ParsedDelivery,
  selected: Selection,
  claimed: boolean,
): void | Promise<void> {
  if (selected.length === 0) {
    pipeline.settings.logger.debug?.(
      `${PACKAGE_PREFIX} no handler for ${shown(delivery.event)}; answered 200`,
      logFields(delivery, { status: 200 }),
    );
    return claimed ? finish(pipeline, delivery, undefined, true) : undefined;
  }
  const outcome = runHandlers(selected, toPayload(delivery), delivery.context, delivery.span);
  // synchronous handlers that all succeeded, without a claim to end: no promise at all
  if (outcome instanceof Promise)
    return outcome.then((errors) => finish(pipeline, delivery, errors, claimed));
  return claimed || outcome !== undefined ? finish(pipeline, delivery, outcome, claimed) : undefined;
}

/** After the handlers: ends the claim, then reports and throws their errors (`OctoHandlerError`) if any. */
async function finish(
  pipeline: Pipeline<never>,
  delivery: ParsedDelivery,
  errors: unknown[] | undefined,
  claimed: boolean,
): Promise<void> {
  const { admission, registry, settings } = pipeline;
  // a refusal on purpose (NonRetryableError) is final, like a success; a failure must run again
  const refusedOnly = errors?.every(isNonRetryableError) === true;
  if (claimed)
    await admission?.endClaim(delivery, errors === undefined || refusedOnly ? "complete" : "release");
  if (errors === undefined) return;
  const error = new OctoHandlerError(delivery.event, errors);
  const supplier = delivery.context.supplier;
  error.supplier = supplier;
  const message = supplier === undefined ? error.message : `${error.message} (supplier ${supplier})`;
  if (refusedOnly) settings.logger.warn?.(message, logFields(delivery, { code: error.code }));
  else
    settings.logger.error?.(
      message,
      logFields(delivery, { code: error.code, error: errors.length === 1 ? errors[0] : errors }),
    );
  await registry.runHooks(LISTS.error, error, delivery.context);
  throw error;
}

/**
 * Ack-first: `run` after the answer, through the request's `waitUntil` when the platform gives one, else
 * in this process's queue (false when it is full); inside the delivery's after-answer span.
 */
function schedule(
  pipeline: Pipeline<never>,
  request: OctoRequest,
  delivery: ParsedDelivery,
  run: () => Promise<void>,
): boolean {
  const span = delivery.span;
  const work = span ? () => span.background(run) : run;
  if (typeof request.waitUntil !== "function") {
    const queued = pipeline.queue.push(work);
    if (queued) span?.scheduled?.();
    return queued;
  }
  const promise = later(work);
  request.waitUntil(promise);
  pipeline.queue.track(promise);
  span?.scheduled?.();
  return true;
}

/** A webhook's handlers after its answer (ack-first); their failure reached `onError` already. */
async function dispatchAfterAnswer(
  pipeline: Pipeline<never>,
  delivery: ParsedDelivery,
  selected: Selection,
): Promise<void> {
  try {
    await dispatch(pipeline, delivery, selected, pipeline.admission !== undefined && delivery.force !== true);
  } catch (error) {
    if (!(error instanceof OctoHandlerError)) {
      pipeline.settings.logger.error?.(
        `${PACKAGE_PREFIX} unexpected failure of an ack-first delivery`,
        logFields(delivery, { error }),
      );
    }
  }
}

/** The 503 of a full ack-first queue, logged. */
function overloaded(pipeline: Pipeline<never>, delivery: ParsedDelivery): OctoRequestError {
  pipeline.settings.logger.warn?.(
    `${PACKAGE_PREFIX} the ack-first queue is full (ackFirst.maxQueued); answered 503 so that the sender retries`,
    logFields(delivery, { status: 503, code: "OVERLOADED" }),
  );
  return new OctoRequestError("OVERLOADED", "too many deliveries are waiting; retry later");
}

// ---------------------------------------------------------------------------------------------------
// Notify: a notification's way (docs/octo.md). Without `hydrate`, its `onNotification` (and `onAny`)
// handlers, unclaimed; with it, the resource fetched first, then `onNotification`, then the deliveries
// the resource stands for, each through `processWebhook` as a webhook.

/** A notification, now or after its answer (ack-first). */
async function notify(
  pipeline: Pipeline<never>,
  delivery: ParsedDelivery,
  ackFirst: OctoRequest | undefined,
): Promise<ReceiveResult> {
  if (ackFirst === undefined) return runNotification(pipeline, delivery, false);
  if (!schedule(pipeline, ackFirst, delivery, () => notifyAfterAnswer(pipeline, delivery))) {
    throw overloaded(pipeline, delivery);
  }
  return { event: delivery.event, handlers: 0 };
}

/** Fetches (with `hydrate`), then runs `onNotification`, then the hydrated deliveries; throws like `route`. */
async function runNotification(
  pipeline: Pipeline<never>,
  delivery: ParsedDelivery,
  acked: boolean,
): Promise<ReceiveResult> {
  const { registry, settings } = pipeline;
  const notification = delivery.notification as OctoNotification;
  const supplier = delivery.context.supplier;
  let hydrated: ParsedDelivery[] | undefined;
  let notFound = false;
  if (pipeline.hydrate !== undefined) {
    try {
      const resource = await pipeline.hydrate(notification, supplier);
      notFound = resource === null;
      if (!notFound) hydrated = hydratedDeliveries(delivery, resource);
    } catch (failure) {
      // a resource too large to dispatch is final (422); any other failure is retried (503)
      if (failure instanceof OctoRequestError) throw failure;
      throw hydrationFailed(pipeline, delivery, failure, acked);
    }
  }
  const selected = registry.select(delivery);
  if (selected.length > 0) {
    const dispatched = dispatch(pipeline, delivery, selected, false);
    if (dispatched !== undefined) await dispatched;
  }
  let handlers = selected.length;
  if (notFound) {
    const error = new OctoWebhooksError(
      "RESOURCE_NOT_FOUND",
      `the ${notification.type} notification${fromSupplier(supplier)} names a resource the supplier does not have ` +
        "(the hydrator resolved null); answered 200, no event dispatched",
    );
    error.supplier = supplier;
    settings.logger.warn?.(error.message, logFields(delivery, { status: 200, code: "RESOURCE_NOT_FOUND" }));
    await registry.runHooks(LISTS.error, error, delivery.context);
    return { event: delivery.event, handlers, skipped: "notFound" };
  }
  if (hydrated === undefined) return { event: delivery.event, handlers };
  let firstError: unknown;
  const skipped = new Set<string | undefined>();
  for (const one of hydrated) {
    try {
      const result = await processWebhook(pipeline, one, undefined);
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
}

/** The 503 of a hydrator that rejected or timed out, logged (or, after an ack-first answer, only logged). */
function hydrationFailed(
  pipeline: Pipeline<never>,
  delivery: ParsedDelivery,
  failure: unknown,
  acked: boolean,
): OctoRequestError {
  const notification = delivery.notification as OctoNotification;
  const supplier = delivery.context.supplier;
  const timedOut = failure instanceof HydrationFailure && failure.timedOut;
  const cause = failure instanceof HydrationFailure && !timedOut ? failure.cause : failure;
  pipeline.settings.logger.error?.(
    `${PACKAGE_PREFIX} could not hydrate the ${notification.type} notification${fromSupplier(supplier)} ` +
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
  error.supplier = supplier;
  return error;
}

/** A notification after its answer (ack-first): a failure there is logged and reaches `onError`. */
async function notifyAfterAnswer(pipeline: Pipeline<never>, delivery: ParsedDelivery): Promise<void> {
  const { registry, settings } = pipeline;
  try {
    await runNotification(pipeline, delivery, true);
  } catch (error) {
    if (error instanceof OctoHandlerError) return; // reported already
    if (error instanceof OctoWebhooksError) {
      if (error.code !== "HYDRATION_FAILED") {
        settings.logger.error?.(
          `${PACKAGE_PREFIX} an ack-first notification failed after its answer`,
          logFields(delivery, { code: error.code, error }),
        );
      }
      await registry.runHooks(LISTS.error, error, delivery.context);
    } else
      settings.logger.error?.(
        `${PACKAGE_PREFIX} unexpected failure of an ack-first notification`,
        logFields(delivery, { error }),
      );
  }
}

// ---------------------------------------------------------------------------------------------------
// Answer a refusal.

/** What `refuse` knows of the request it answers. */
interface Refused {
  request: OctoRequest;
  /** Whether the read step had started (else an unfinished Node body gets `connection: close`). */
  reading: boolean;
  supplier: string | undefined;
  delivery: ParsedDelivery | undefined;
  span: DeliveryTelemetry | undefined;
}

/** The answer to a refused or failed delivery, after the log line and `onError` it is due. */
async function refuse(
  pipeline: Pipeline<never>,
  error: unknown,
  { request, reading, supplier, delivery, span }: Refused,
): Promise<OctoResponse> {
  if (supplier !== undefined && error instanceof OctoWebhooksError) error.supplier = supplier;
  // refused before its credentials named a supplier: the one its path claimed, said as a claim
  const claimed =
    supplier === undefined && typeof request.supplier === "string" && SUPPLIER_ID.test(request.supplier)
      ? request.supplier
      : undefined;
  if (claimed !== undefined && error instanceof OctoWebhooksError) error.claimedSupplier = claimed;
  if (error instanceof OctoRequestError) {
    const fields = logFields(delivery, { supplier, claimedSupplier: claimed, traceId: span?.traceId });
    const from =
      claimed === undefined ? fromSupplier(supplier) : ` for supplier ${claimed} (named by the path)`;
    pipeline.logRefusal(error, from, fields);
    await pipeline.registry.runHooks(LISTS.error, error, undefined);
  } else if (!(error instanceof OctoHandlerError)) {
    pipeline.settings.logger.error?.(
      `${PACKAGE_PREFIX} unexpected failure`,
      logFields(delivery, { status: 500, supplier, traceId: span?.traceId, error }),
    );
  }
  const answer = errorAnswer(error, pipeline.challenge);
  // refused before its body was read (405, 401, 415, a Content-Length over the limit): close the
  // connection (adapters linger: lingerBeforeClose) rather than let Node read the rest
  if (!reading && isUnfinishedNodeRequest(request.body)) answer.headers.connection = "close";
  span?.end(answer.status, error);
  return answer;
}
