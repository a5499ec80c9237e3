// The reconciler's `suppliers` from the suppliers config: each supplier's client and what its watchdog
// keeps, the registrations `syncSuppliers` makes (the next password or header value of a rotation counts
// as right).
import type { OctoClientOptions } from "../create-octo-client.ts";
import type { ReconciledSupplier } from "../reconcile/types.ts";
import { clientOfEntry } from "./supplier-clients.ts";
import {
  checkSuppliersConfig,
  defaultEnv,
  type EnvSource,
  hookCredentials,
  type SupplierEntry,
  type SuppliersConfig,
} from "./suppliers-config.ts";
import { desiredRegistrations } from "./sync-suppliers.ts";

/**
 * For `createReconciler({ suppliers })`: every supplier of the config, by id, with its client and, as
 * `watch`, the webhooks and notification subscription `syncSuppliers` registers there, so that the
 * watchdog creates again the ones the supplier deleted. A missing env var throws, naming it.
 *
 * @example
 * ```ts
 * import { createReconciler, reconcilerSuppliers } from "@octo-webhooks/client";
 * import config from "./octo-webhooks.config.ts";
 *
 * const reconciler = createReconciler({ receiver: webhooks, suppliers: reconcilerSuppliers(config), silentAfterMs: 6 * 3600_000 });
 * ```
 */
export function reconcilerSuppliers(
  config: SuppliersConfig,
  options: { env?: EnvSource; client?: Partial<Omit<OctoClientOptions, "baseUrl" | "apiKey">> } = {},
): Record<string, ReconciledSupplier> {
  const env = options.env ?? defaultEnv();
  return Object.fromEntries(
    checkSuppliersConfig(config).map((id) => {
      const entry = config.suppliers[id] as SupplierEntry;
      const hook = hookCredentials(entry, env, id);
      const desired = desiredRegistrations(config, id, hook, false);
      const supplier: ReconciledSupplier = {
        client: clientOfEntry(id, entry, env, options.client),
        watch: {
          webhooks: desired.webhooks,
          ...(desired.notifications === undefined ? {} : { notifications: desired.notifications }),
          alsoAccepted: hook.kind === "basic" ? hook.passwords.slice(1) : hook.values.slice(1),
        },
      };
      return [id, supplier];
    }),
  );
}
