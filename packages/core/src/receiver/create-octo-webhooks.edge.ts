import { createReceiver } from "./create-receiver.ts";
import type { OctoWebhooks, OctoWebhooksOptions } from "./types.ts";

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
