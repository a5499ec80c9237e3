import { formatIssues } from "./format-issues.ts";
import { strictSchemas } from "./schemas/index.ts";
import { lenientValidation, type OctoValidator } from "./validation.ts";

/**
 * Strict validation: the official OCTO shape (required fields, closed enums, ISO 8601 UTC timestamps),
 * with zod. Events without an official shape (`order_update`...) are checked leniently. This is what
 * `validation: "strict"` uses; on edge runtimes (the `workerd`/`worker`/`edge-light` build, which leaves
 * zod out to stay small) pass it yourself.
 *
 * @example
 * ```ts
 * import { strictValidation } from "@octo-webhooks/core/schemas";
 * const webhooks = createOctoWebhooks({ validation: strictValidation });
 * ```
 */
export const strictValidation: OctoValidator = (event, body) => {
  const schema =
    event === "booking_update"
      ? strictSchemas.BookingUpdate
      : event === "availability_update"
        ? strictSchemas.AvailabilityUpdate
        : undefined;
  if (schema === undefined) return lenientValidation(event, body);
  const result = schema.safeParse(body);
  return result.success ? [] : formatIssues(result.error.issues);
};
