// A client per supplier of the suppliers config, as `syncSuppliers` and `supplierStatus` make them: for
// `hydrators()` of a receiver with many suppliers, and for anything else done at every supplier.
import { createOctoClient, type OctoClient, type OctoClientOptions } from "../create-octo-client.ts";
import {
  checkSuppliersConfig,
  defaultEnv,
  type EnvSource,
  fromEnv,
  type SupplierEntry,
  type SuppliersConfig,
} from "./suppliers-config.ts";

/** One supplier's client: its `baseUrl`, the API key from its `apiKeyEnv`, its capabilities and env. */
export function clientOfEntry(
  id: string,
  entry: SupplierEntry,
  env: EnvSource,
  options: Partial<Omit<OctoClientOptions, "baseUrl" | "apiKey">> = {},
): OctoClient {
  return createOctoClient({
    ...options,
    baseUrl: entry.baseUrl,
    apiKey: fromEnv(env, entry.apiKeyEnv, id),
    ...(entry.capabilities ? { capabilities: entry.capabilities } : {}),
    ...(entry.env ? { env: entry.env } : {}),
    ...(entry.notificationsCapability ? { notificationsCapability: entry.notificationsCapability } : {}),
  });
}

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
