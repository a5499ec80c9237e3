import { configError } from "../errors.ts";
import {
  checkSuppliersConfig,
  defaultEnv,
  type EnvSource,
  type SupplierEntry,
  type SuppliersConfig,
} from "./suppliers-config.ts";

/** What `work` gave at one supplier, or why it failed there. */
export type SupplierOutcome<T> =
  | { supplier: string; ok: true; value: T }
  | { supplier: string; ok: false; error: string };

function selected(config: SuppliersConfig, only: readonly string[] | undefined): string[] {
  const ids = checkSuppliersConfig(config);
  if (only === undefined || only.length === 0) return ids;
  const unknown = only.filter((id) => !ids.includes(id));
  if (unknown.length > 0)
    configError(`no supplier ${unknown.join(", ")} in the config (it has ${ids.join(", ")})`);
  return ids.filter((id) => only.includes(id));
}

const messageOf = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(/^\[@octo-webhooks\/[a-z-]+\] /, "");

/**
 * Runs `work` for every supplier of the config (or the `only` ones) at once, with the env it reads
 * (`env`, default `process.env`); a failure is that supplier's outcome only.
 */
export async function eachSupplier<T>(
  config: SuppliersConfig,
  options: { only?: readonly string[]; env?: EnvSource },
  work: (id: string, entry: SupplierEntry, env: EnvSource) => Promise<T>,
): Promise<Array<SupplierOutcome<T>>> {
  const env = options.env ?? defaultEnv();
  const ids = selected(config, options.only);
  return Promise.all(
    ids.map(async (supplier) => {
      try {
        return {
          supplier,
          ok: true as const,
          value: await work(supplier, config.suppliers[supplier] as SupplierEntry, env),
        };
      } catch (error) {
        return { supplier, ok: false as const, error: messageOf(error) };
      }
    }),
  );
}
