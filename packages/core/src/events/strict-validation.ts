import { strictSchemas } from "../schemas/index.ts";
import { formatIssues } from "./format-issues.ts";
import { lenientValidation, type OctoValidator, STRICT_VALIDATOR } from "./lenient-validation.ts";

const STRICT: Record<string, (typeof strictSchemas)[keyof typeof strictSchemas] | undefined> = {
  booking_update: strictSchemas.BookingUpdate,
  availability_update: strictSchemas.AvailabilityUpdate,
  order_update: strictSchemas.OrderUpdate,
  product_update: strictSchemas.ProductUpdate,
};

/**
 * Strict validation: the official OCTO shape (required fields, closed enums, ISO 8601 UTC timestamps),
 * with zod, for the four modelled events. Events this version does not model (`transfer_update`...) are
 * checked leniently. Pass it as `validation` (core's main entry leaves zod out to stay small, so
 * `validation: "strict"` says to do this); a 400 it gives says `(validation: "strict")`.
 *
 * @example
 * ```ts
 * import { strictValidation } from "@octo-webhooks/core/schemas";
 * const webhooks = createOctoWebhooks({ validation: strictValidation });
 * ```
 */
export const strictValidation: OctoValidator = (event, body) => {
  // own keys only: an event named "__proto__" or "constructor" must not find a schema
  const schema = Object.hasOwn(STRICT, event) ? STRICT[event] : undefined;
  if (schema === undefined) return lenientValidation(event, body);
  const result = schema.safeParse(body);
  return result.success ? [] : formatIssues(result.error.issues);
};
Object.defineProperty(strictValidation, STRICT_VALIDATOR, { value: true });
