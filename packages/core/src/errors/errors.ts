// The error classes users catch and throw, recognised across copies of the package, and `configError`.
import { type OctoErrorCode, PACKAGE_PREFIX, STATUS_BY_CODE, shown } from "./codes.ts";

// Brands, so that an error thrown by one copy of this package (its CommonJS build, an older version
// bundled by a dependency) is recognised by another: `instanceof` alone compares class identities.
const BRANDS = {
  OctoWebhooksError: Symbol.for("@octo-webhooks/core.OctoWebhooksError"),
  OctoRequestError: Symbol.for("@octo-webhooks/core.OctoRequestError"),
  OctoHandlerError: Symbol.for("@octo-webhooks/core.OctoHandlerError"),
  NonRetryableError: Symbol.for("@octo-webhooks/core.NonRetryableError"),
} as const;

const isBranded = (value: unknown, brand: symbol): boolean =>
  typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;

/**
 * Brands a class's instances, and makes `instanceof` of the class true for anything carrying its
 * brand. A user's subclass keeps the ordinary prototype check (`x instanceof MySubclass`).
 */
function brand(target: { readonly prototype: object }, name: keyof typeof BRANDS): void {
  const mark = BRANDS[name];
  Object.defineProperty(target.prototype, mark, { value: true });
  Object.defineProperty(target, Symbol.hasInstance, {
    value(this: unknown, value: unknown): boolean {
      if (this === target) return isBranded(value, mark);
      return Function.prototype[Symbol.hasInstance].call(this, value);
    },
  });
}

/** Whether `error` is a `NonRetryableError` of any copy of this package (see `BRANDS`). */
export function isNonRetryableError(error: unknown): error is NonRetryableError {
  return isBranded(error, BRANDS.NonRetryableError);
}

/** The 4xx a refusal asks for: a `NonRetryableError` of another copy is trusted only with a 4xx. */
export function refusalStatus(error: NonRetryableError): number {
  const status = error.status;
  return Number.isInteger(status) && status >= 400 && status <= 499 ? status : 422;
}

/**
 * Base class of every error this package throws. `code` is stable; `message` starts with the package
 * name and says what to do. Messages never contain credentials or request bodies.
 *
 * @example
 * ```ts
 * try { await webhooks.receive(body); } catch (e) { if (e instanceof OctoWebhooksError) console.log(e.code); }
 * ```
 */
export class OctoWebhooksError extends Error {
  /** What went wrong, stable across versions; `STATUS_BY_CODE[code]` is its HTTP status. */
  readonly code: OctoErrorCode;
  /**
   * The id of the configured supplier (`suppliers` option) whose delivery this is about, once its
   * credentials identified it; `undefined` before that or without `suppliers`.
   */
  supplier: string | undefined;
  /**
   * The supplier the request's path named (`/webhooks/octo/:supplier`) when the delivery was refused
   * before its credentials proved it (a wrong password, an unconfigured supplier): a claim, not an
   * identity, for tracing a refusal to the supplier whose setup drifted.
   */
  claimedSupplier?: string | undefined;
  constructor(code: OctoErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${PACKAGE_PREFIX} ${message}`, options);
    this.name = "OctoWebhooksError";
    this.code = code;
  }
}

/** A path of an invalid field and what is wrong with it (no field values are echoed). */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * A delivery was refused before any handler ran (wrong method, bad credentials, bad body...).
 * `status` is the HTTP status `handle()` answers it with (`STATUS_BY_CODE[code]`); `receive()`
 * throws it as is.
 *
 * @example
 * ```ts
 * webhooks.onError((error) => {
 *   if (error instanceof OctoRequestError) metrics.count(error.code, { status: error.status });
 * });
 * ```
 */
export class OctoRequestError extends OctoWebhooksError {
  /** The HTTP status of this refusal, as `handle()` answers it. */
  readonly status: number;
  /** The paths of an invalid body and what is wrong with each (empty for other refusals). */
  readonly issues: readonly ValidationIssue[];
  constructor(
    code: OctoErrorCode,
    message: string,
    options?: { cause?: unknown; issues?: ValidationIssue[] },
  ) {
    super(code, message, options);
    this.name = "OctoRequestError";
    this.status = STATUS_BY_CODE[code];
    this.issues = options?.issues ?? [];
  }
}

/**
 * One or more handlers of a delivery threw. `errors` holds what they threw, in registration order.
 * The sender gets a 500 (so it retries) unless every error is a {@link NonRetryableError}.
 *
 * @example
 * ```ts
 * webhooks.onError((error) => { if (error instanceof OctoHandlerError) for (const e of error.errors) log(e); });
 * ```
 */
export class OctoHandlerError extends OctoWebhooksError {
  /** What the handlers threw, in registration order. */
  readonly errors: readonly unknown[];
  /** The event whose handlers failed. */
  readonly event: string;
  constructor(event: string, errors: unknown[]) {
    const first = errors[0];
    const detail = first instanceof Error ? first.message : String(first);
    // the whole of what they threw is in `errors`; the message stays short whatever the body held
    super(
      "HANDLER_FAILED",
      `${errors.length} ${shown(event)} handler${errors.length === 1 ? "" : "s"} failed: ${detail.length > 1000 ? `${detail.slice(0, 1000)}...` : detail}`,
      { cause: first },
    );
    this.name = "OctoHandlerError";
    this.errors = errors;
    this.event = event;
  }
}

/**
 * Throw this from a handler to refuse a delivery on purpose with a 4xx, so that the sender stops
 * retrying it (for example a booking for a product you do not sell). Its message is sent to the caller.
 *
 * @example
 * ```ts
 * webhooks.onBookingUpdate(({ booking }) => {
 *   if (!products.has(booking.productId ?? "")) throw new NonRetryableError("unknown product", { status: 422 });
 * });
 * ```
 */
export class NonRetryableError extends Error {
  /** The 4xx the sender gets (422 by default). */
  readonly status: number;
  constructor(message: string, options?: { status?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    const status = options?.status ?? 422;
    if (!Number.isInteger(status) || status < 400 || status > 499) {
      throw new RangeError(`${PACKAGE_PREFIX} NonRetryableError status must be a 4xx, got ${status}`);
    }
    this.name = "NonRetryableError";
    this.status = status;
  }
}

brand(OctoWebhooksError, "OctoWebhooksError");
brand(OctoRequestError, "OctoRequestError");
brand(OctoHandlerError, "OctoHandlerError");
brand(NonRetryableError, "NonRetryableError");

/** Throws the `CONFIG_INVALID` error of a bad option (at construction or registration, never per delivery). */
export function configError(message: string): never {
  throw new OctoWebhooksError("CONFIG_INVALID", message);
}
