import {
  type AuthConfig,
  type Authenticator,
  type AuthOption,
  type AuthRequest,
  createAuthenticator,
} from "./auth.ts";
import { createMemoryStore } from "./create-memory-store.ts";
import { DeliveryContext } from "./delivery-context.ts";
import type { DeliveryStore } from "./delivery-store.ts";
import {
  NonRetryableError,
  OctoHandlerError,
  OctoRequestError,
  OctoWebhooksError,
  PACKAGE_PREFIX,
} from "./errors.ts";
import { type HeaderGetter, type HeaderLookup, toHeaderGetter } from "./headers.ts";
import { BOOKING_LIFECYCLE_EVENTS, type BookingLifecycleEvent, bookingLifecycleEvent } from "./lifecycle.ts";
import { parseInstant } from "./parse-instant.ts";
import { type RequestBody, readBody, readBodyNow } from "./read-body.ts";
import { resolveEvent } from "./resolve-event.ts";
import { runHandlers } from "./run-handlers.ts";
import { PUBLIC_MESSAGE_CODES, STATUS_BY_CODE } from "./status.ts";
import { createTaskQueue, later, type TaskQueue } from "./task-queue.ts";
import type {
  AnyOctoEvent,
  BookingUpdateEvent,
  HandlerContext,
  Logger,
  OctoDuplicateHandler,
  OctoErrorHandler,
  OctoEventMap,
  OctoHandler,
  OctoHandlerEventMap,
  OctoStaleHandler,
  UnknownEvent,
} from "./types.ts";
import { lenientValidation, type OctoValidator } from "./validation.ts";

type MaybeArray<T> = T | readonly T[];

/** Handlers that may be given in the options as well as registered later. */
export interface OctoHandlerOptions {
  /** Runs for every `booking_update` (besides the lifecycle handlers it fires). */
  onBookingUpdate?: MaybeArray<OctoHandler<OctoEventMap["booking_update"]>>;
  /** Runs for every `availability_update`, with `productId` and `optionId` at the top level. */
  onAvailabilityUpdate?: MaybeArray<OctoHandler<OctoEventMap["availability_update"]>>;
  /** Runs for every delivery, known or not, after validation. */
  onAny?: MaybeArray<OctoHandler<AnyOctoEvent>>;
  /** Runs for events this version does not model (`order_update`...). */
  onUnknownEvent?: MaybeArray<OctoHandler<UnknownEvent>>;
  /** Sees every refused delivery and every handler failure (in ack-first mode too). */
  onError?: MaybeArray<OctoErrorHandler>;
}

/** Hooks that see what `dedupe` and `staleGuard` kept from the handlers. */
export interface DeliveryHookOptions {
  /** Sees each duplicate delivery that `dedupe` kept from the handlers. */
  onDuplicate?: MaybeArray<OctoDuplicateHandler>;
  /** Sees each out-of-order `booking_update` that `staleGuard` kept from the handlers. */
  onStale?: MaybeArray<OctoStaleHandler>;
}

/** `onBookingConfirmed`, `onBookingCancelled`...: one option per lifecycle event (see `BOOKING_LIFECYCLE_EVENTS`). */
export type LifecycleHandlerOptions = {
  [E in BookingLifecycleEvent as (typeof BOOKING_LIFECYCLE_EVENTS)[E]]?: MaybeArray<
    OctoHandler<BookingUpdateEvent>
  >;
};

/** `onBookingConfirmed(handler)`, `onBookingCancelled(handler)`...: each returns a function that removes it. */
export type LifecycleHandlerMethods = {
  [E in BookingLifecycleEvent as (typeof BOOKING_LIFECYCLE_EVENTS)[E]]: (
    handler: OctoHandler<BookingUpdateEvent>,
  ) => () => void;
};

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
  /** How long the newest `utcUpdatedAt` of each booking is remembered, in ms (default 7 days). */
  ttlMs?: number;
}

/** Ack-first settings (Node and other long-lived processes; `waitUntil` takes over where given). */
export interface AckFirstOptions {
  /** Deliveries whose handlers run at once in this process (default 8). */
  concurrency?: number;
  /** Deliveries that may wait for a slot; past it deliveries get 503 so that the sender retries (default 1000). */
  maxQueued?: number;
}

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
   * handler (`onStale` sees it). A timestamp that cannot be read never makes a delivery stale.
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
}

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
  /** Why no handler ran: a duplicate (`dedupe`) or an out-of-order update (`staleGuard`). */
  skipped?: "duplicate" | "stale";
}

/** Options of `receive()`: what a handler's context should carry when the body did not come over HTTP here. */
export interface ReceiveOptions {
  /** The headers handlers see in `context.headers`. */
  headers?: HeaderLookup;
  /** The body's text, which handlers see in `context.rawBody`. */
  rawBody?: string;
  /** The delivery's key, when the caller already has it (a queue that used it as a job id). */
  deliveryKey?: string;
}

/** The platform's execution context, as Workers pass it to `fetch` third. */
export interface ExecutionContextLike {
  /** Keeps the worker alive until `promise` settles. */
  waitUntil(promise: Promise<unknown>): void;
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
   * events (`"booking.confirmed"`, `"booking.cancelled"`...) are typed as their `booking_update` body.
   * @example
   * ```ts
   * webhooks.on("booking_update", ({ booking }) => console.log(booking.status));
   * webhooks.on("booking.cancelled", ({ booking }) => releaseSeats(booking.uuid));
   * ```
   */
  on<E extends keyof OctoHandlerEventMap>(
    event: E | readonly E[],
    handler: OctoHandler<OctoHandlerEventMap[E]>,
  ): () => void;
  /**
   * Registers a handler for an event this version does not model (`"order_update"`...), which gets the
   * untyped envelope. Names of lifecycle events and internal lists never reach it.
   */
  on(event: string | readonly string[], handler: OctoHandler<UnknownEvent>): () => void;
  /** Registers a handler for every `booking_update` (besides the lifecycle handlers it fires). */
  onBookingUpdate(handler: OctoHandler<OctoEventMap["booking_update"]>): () => void;
  /** Registers a handler for every `availability_update`. */
  onAvailabilityUpdate(handler: OctoHandler<OctoEventMap["availability_update"]>): () => void;
  /** Registers a handler for every delivery, known or not, after validation; `context.event` tells them apart. */
  onAny(handler: OctoHandler<AnyOctoEvent>): () => void;
  /** Registers a handler for events this version does not model. */
  onUnknownEvent(handler: OctoHandler<UnknownEvent>): () => void;
  /** Registers a hook that sees every refused delivery and every handler failure. */
  onError(handler: OctoErrorHandler): () => void;
  /** Registers a hook that sees each duplicate that `dedupe` kept from the handlers. */
  onDuplicate(handler: OctoDuplicateHandler): () => void;
  /** Registers a hook that sees each out-of-order `booking_update` that `staleGuard` kept from the handlers. */
  onStale(handler: OctoStaleHandler): () => void;
  /** Removes a handler registered with `on` (or `"*"` for `onAny`, `"unknown"`, `"error"`, `"duplicate"`, `"stale"`). */
  removeListener(event: string | readonly string[], handler: (...args: never[]) => unknown): void;
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
}

const ANY = "*";
const UNKNOWN = "unknown";
const ERROR = "error";
const DUPLICATE = "duplicate";
const STALE = "stale";
/** Names of the internal lists, which an event of that name must never reach. */
const RESERVED = new Set<string>([
  ANY,
  UNKNOWN,
  ERROR,
  DUPLICATE,
  STALE,
  ...Object.keys(BOOKING_LIFECYCLE_EVENTS),
]);
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_BODY_TIMEOUT_MS = 30_000;
const DEFAULT_DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;
const DEFAULT_LEASE_MS = 5 * 60 * 1000;
const DEFAULT_STALE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const RETRY_AFTER_SECONDS = "5";
const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };
const OK: OctoResponse = { status: 200, headers: JSON_HEADERS, body: '{"ok":true}' };
const DUPLICATE_OK: OctoResponse = {
  status: 200,
  headers: JSON_HEADERS,
  body: '{"ok":true,"duplicate":true}',
};
const STALE_OK: OctoResponse = { status: 200, headers: JSON_HEADERS, body: '{"ok":true,"stale":true}' };

const defaultLogger: Logger = {
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error ?? ""),
};

function configError(message: string): never {
  throw new OctoWebhooksError("CONFIG_INVALID", message);
}

function isJsonContentType(value: string | undefined): boolean {
  if (value === "application/json" || value === "application/json; charset=utf-8") return true;
  if (value === undefined || value.trim() === "") return true;
  const type = (value.split(";", 1)[0] as string).trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

function positive(value: unknown, name: string, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value > 0) || (integer && !Number.isInteger(value))) {
    configError(`\`${name}\` must be a positive ${integer ? "integer" : "number"}`);
  }
  return value;
}

/** Which option object a `boolean | {...}` option stands for, or `undefined` when off. */
function enabled<T extends object>(value: boolean | T | undefined, name: string): T | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return {} as T;
  if (typeof value !== "object" || value === null) configError(`\`${name}\` must be a boolean or an object`);
  return value;
}

/** A handler error that means "unavailable now, retry later" (`STORE_UNAVAILABLE`, `OVERLOADED`): 503. */
const isUnavailable = (error: unknown) =>
  error instanceof OctoWebhooksError && STATUS_BY_CODE[error.code] === 503;

const MAX_INSTANT = 8.64e15; // the largest a Date can hold
const toIso = (instant: number) => new Date(instant).toISOString();

/** A parsed, validated delivery, before admission. */
interface Delivery {
  event: string;
  known: boolean;
  record: Record<string, unknown>;
  context: DeliveryContext;
}

type Admission = "run" | "duplicate" | "stale";

/**
 * Builds a receiver; `strict` is what `validation: "strict"` uses (the edge build has none, to stay
 * small). Users call `createOctoWebhooks`.
 */
export function createReceiver<TContext = unknown>(
  options: OctoWebhooksOptions<TContext>,
  strict: OctoValidator | undefined,
): OctoWebhooks<TContext> {
  if (typeof options !== "object" || options === null) configError("options must be an object");
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0)
    configError("`maxBodyBytes` must be a positive integer");
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  if (!(bodyTimeoutMs > 0)) configError("`bodyTimeoutMs` must be a positive number of milliseconds");
  const validation = options.validation ?? "lenient";
  let validator: OctoValidator;
  if (validation === "lenient") validator = lenientValidation;
  else if (validation === "strict") {
    validator =
      strict ??
      configError(
        'validation: "strict" needs the official schemas, which this edge build leaves out to stay small: ' +
          'import { strictValidation } from "@octo-webhooks/core/schemas" and pass `validation: strictValidation`',
      );
  } else if (typeof validation === "function") validator = validation;
  else configError('`validation` must be "lenient", "strict" or a validator function');
  const unknownEvents = options.unknownEvents ?? "accept";
  if (unknownEvents !== "accept" && unknownEvents !== "reject")
    configError('`unknownEvents` must be "accept" or "reject"');
  const realm = (options.realm ?? "octo-webhooks").replace(/["\\]/g, "");
  const logger = options.logger ?? defaultLogger;

  const dedupeOptions = enabled(options.dedupe, "dedupe");
  const dedupe = dedupeOptions !== undefined;
  const dedupeTtlMs = positive(dedupeOptions?.ttlMs, "dedupe.ttlMs", DEFAULT_DEDUPE_TTL_MS);
  const leaseMs = positive(dedupeOptions?.leaseMs, "dedupe.leaseMs", DEFAULT_LEASE_MS);
  const staleOptions = enabled(options.staleGuard, "staleGuard");
  const staleGuard = staleOptions !== undefined;
  const staleTtlMs = positive(staleOptions?.ttlMs, "staleGuard.ttlMs", DEFAULT_STALE_TTL_MS);
  const ackOptions = enabled(options.ackFirst, "ackFirst");
  const ackFirst = ackOptions !== undefined;
  const queue: TaskQueue = createTaskQueue(
    positive(ackOptions?.concurrency, "ackFirst.concurrency", 8, true),
    positive(ackOptions?.maxQueued, "ackFirst.maxQueued", 1000, true),
  );
  if (options.store !== undefined) {
    const methods = ["claim", "complete", "release", "recordNewest"] as const;
    const missing = methods.filter((m) => typeof (options.store as Partial<DeliveryStore>)[m] !== "function");
    if (missing.length > 0) configError(`\`store\` lacks ${missing.join(", ")}; see DeliveryStore`);
    if (!dedupe && !staleGuard) {
      logger.warn?.(`${PACKAGE_PREFIX} \`store\` is unused: turn on \`dedupe\` or \`staleGuard\``);
    }
  }
  const store: DeliveryStore | undefined =
    dedupe || staleGuard ? (options.store ?? createMemoryStore()) : undefined;

  const authOption = options.auth;
  const staticAuth = typeof authOption === "object" ? createAuthenticator(authOption) : undefined;
  // a resolver is most often used for Basic credentials from env bindings, so offer Basic then too
  const challenge =
    typeof authOption === "object" && authOption.basic === undefined
      ? `Header realm="${realm}"`
      : `Basic realm="${realm}", charset="UTF-8"`;
  const resolvedAuth = new WeakMap<AuthConfig, Authenticator>();

  const handlers = new Map<string, Array<(...args: never[]) => unknown>>();
  const add = (name: string, handler: unknown): (() => void) => {
    if (typeof handler !== "function") configError(`the handler for "${name}" must be a function`);
    const list = handlers.get(name) ?? [];
    list.push(handler as (...args: never[]) => unknown);
    handlers.set(name, list);
    return () => remove(name, handler as (...args: never[]) => unknown);
  };
  const remove = (name: string, handler: (...args: never[]) => unknown) => {
    const list = handlers.get(name);
    const index = list?.indexOf(handler) ?? -1;
    if (list && index >= 0) list.splice(index, 1);
  };
  const addAll = (name: string, value: unknown) => {
    if (value === undefined) return;
    for (const handler of Array.isArray(value) ? value : [value]) add(name, handler);
  };
  addAll("booking_update", options.onBookingUpdate);
  addAll("availability_update", options.onAvailabilityUpdate);
  for (const [event, option] of Object.entries(BOOKING_LIFECYCLE_EVENTS)) {
    addAll(event, options[option as keyof LifecycleHandlerOptions]);
  }
  addAll(ANY, options.onAny);
  addAll(UNKNOWN, options.onUnknownEvent);
  addAll(ERROR, options.onError);
  addAll(DUPLICATE, options.onDuplicate);
  addAll(STALE, options.onStale);

  /** Runs the hooks of `name` one after the other; a hook that throws is logged and changes nothing. */
  const runHooks = async (name: string, ...args: unknown[]) => {
    for (const hook of handlers.get(name) ?? []) {
      try {
        await (hook as (...a: unknown[]) => unknown)(...args);
      } catch (hookError) {
        logger.error?.(
          `${PACKAGE_PREFIX} an on${name[0]?.toUpperCase()}${name.slice(1)} handler threw`,
          hookError,
        );
      }
    }
  };
  const reportError = (error: OctoWebhooksError, context: HandlerContext | undefined) =>
    runHooks(ERROR, error, context);

  const validate = (event: string, body: Record<string, unknown>) => {
    const issues = validator(event, body);
    if (issues.length > 0) {
      throw new OctoRequestError(
        "INVALID_BODY",
        `the ${event} body is invalid at ${issues.map((i) => i.path).join(", ")}` +
          (validation === "strict" ? ' (validation: "strict")' : ""),
        { issues: [...issues] },
      );
    }
  };

  const toPayload = (event: string, body: Record<string, unknown>): AnyOctoEvent => {
    if (event !== "availability_update") return body as AnyOctoEvent;
    const availability = body.availability as Record<string, unknown>;
    const pick = (key: "productId" | "optionId") => {
      const top = body[key];
      if (typeof top === "string") return top;
      const inner = availability[key];
      return typeof inner === "string" ? inner : undefined;
    };
    return { ...body, productId: pick("productId"), optionId: pick("optionId") } as AnyOctoEvent;
  };

  /** Parses and validates; throws `OctoRequestError`. */
  const prepare = (
    input: { text: string } | { parsed: unknown },
    lookup: HeaderLookup | undefined,
    key: string | undefined,
  ): Delivery => {
    let body: unknown;
    let rawBody: string | undefined;
    if ("text" in input) {
      rawBody = input.text;
      if (/^\s*$/.test(rawBody))
        throw new OctoRequestError("EMPTY_BODY", "the body is empty; expected a JSON object");
      try {
        body = JSON.parse(rawBody);
      } catch {
        throw new OctoRequestError("MALFORMED_JSON", "the body is not valid JSON");
      }
    } else {
      body = input.parsed;
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new OctoRequestError("INVALID_BODY", "the body must be a JSON object");
    }
    const record = body as Record<string, unknown>;
    const { event, webhookEvent } = resolveEvent(record);
    const known = event === "booking_update" || event === "availability_update";
    if (!known && unknownEvents === "reject") {
      throw new OctoRequestError(
        "UNKNOWN_EVENT",
        `"${event.slice(0, 100)}" is not an event this receiver handles (unknownEvents: "reject")`,
      );
    }
    validate(event, record);
    const lifecycle =
      event === "booking_update" ? bookingLifecycleEvent(record as BookingUpdateEvent) : undefined;
    const context = new DeliveryContext(event, webhookEvent, rawBody, lifecycle, record, lookup, key);
    return { event, known, record, context };
  };

  const storeFailed = (what: string, error: unknown) => {
    logger.error?.(
      `${PACKAGE_PREFIX} the delivery store failed (${what}); answered 503 so that the sender retries`,
      error,
    );
    return new OctoRequestError("STORE_UNAVAILABLE", "the delivery could not be processed now; retry later", {
      cause: error,
    });
  };

  /**
   * Completes a claim (`final`: the delivery must not run again) or releases it (the sender's retry
   * must run). A store failure here is logged; the answer stands.
   */
  const settleClaim = async (delivery: Delivery, final: boolean) => {
    if (!dedupe) return;
    const key = delivery.context.deliveryKey;
    try {
      if (final) await (store as DeliveryStore).complete(key, dedupeTtlMs);
      else await (store as DeliveryStore).release(key);
    } catch (error) {
      logger.error?.(
        `${PACKAGE_PREFIX} the delivery store failed to ${final ? "complete" : "release"} a claim; ` +
          (final
            ? "a duplicate may get 409 until the lease ends"
            : "the retry may get 409 until the lease ends"),
        error,
      );
    }
  };

  /**
   * Decides whether the handlers of a delivery run: claims its key (`dedupe`) and checks its
   * `utcUpdatedAt` (`staleGuard`). Throws 409 for a duplicate still in progress and 503 when the store fails.
   */
  const admit = async (delivery: Delivery): Promise<Admission> => {
    const { context, record, event } = delivery;
    if (dedupe) {
      let state: Awaited<ReturnType<DeliveryStore["claim"]>>;
      try {
        state = await (store as DeliveryStore).claim(context.deliveryKey, leaseMs);
      } catch (error) {
        throw storeFailed("claim", error);
      }
      if (state !== "claimed") {
        const payload = toPayload(event, record);
        if (state === "processing") {
          logger.warn?.(
            `${PACKAGE_PREFIX} a duplicate ${event} arrived while the original was still being processed ` +
              "(the sender probably timed out); answered 409 so that it retries later. Slow handlers? See `ackFirst`.",
          );
        } else {
          logger.info?.(
            `${PACKAGE_PREFIX} duplicate ${event} ${context.deliveryKey}: answered 200, not dispatched`,
          );
        }
        await runHooks(DUPLICATE, payload, context.with({ state }));
        if (state === "processing") {
          throw new OctoRequestError(
            "DELIVERY_IN_PROGRESS",
            "this delivery is already being processed; retry later",
          );
        }
        return "duplicate";
      }
    }
    if (staleGuard && event === "booking_update") {
      const booking = record.booking as { uuid: string; utcUpdatedAt?: unknown };
      const instant = parseInstant(booking.utcUpdatedAt);
      if (instant === undefined) {
        if (typeof booking.utcUpdatedAt === "string") {
          logger.debug?.(
            `${PACKAGE_PREFIX} unreadable utcUpdatedAt; the stale guard let the delivery through`,
          );
        }
        return "run";
      }
      let newest: number | undefined;
      try {
        // a store may answer with a string (Redis); anything that is not an instant means "none known"
        const answer = Number(
          await (store as DeliveryStore).recordNewest(`booking:${booking.uuid}`, instant, staleTtlMs),
        );
        newest = answer > 0 && answer < MAX_INSTANT ? answer : undefined;
      } catch (error) {
        if (dedupe) await settleClaim(delivery, false);
        throw storeFailed("recordNewest", error);
      }
      if (newest !== undefined && instant < newest) {
        if (dedupe) await settleClaim(delivery, true);
        logger.info?.(
          `${PACKAGE_PREFIX} stale booking_update (utcUpdatedAt ${toIso(instant)} < ${toIso(newest)}): answered 200, not dispatched`,
        );
        await runHooks(
          STALE,
          record,
          context.with({ updatedAt: toIso(instant), newestUpdatedAt: toIso(newest) }),
        );
        return "stale";
      }
    }
    return "run";
  };

  const select = ({ event, known, context }: Delivery) => {
    const selected: Array<(...args: never[]) => unknown> = [];
    const push = (name: string) => {
      const list = handlers.get(name);
      if (list !== undefined) for (const handler of list) selected.push(handler);
    };
    if (known || !RESERVED.has(event)) push(event);
    if (context.lifecycle !== undefined) push(context.lifecycle);
    if (!known) push(UNKNOWN);
    push(ANY);
    return selected;
  };

  /** Runs the handlers of an admitted delivery; throws `OctoHandlerError` after reporting it. */
  const dispatch = (
    delivery: Delivery,
    selected: Array<(...args: never[]) => unknown>,
  ): void | Promise<void> => {
    const { event, record, context } = delivery;
    if (selected.length === 0) {
      logger.debug?.(`${PACKAGE_PREFIX} no handler for ${event}; answered 200`);
      return dedupe ? settled(delivery, undefined) : undefined;
    }
    const outcome = runHandlers(selected, toPayload(event, record), context);
    // synchronous handlers that all succeeded, without a claim to settle: no promise at all
    if (outcome instanceof Promise) return outcome.then((errors) => settled(delivery, errors));
    return dedupe || outcome !== undefined ? settled(delivery, outcome) : undefined;
  };

  /** After the handlers: settles the claim, then reports and throws their errors if any. */
  const settled = async (delivery: Delivery, errors: unknown[] | undefined) => {
    // a refusal on purpose (NonRetryableError) is final, like a success; a failure must run again
    if (dedupe) {
      await settleClaim(
        delivery,
        errors === undefined || errors.every((e) => e instanceof NonRetryableError),
      );
    }
    if (errors !== undefined) {
      const error = new OctoHandlerError(delivery.event, errors);
      if (errors.every((e) => e instanceof NonRetryableError)) logger.warn?.(error.message);
      else logger.error?.(error.message, errors.length === 1 ? errors[0] : errors);
      await reportError(error, delivery.context);
      throw error;
    }
  };

  const receiveDelivery = async (
    input: { text: string } | { parsed: unknown },
    lookup: HeaderLookup | undefined,
    key: string | undefined,
  ): Promise<ReceiveResult> => {
    const delivery = prepare(input, lookup, key);
    const admission = dedupe || staleGuard ? await admit(delivery) : "run";
    if (admission !== "run") return { event: delivery.event, handlers: 0, skipped: admission };
    const selected = select(delivery);
    await dispatch(delivery, selected);
    return { event: delivery.event, handlers: selected.length };
  };

  const errorResponse = (error: unknown): OctoResponse => {
    let status = 500;
    let code = "INTERNAL_ERROR";
    let message = `${PACKAGE_PREFIX} the delivery could not be processed; retry later`;
    let issues: readonly unknown[] | undefined;
    if (error instanceof OctoHandlerError) {
      code = error.code;
      const refusals = error.errors.filter((e): e is NonRetryableError => e instanceof NonRetryableError);
      if (refusals.length === error.errors.length) {
        const first = refusals[0] as NonRetryableError;
        status = first.status;
        code = "NON_RETRYABLE";
        message = first.message;
      } else if (error.errors.every(isUnavailable)) {
        // a handler that hands the delivery on (a queue) and found its backend down: the sender retries later
        status = 503;
        code = (error.errors[0] as OctoWebhooksError).code;
      }
    } else if (error instanceof OctoWebhooksError) {
      status = STATUS_BY_CODE[error.code];
      code = error.code;
      if (PUBLIC_MESSAGE_CODES.has(error.code)) message = error.message;
      if (error instanceof OctoRequestError && error.issues.length > 0) issues = error.issues;
    }
    const headers: Record<string, string> = { ...JSON_HEADERS };
    if (status === 401) headers["www-authenticate"] = challenge;
    if (status === 405) headers.allow = "POST";
    if (status === 413 || status === 408) headers.connection = "close";
    if (status === 409 || status === 503) headers["retry-after"] = RETRY_AFTER_SECONDS;
    return {
      status,
      headers,
      body: JSON.stringify({ ok: false, error: issues ? { code, message, issues } : { code, message } }),
    };
  };

  const authenticate = async (header: HeaderGetter, method: string, context: TContext | undefined) => {
    if (authOption === undefined) return;
    const request: AuthRequest = { method, header };
    let authenticator = staticAuth;
    if (authenticator === undefined) {
      let config: AuthConfig | null | undefined;
      try {
        config = await (authOption as Exclude<AuthOption<TContext>, AuthConfig>)(
          context as TContext,
          request,
        );
        if (config === null || config === undefined) {
          throw new OctoWebhooksError("CONFIG_INVALID", "auth: the resolver returned no configuration");
        }
        authenticator = resolvedAuth.get(config);
        if (authenticator === undefined) {
          authenticator = createAuthenticator(config);
          resolvedAuth.set(config, authenticator);
        }
      } catch (error) {
        const detail = error instanceof OctoWebhooksError ? error.message : "the auth resolver threw";
        logger.error?.(`${PACKAGE_PREFIX} refusing deliveries until auth is fixed: ${detail}`);
        throw new OctoRequestError("AUTH_MISCONFIGURED", "auth is misconfigured", { cause: error });
      }
    }
    let accepted: boolean;
    try {
      accepted = await authenticator(request);
    } catch (error) {
      logger.error?.(`${PACKAGE_PREFIX} auth \`verify\` threw; the delivery was answered 500`, error);
      throw new OctoRequestError("AUTH_MISCONFIGURED", "auth verification failed", { cause: error });
    }
    if (!accepted) throw new OctoRequestError("UNAUTHORIZED", "missing or invalid credentials");
  };

  /** Ack-first: the handlers of an admitted delivery, after the answer; failures go to `onError`. */
  const runLater = (delivery: Delivery, selected: Array<(...args: never[]) => unknown>) => async () => {
    try {
      await dispatch(delivery, selected);
    } catch (error) {
      if (!(error instanceof OctoHandlerError)) {
        logger.error?.(`${PACKAGE_PREFIX} unexpected failure of an ack-first delivery`, error);
      }
    }
  };

  const handle = async (request: OctoRequest, context?: TContext): Promise<OctoResponse> => {
    const header = toHeaderGetter(request.headers);
    try {
      const method = typeof request.method === "string" ? request.method.toUpperCase() : "";
      if (method !== "POST") {
        throw new OctoRequestError(
          "METHOD_NOT_ALLOWED",
          `${method || "this method"} is not allowed; deliveries are POSTed`,
        );
      }
      if (authOption !== undefined) await authenticate(header, method, context);
      const contentType = header("content-type");
      if (!isJsonContentType(contentType)) {
        throw new OctoRequestError("UNSUPPORTED_MEDIA_TYPE", "the body must be application/json");
      }
      const length = Number(header("content-length"));
      if (length > maxBodyBytes) {
        throw new OctoRequestError(
          "PAYLOAD_TOO_LARGE",
          `the body is larger than ${maxBodyBytes} bytes; raise \`maxBodyBytes\` if your supplier sends larger payloads`,
        );
      }
      const input =
        readBodyNow(request.body, maxBodyBytes) ??
        (await readBody(request.body, maxBodyBytes, bodyTimeoutMs));
      const delivery = prepare(input, request.headers, undefined);
      const admission = dedupe || staleGuard ? await admit(delivery) : "run";
      if (admission === "duplicate") return DUPLICATE_OK;
      if (admission === "stale") return STALE_OK;
      const selected = select(delivery);
      if (!ackFirst || selected.length === 0) {
        const dispatched = dispatch(delivery, selected);
        if (dispatched !== undefined) await dispatched;
        return OK;
      }
      const work = runLater(delivery, selected);
      if (typeof request.waitUntil === "function") {
        const promise = later(work);
        request.waitUntil(promise);
        queue.track(promise);
      } else if (!queue.push(work)) {
        if (dedupe) await settleClaim(delivery, false);
        logger.warn?.(
          `${PACKAGE_PREFIX} the ack-first queue is full (ackFirst.maxQueued); answered 503 so that the sender retries`,
        );
        throw new OctoRequestError("OVERLOADED", "too many deliveries are waiting; retry later");
      }
      return OK;
    } catch (error) {
      if (error instanceof OctoRequestError) {
        logger.debug?.(error.message.replace(PACKAGE_PREFIX, `${PACKAGE_PREFIX} refused a delivery:`));
        await reportError(error, undefined);
      } else if (!(error instanceof OctoHandlerError)) {
        logger.error?.(`${PACKAGE_PREFIX} unexpected failure`, error);
      }
      return errorResponse(error);
    }
  };

  const lifecycleMethods = Object.fromEntries(
    Object.entries(BOOKING_LIFECYCLE_EVENTS).map(([event, method]) => [
      method,
      (handler: unknown) => add(event, handler),
    ]),
  ) as LifecycleHandlerMethods;

  const webhooks: OctoWebhooks<TContext> = {
    ...lifecycleMethods,
    on: ((event: string | readonly string[], handler: unknown) => {
      const names = typeof event === "string" ? [event] : event;
      const removers = names.map((name) => add(name, handler));
      return () => {
        for (const r of removers) r();
      };
    }) as OctoWebhooks<TContext>["on"],
    onBookingUpdate: (handler) => add("booking_update", handler),
    onAvailabilityUpdate: (handler) => add("availability_update", handler),
    onAny: (handler) => add(ANY, handler),
    onUnknownEvent: (handler) => add(UNKNOWN, handler),
    onError: (handler) => add(ERROR, handler),
    onDuplicate: (handler) => add(DUPLICATE, handler),
    onStale: (handler) => add(STALE, handler),
    removeListener: (event, handler) => {
      for (const name of typeof event === "string" ? [event] : event) remove(name, handler);
    },
    receive: async (body, receiveOptions) => {
      const input =
        typeof body === "string"
          ? { text: body }
          : receiveOptions?.rawBody !== undefined
            ? { text: receiveOptions.rawBody }
            : { parsed: body };
      return receiveDelivery(input, receiveOptions?.headers, receiveOptions?.deliveryKey);
    },
    handle,
    fetch: async (request, context, executionContext) => {
      const octoRequest: OctoRequest = {
        method: request.method,
        headers: request.headers,
        body: request.body,
      };
      if (typeof executionContext?.waitUntil === "function") {
        octoRequest.waitUntil = (promise) => executionContext.waitUntil(promise);
      }
      const response = await handle(octoRequest, context);
      return new Response(response.body, { status: response.status, headers: response.headers });
    },
    drain: () => queue.drain(),
  };
  return webhooks;
}
