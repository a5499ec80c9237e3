import { createOctoClient, type OctoClient, type OctoClientOptions } from "./create-octo-client.ts";
import { fromEnv } from "./from-env.ts";
import type { EnvSource, SupplierEntry } from "./suppliers-config.ts";

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
