import { type AdapterOptions, adapterWebhooksWith } from "./adapter-options.ts";
import { createReceiver, type OctoWebhooks, type OctoWebhooksOptions } from "./create-receiver.ts";
import { strictValidation } from "./strict-validation.ts";

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
 *   onBookingCancelled: async ({ booking }) => releaseSeats(booking.uuid),
 * });
 * export default { fetch: webhooks.fetch };
 * ```
 */
export function createOctoWebhooks<TContext = unknown>(
  options: OctoWebhooksOptions<TContext> = {},
): OctoWebhooks<TContext> {
  return createReceiver(options, strictValidation);
}

/**
 * Turns an adapter's options into the receiver it uses and the path it answers (for adapters; users
 * call the adapter). With `webhooks`, only handler options may be given beside it, and they are
 * registered on it: the other options configure a receiver when it is created, so they would be ignored.
 *
 * @example
 * ```ts
 * const { webhooks, path } = adapterWebhooks(options, "@octo-webhooks/express");
 * ```
 */
export function adapterWebhooks<TContext>(
  options: AdapterOptions<TContext> | undefined,
  adapter: string,
): { webhooks: OctoWebhooks<TContext>; path: string | undefined } {
  return adapterWebhooksWith(createOctoWebhooks, options, adapter);
}
