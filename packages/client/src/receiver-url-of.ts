import type { SuppliersConfig } from "./suppliers-config.ts";

/** The receiver URL of one supplier (its id in place of `:supplier`). */
export function receiverUrlOf(config: SuppliersConfig, id: string): string {
  return config.receiverUrl.replace(":supplier", encodeURIComponent(id));
}
