import type { ValidationIssue } from "../errors/errors.ts";

/**
 * Checks a delivery's body for one event; returns what is wrong (an empty list when it is valid).
 * `"lenient"` and `"strict"` are the built-in ones; any function of this shape can be given as
 * `validation` (for example a supplier-specific check).
 */
export type OctoValidator = (event: string, body: Record<string, unknown>) => readonly ValidationIssue[];

/** The mark `strictValidation` carries, so that a 400 can say the strict validator refused it. */
export const STRICT_VALIDATOR = Symbol.for("@octo-webhooks/core.strictValidation");

const MAX_ISSUES = 20;
const NO_ISSUES: readonly ValidationIssue[] = Object.freeze([]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isOptionalString = (value: unknown) =>
  value === undefined || value === null || typeof value === "string";

/**
 * Lenient validation: only the fields dispatch and delivery semantics read (`webhook.event`,
 * `booking.uuid`, `booking.status`, `booking.utcUpdatedAt`, `diff[].op`/`.path`, `availability.id`,
 * `productId`/`optionId`, `order.id`/`.status`/`.utcUpdatedAt`, `order.bookings[].uuid`/`.status`,
 * `product.id`/`.utcUpdatedAt`), so a sender's surprise in a field nobody reads never turns a delivery into a
 * 400 that is retried forever. Written by hand, without zod: it runs on every delivery, and keeping zod
 * out of the default path keeps a Worker bundle small (the shapes it checks are `dispatchSchemas`; a test
 * holds the two equal).
 *
 * @example
 * ```ts
 * lenientValidation("booking_update", { booking: { uuid: 42 } }); // [{ path: "booking.uuid", message: "expected string" }]
 * ```
 */
export const lenientValidation: OctoValidator = (event, body) => {
  // made at the first issue: a valid body (nearly every one) allocates no list
  let issues: ValidationIssue[] | undefined;
  const full = () => issues !== undefined && issues.length >= MAX_ISSUES;
  const expect = (path: string, what: string) => {
    if (full()) return;
    issues ??= [];
    issues.push({ path, message: `expected ${what}` });
  };
  const optionalString = (value: unknown, path: string) => {
    if (!isOptionalString(value)) expect(path, "string");
  };

  const webhook = body.webhook;
  if (webhook !== undefined && webhook !== null) {
    if (isObject(webhook)) optionalString(webhook.event, "webhook.event");
    else expect("webhook", "object");
  }
  const checkDiff = (diff: unknown) => {
    if (diff === undefined || diff === null) return;
    if (!Array.isArray(diff)) return expect("diff", "array");
    for (let i = 0; i < diff.length && !full(); i++) {
      const change: unknown = diff[i];
      if (!isObject(change)) expect(`diff[${i}]`, "object");
      else {
        optionalString(change.op, `diff[${i}].op`);
        optionalString(change.path, `diff[${i}].path`);
      }
    }
  };
  /** The body's `key` object with its string `id`, or `undefined` (after the issue) when it is no object. */
  const resource = (key: string, id: string): Record<string, unknown> | undefined => {
    const value = body[key];
    if (!isObject(value)) return void expect(key, "object");
    if (typeof value[id] !== "string") expect(`${key}.${id}`, "string");
    return value;
  };
  // the paths are literals, not built from the key: a valid body allocates no string
  if (event === "booking_update") {
    const booking = resource("booking", "uuid");
    optionalString(booking?.status, "booking.status");
    optionalString(booking?.utcUpdatedAt, "booking.utcUpdatedAt");
    checkDiff(body.diff);
  } else if (event === "availability_update") {
    const availability = resource("availability", "id");
    optionalString(availability?.productId, "availability.productId");
    optionalString(availability?.optionId, "availability.optionId");
    optionalString(body.productId, "productId");
    optionalString(body.optionId, "optionId");
  } else if (event === "order_update") {
    const order = resource("order", "id");
    optionalString(order?.status, "order.status");
    optionalString(order?.utcUpdatedAt, "order.utcUpdatedAt");
    const bookings = order?.bookings;
    if (bookings !== undefined && bookings !== null) {
      if (!Array.isArray(bookings)) expect("order.bookings", "array");
      for (let i = 0; Array.isArray(bookings) && i < bookings.length && !full(); i++) {
        const booking: unknown = bookings[i];
        const path = `order.bookings[${i}]`;
        if (!isObject(booking)) expect(path, "object");
        else {
          if (typeof booking.uuid !== "string") expect(`${path}.uuid`, "string");
          optionalString(booking.status, `${path}.status`);
        }
      }
    }
    checkDiff(body.diff);
  } else if (event === "product_update") {
    const product = resource("product", "id");
    optionalString(product?.utcUpdatedAt, "product.utcUpdatedAt");
  }
  return issues ?? NO_ISSUES;
};
