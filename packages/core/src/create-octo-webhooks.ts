import {
  type AuthConfig,
  type Authenticator,
  type AuthOption,
  type AuthRequest,
  createAuthenticator,
} from "./auth.ts";
import {
  NonRetryableError,
  OctoHandlerError,
  OctoRequestError,
  OctoWebhooksError,
  PACKAGE_PREFIX,
} from "./errors.ts";
import { formatIssues } from "./format-issues.ts";
import { type HeaderGetter, type HeaderLookup, toHeaderGetter } from "./headers.ts";
import { type RequestBody, readBody } from "./read-body.ts";
import { resolveEvent } from "./resolve-event.ts";
import { dispatchSchemas, strictSchemas } from "./schemas/index.ts";
import { PUBLIC_MESSAGE_CODES, STATUS_BY_CODE } from "./status.ts";
import type {
  AnyOctoEvent,
  HandlerContext,
  Logger,
  OctoErrorHandler,
  OctoEventMap,
  OctoEventName,
  OctoHandler,
  UnknownEvent,
} from "./types.ts";

type MaybeArray<T> = T | readonly T[];

/** Handlers that may be given in the options as well as registered later. */
export interface OctoHandlerOptions {
  onBookingUpdate?: MaybeArray<OctoHandler<OctoEventMap["booking_update"]>>;
  onAvailabilityUpdate?: MaybeArray<OctoHandler<OctoEventMap["availability_update"]>>;
  /** Runs for every delivery, known or not, after validation. */
  onAny?: MaybeArray<OctoHandler<AnyOctoEvent>>;
  /** Runs for events this version does not model (`order_update`...). */
  onUnknownEvent?: MaybeArray<OctoHandler<UnknownEvent>>;
  /** Sees every refused delivery and every handler failure. */
  onError?: MaybeArray<OctoErrorHandler>;
}

export interface OctoWebhooksOptions<TContext = unknown> extends OctoHandlerOptions {
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
  validation?: "lenient" | "strict";
  /** `"accept"` (default) answers 200 to events this version does not model; `"reject"` answers 422. */
  unknownEvents?: "accept" | "reject";
  /** The realm of the `WWW-Authenticate` header of a 401 (default `"octo-webhooks"`). */
  realm?: string;
  /** Where to report handler failures and refused deliveries (default: warnings and errors to `console`). */
  logger?: Logger;
}

/** A plain description of an HTTP request, as every adapter can build it. */
export interface OctoRequest {
  method: string;
  headers?: HeaderLookup;
  body?: RequestBody;
  /**
   * The platform's way to keep work alive after the answer is sent (`ctx.waitUntil` on Workers).
   * Adapters pass it when the platform has one; ack-first mode uses it.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
}

/** A plain description of the answer: write it back as is. */
export interface OctoResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What `receive()` resolved. */
export interface ReceiveResult {
  event: string;
  handlers: number;
}

export interface ReceiveOptions {
  headers?: HeaderLookup;
  rawBody?: string;
}

export interface OctoWebhooks<TContext = unknown> {
  /**
   * Registers a handler for one event (or several) and returns a function that removes it.
   * @example
   * ```ts
   * webhooks.on("booking_update", ({ booking }) => console.log(booking.status));
   * ```
   */
  on<E extends OctoEventName>(event: E | readonly E[], handler: OctoHandler<OctoEventMap[E]>): () => void;
  on(event: string | readonly string[], handler: OctoHandler<UnknownEvent>): () => void;
  onBookingUpdate(handler: OctoHandler<OctoEventMap["booking_update"]>): () => void;
  onAvailabilityUpdate(handler: OctoHandler<OctoEventMap["availability_update"]>): () => void;
  onAny(handler: OctoHandler<AnyOctoEvent>): () => void;
  onUnknownEvent(handler: OctoHandler<UnknownEvent>): () => void;
  onError(handler: OctoErrorHandler): () => void;
  /** Removes a handler registered with `on` (or `"*"` for `onAny`, `"unknown"`, `"error"`). */
  removeListener(event: string | readonly string[], handler: (...args: never[]) => unknown): void;
  /**
   * Validates and dispatches an already-received body (text or parsed JSON), without HTTP. Throws
   * `OctoRequestError` for a refused body and `OctoHandlerError` when handlers fail.
   */
  receive(body: unknown, options?: ReceiveOptions): Promise<ReceiveResult>;
  /** The whole HTTP decision: method, auth, content type, size, parsing, validation, dispatch, status. */
  handle(request: OctoRequest, context?: TContext): Promise<OctoResponse>;
  /** The same as `handle`, for Web-standard runtimes (`export default { fetch: webhooks.fetch }`). */
  fetch(request: Request, context?: TContext): Promise<Response>;
}

const ANY = "*";
const UNKNOWN = "unknown";
const ERROR = "error";
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_BODY_TIMEOUT_MS = 30_000;
const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };
const OK: OctoResponse = { status: 200, headers: JSON_HEADERS, body: '{"ok":true}' };

const defaultLogger: Logger = {
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error ?? ""),
};

function configError(message: string): never {
  throw new OctoWebhooksError("CONFIG_INVALID", message);
}

function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined || value.trim() === "") return true;
  const type = (value.split(";", 1)[0] as string).trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

class DeliveryContext implements HandlerContext {
  #headers: Headers | undefined;
  constructor(
    readonly event: string,
    readonly webhookEvent: string | undefined,
    readonly rawBody: string | undefined,
    private readonly lookup: HeaderLookup | undefined,
  ) {}
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
}

/**
 * Creates a receiver of OCTO webhooks. Register typed handlers, then give it requests through an
 * adapter (`@octo-webhooks/express`, `/fastify`, `/hono`, `/koa`), `handle()` or `fetch()`.
 *
 * @example
 * ```ts
 * import { createOctoWebhooks } from "@octo-webhooks/core";
 *
 * const webhooks = createOctoWebhooks({
 *   auth: { basic: { username: "octo", password: process.env.OCTO_HOOK_PASS! } },
 *   onBookingUpdate: async ({ booking }) => {
 *     if (booking.status === "CANCELLED") await releaseSeats(booking.uuid);
 *   },
 * });
 * export default { fetch: webhooks.fetch };
 * ```
 */
export function createOctoWebhooks<TContext = unknown>(
  options: OctoWebhooksOptions<TContext> = {},
): OctoWebhooks<TContext> {
  if (typeof options !== "object" || options === null) configError("options must be an object");
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0)
    configError("`maxBodyBytes` must be a positive integer");
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  if (!(bodyTimeoutMs > 0)) configError("`bodyTimeoutMs` must be a positive number of milliseconds");
  const validation = options.validation ?? "lenient";
  if (validation !== "lenient" && validation !== "strict")
    configError('`validation` must be "lenient" or "strict"');
  const unknownEvents = options.unknownEvents ?? "accept";
  if (unknownEvents !== "accept" && unknownEvents !== "reject")
    configError('`unknownEvents` must be "accept" or "reject"');
  const realm = (options.realm ?? "octo-webhooks").replace(/["\\]/g, "");
  const logger = options.logger ?? defaultLogger;

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
  addAll(ANY, options.onAny);
  addAll(UNKNOWN, options.onUnknownEvent);
  addAll(ERROR, options.onError);

  const reportError = async (error: OctoWebhooksError, context: HandlerContext | undefined) => {
    for (const hook of handlers.get(ERROR) ?? []) {
      try {
        await (hook as OctoErrorHandler)(error, context);
      } catch (hookError) {
        logger.error?.(`${PACKAGE_PREFIX} an onError handler threw`, hookError);
      }
    }
  };

  const validate = (event: string, body: Record<string, unknown>) => {
    const schema =
      event === "booking_update" || event === "availability_update"
        ? validation === "strict"
          ? event === "booking_update"
            ? strictSchemas.BookingUpdate
            : strictSchemas.AvailabilityUpdate
          : dispatchSchemas[event]
        : dispatchSchemas.unknown;
    const result = schema.safeParse(body);
    if (!result.success) {
      const issues = formatIssues(result.error.issues);
      throw new OctoRequestError(
        "INVALID_BODY",
        `the ${event} body is invalid at ${issues.map((i) => i.path).join(", ")}` +
          (validation === "strict" ? ' (validation: "strict")' : ""),
        { issues },
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

  /** Parses, validates and dispatches; throws `OctoRequestError` or `OctoHandlerError`. */
  const process = async (
    input: { text: string } | { parsed: unknown },
    lookup: HeaderLookup | undefined,
  ): Promise<ReceiveResult> => {
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

    const context = new DeliveryContext(event, webhookEvent, rawBody, lookup);
    const selected = [
      ...(handlers.get(event) ?? []),
      ...(known ? [] : (handlers.get(UNKNOWN) ?? [])),
      ...(handlers.get(ANY) ?? []),
    ];
    if (selected.length === 0) {
      logger.debug?.(`${PACKAGE_PREFIX} no handler for ${event}; answered 200`);
      return { event, handlers: 0 };
    }
    const payload = toPayload(event, record);
    const results = await Promise.allSettled(
      selected.map(async (handler) => (handler as OctoHandler<AnyOctoEvent>)(payload, context)),
    );
    const errors = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    if (errors.length > 0) {
      const error = new OctoHandlerError(event, errors);
      if (errors.every((e) => e instanceof NonRetryableError)) logger.warn?.(error.message);
      else logger.error?.(error.message, errors.length === 1 ? errors[0] : errors);
      await reportError(error, context);
      throw error;
    }
    return { event, handlers: selected.length };
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
      await authenticate(header, method, context);
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
      const input = await readBody(request.body, maxBodyBytes, bodyTimeoutMs);
      await process(input, request.headers);
      return OK;
    } catch (error) {
      if (error instanceof OctoRequestError) {
        logger.debug?.(`${PACKAGE_PREFIX} refused a delivery: ${error.message}`);
        await reportError(error, undefined);
      } else if (!(error instanceof OctoHandlerError)) {
        logger.error?.(`${PACKAGE_PREFIX} unexpected failure`, error);
      }
      return errorResponse(error);
    }
  };

  const webhooks: OctoWebhooks<TContext> = {
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
      return process(input, receiveOptions?.headers);
    },
    handle,
    fetch: async (request, context) => {
      const response = await handle(
        { method: request.method, headers: request.headers, body: request.body },
        context,
      );
      return new Response(response.body, { status: response.status, headers: response.headers });
    },
  };
  return webhooks;
}
