import { type AdapterOptions, adapterWebhooksWith } from "./adapter-options.ts";
import { createReceiver, type OctoWebhooks, type OctoWebhooksOptions } from "./create-receiver.ts";

/**
 * `createOctoWebhooks` of the edge build (the `workerd`, `worker` and `edge-light` export conditions):
 * the same receiver without zod, so that a Worker ships small. `validation: "strict"` throws here with
 * what to do instead (`import { strictValidation } from "@octo-webhooks/core/schemas"`).
 *
 * @example
 * ```ts
 * import { createOctoWebhooks } from "@octo-webhooks/core";
 * export default { fetch: createOctoWebhooks({ onBookingUpdate: ({ booking }) => console.log(booking.uuid) }).fetch };
 * ```
 */
export function createOctoWebhooks<TContext = unknown>(
  options: OctoWebhooksOptions<TContext> = {},
): OctoWebhooks<TContext> {
  return createReceiver(options, undefined);
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
