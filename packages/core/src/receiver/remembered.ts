// What the stale guard remembers it applied, listed back from its store for reconciliation.
import { inStore, MAX_KEY_ID_LENGTH } from "../admission/create-admission.ts";
import type { DeliveryStore } from "../admission/delivery-store.ts";
import { configError } from "../errors/errors.ts";
import type { ReceiverSettings } from "./settings.ts";
import type { RememberedResource } from "./types.ts";

const PAGE = 500;

/**
 * The resources of one kind the stale guard's store holds (of `supplier`, or the receiver's own), a
 * page at a time. A long id kept only as a hash in its key is given from the state's `id`.
 */
export function remembered(
  settings: ReceiverSettings<never>,
  resource: "booking" | "order" | "product",
  supplier: string | undefined,
): AsyncIterable<RememberedResource> {
  const store = settings.staleGuard?.store;
  if (store?.listStates === undefined) {
    configError(
      "remembered() needs `staleGuard` with a store that lists what it keeps (createMemoryStore(), the Redis or Postgres store)",
    );
  }
  return rememberedIn(store, resource, supplier);
}

/**
 * What a stale guard's `store` remembers it applied, of one kind (of `supplier`, or without suppliers):
 * each resource's id, `updatedAt` and status, read from `listStates` a page at a time. For a process that
 * reads the store of receivers elsewhere (a queue's workers): `receiver.remembered()` is this over its own.
 *
 * @example
 * ```ts
 * for await (const { id } of rememberedIn(createRedisStore({ connection }), "booking", "peek")) ids.push(id);
 * ```
 */
export async function* rememberedIn(
  store: Pick<DeliveryStore, "listStates">,
  resource: "booking" | "order" | "product",
  supplier: string | undefined,
): AsyncIterable<RememberedResource> {
  if (typeof store.listStates !== "function") {
    configError("rememberedIn(): the store does not list what it keeps (`listStates`)");
  }
  if (resource !== "booking" && resource !== "order" && resource !== "product") {
    configError('remembered(): the resource is "booking", "order" or "product"');
  }
  for (const [prefix, hashed] of [
    [inStore(`${resource}:`, supplier), false],
    [inStore(`${resource}-hash:`, supplier), true],
  ] as const) {
    let cursor: string | undefined;
    do {
      const page = await store.listStates(prefix, cursor, PAGE);
      for (const [key, state] of page.states) {
        // a hashed key holds no id: only the state can give it
        const id =
          state.id ??
          (hashed || key.length - prefix.length > MAX_KEY_ID_LENGTH ? undefined : key.slice(prefix.length));
        if (id === undefined || id === "" || !(Number(state.instant) > 0)) continue;
        yield { id, updatedAt: new Date(Number(state.instant)).toISOString(), status: state.status };
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
  }
}
