import { checkSuppliersConfig } from "./check-suppliers-config.ts";
import { defaultEnv } from "./default-env.ts";
import { fromEnv } from "./from-env.ts";
import type { EnvSource, SupplierEntry, SuppliersConfig } from "./suppliers-config.ts";

/**
 * The receiver's `suppliers` option from the same config: each supplier's Basic credentials read from
 * the env, its next password too while a rotation is under way (both accepted).
 *
 * @example
 * ```ts
 * import { createOctoWebhooks } from "@octo-webhooks/core";
 * import { receiverSuppliers } from "@octo-webhooks/client";
 * import config from "./octo-webhooks.config.ts";
 *
 * const webhooks = createOctoWebhooks({ suppliers: receiverSuppliers(config) });
 * ```
 */
export function receiverSuppliers(
  config: SuppliersConfig,
  env: EnvSource = defaultEnv(),
): Record<string, { auth: { basic: { username: string; password: string }[] } }> {
  const suppliers: Record<string, { auth: { basic: { username: string; password: string }[] } }> = {};
  for (const id of checkSuppliersConfig(config)) {
    const { hook } = config.suppliers[id] as SupplierEntry;
    const username = fromEnv(env, hook.usernameEnv, id);
    const basic = [{ username, password: fromEnv(env, hook.passwordEnv, id) }];
    const next = hook.nextPasswordEnv === undefined ? undefined : env[hook.nextPasswordEnv];
    if (next) basic.push({ username, password: next });
    suppliers[id] = { auth: { basic } };
  }
  return suppliers;
}
