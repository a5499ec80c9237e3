import { createReceiver } from "./create-receiver.ts";
import type { OctoWebhooks, OctoWebhooksOptions } from "./types.ts";

/**
 * Creates a receiver of OCTO webhooks. Register typed handlers, then give it requests through an
 * adapter (`@octo-webhooks/express`, `/fastify`, `/hono`, `/koa`...), `handle()` or `fetch()`. It carries
 * no zod, on every runtime: the official schemas are at `@octo-webhooks/core/schemas` (pass
 * `validation: strictValidation` from there to validate strictly).
 *
 * @example
 * ```ts
 * import { createOctoWebhooks } from "@octo-webhooks/core";
 *
 * const webhooks = createOctoWebhooks({
 *   auth: { basic: { username: "octo", password: process.env.OCTO_HOOK_PASS! } },
 *   onBookingCancelled: async ({ booking }) => releaseSeats(booking.uuid),
 * });
 * export default { fetch: webhooks.fetch };
 * ```
 */
export function createOctoWebhooks<TContext = unknown>(
  options: OctoWebhooksOptions<TContext> = {},
): OctoWebhooks<TContext> {
  return createReceiver(options);
}
