// Several mock suppliers at once, each with its own API key and seed: a reseller's setup on one machine.

import type { MockSupplier, MockSupplierOptions } from "./mock-supplier.ts";
import { startMockSupplier } from "./start-mock-supplier.ts";

/** Options of {@link startMockSuppliers}: how many, and the options every one of them gets. */
export interface MockSuppliersOptions extends Omit<MockSupplierOptions, "apiKey" | "port" | "seed"> {
  /** How many suppliers to start (default 3). */
  count?: number;
  /** The first one's port; the others take the next ones (default 0: free ports). */
  port?: number;
  /** Their ids (default `mock-1`, `mock-2`...); the API key of each is `<id>-api-key`. */
  ids?: readonly string[];
  /** Options of one supplier by id, over the shared ones (callbacks that name it...). */
  each?: (id: string) => Omit<MockSupplierOptions, "apiKey" | "port">;
}

/** Running mock suppliers, from {@link startMockSuppliers}. */
export interface MockSuppliers {
  /** Each supplier, with the id it was started as. */
  readonly suppliers: ReadonlyArray<MockSupplier & { readonly id: string }>;
  /** One supplier by id. */
  get(id: string): MockSupplier & { readonly id: string };
  /** Stops every one of them. */
  close(): Promise<void>;
}

/**
 * Starts several mock suppliers, each with its own API key (`<id>-api-key`), so that a receiver with
 * many suppliers and `octo-webhooks sync` can be run and tested on one machine.
 *
 * @example
 * ```ts
 * import { startMockSuppliers } from "@octo-webhooks/testing";
 *
 * const mocks = await startMockSuppliers({ count: 3 });
 * for (const s of mocks.suppliers) console.log(s.id, s.url, s.apiKey);
 * await mocks.close();
 * ```
 */
export async function startMockSuppliers(options: MockSuppliersOptions = {}): Promise<MockSuppliers> {
  const { count: given, port = 0, ids: givenIds, each, ...rest } = options;
  const count = givenIds?.length ?? given ?? 3;
  if (!Number.isInteger(count) || count < 1 || count > 100) {
    throw new Error("[@octo-webhooks/testing] `count` must be an integer from 1 to 100");
  }
  const ids = givenIds ?? Array.from({ length: count }, (_, i) => `mock-${i + 1}`);
  const started: Array<MockSupplier & { readonly id: string }> = [];
  try {
    for (const [i, id] of ids.entries()) {
      const supplier = await startMockSupplier({
        seed: id,
        ...rest,
        ...each?.(id),
        port: port === 0 ? 0 : port + i,
        apiKey: `${id}-api-key`,
      });
      started.push(Object.assign(supplier, { id }));
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.close()));
    throw error;
  }
  return {
    suppliers: started,
    get(id) {
      const found = started.find((s) => s.id === id);
      if (found === undefined) throw new Error(`[@octo-webhooks/testing] no mock supplier ${id}`);
      return found;
    },
    close: async () => {
      await Promise.all(started.map((s) => s.close()));
    },
  };
}
