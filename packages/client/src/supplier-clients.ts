// A client per supplier of the suppliers config, as `syncSuppliers` makes them: for `hydrators()` of a
// receiver with many suppliers, and for anything else done at every supplier.
import { checkSuppliersConfig } from "./check-suppliers-config.ts";
import { clientOfEntry } from "./client-of-entry.ts";
import type { OctoClient, OctoClientOptions } from "./create-octo-client.ts";
import { defaultEnv } from "./default-env.ts";
import type { EnvSource, SupplierEntry, SuppliersConfig } from "./suppliers-config.ts";

/**
 * A client for every supplier of the config, by id, each with its API key read from the env: give them
 * to `hydrators()` so that a receiver with many suppliers fetches each notification from the supplier
 * that sent it. A missing env var throws, naming it (never a value).
 *
 * @example
 * ```ts
 * import { hydrators, receiverSuppliers, supplierClients } from "@octo-webhooks/client";
 * import config from "./octo-webhooks.config.ts";
 *
 * const webhooks = createOctoWebhooks({
 *   suppliers: receiverSuppliers(config),
 *   hydrate: hydrators(supplierClients(config, { client: { retries: 1 } })),
 * });
 * ```
 */
export function supplierClients(
  config: SuppliersConfig,
  options: { env?: EnvSource; client?: Partial<Omit<OctoClientOptions, "baseUrl" | "apiKey">> } = {},
): Record<string, OctoClient> {
  const env = options.env ?? defaultEnv();
  return Object.fromEntries(
    checkSuppliersConfig(config).map((id) => [
      id,
      clientOfEntry(id, config.suppliers[id] as SupplierEntry, env, options.client),
    ]),
  );
}
