import type { DeliveryStore, ResourceState, StatePage } from "@octo-webhooks/core";
import { configError, PREFIX } from "./errors.ts";
import type { StoreCall } from "./octo-store-object.ts";
import type { DurableObjectNamespaceLike } from "./workers-types.ts";

/** Options of {@link durableObjectStore}. */
export interface DurableObjectStoreOptions {
  /**
   * The name of the store's Durable Object (default `"octo-webhooks"`): every Worker that gives the same
   * namespace and name shares one store. One object takes on the order of a thousand calls a second
   * (a delivery makes two to four): name a store per supplier beyond that.
   */
  name?: string;
}

/**
 * Core's `DeliveryStore` in a Durable Object ({@link OctoStoreObject}), shared by every isolate and
 * every Worker bound to it: what `dedupe` and `staleGuard` need to hold across a consumer's isolates.
 * Each call is one request to the object, which runs them one at a time, so claims and state records
 * are atomic. A call that fails rejects (core then answers 503, or the consumer retries the message).
 *
 * @example
 * ```ts
 * import { durableObjectStore, octoQueueConsumer, type DurableObjectNamespaceLike } from "@octo-webhooks/cloudflare";
 *
 * const consumer = octoQueueConsumer((env: { OCTO_STORE: DurableObjectNamespaceLike }) => ({
 *   store: durableObjectStore(env.OCTO_STORE),
 *   staleGuard: true,
 *   onBookingUpdate: ({ booking }) => console.log(booking.uuid),
 * }));
 * ```
 */
export function durableObjectStore(
  namespace: DurableObjectNamespaceLike,
  options: DurableObjectStoreOptions = {},
): DeliveryStore {
  if (typeof namespace?.idFromName !== "function" || typeof namespace.get !== "function") {
    configError("durableObjectStore() takes a Durable Object namespace binding (env.OCTO_STORE)");
  }
  const name = options.name ?? "octo-webhooks";
  if (typeof name !== "string" || name === "") configError("`name` must be a non-empty string");
  const id = namespace.idFromName(name);

  const call = async <T>(body: StoreCall): Promise<T | undefined> => {
    // a stub per call: one that saw an error may stay broken
    const response = await namespace.get(id as never).fetch(`https://octo-store/${body.op}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`${PREFIX} the store's Durable Object answered ${response.status} to ${body.op}`);
    }
    const { result } = (await response.json()) as { result: T | null };
    return result ?? undefined;
  };
  const optional = (token: string | undefined) => (token === undefined ? {} : { token });

  return {
    claim: async (key, leaseMs, token) =>
      (await call<"claimed" | "processing" | "done">({ op: "claim", key, leaseMs, ...optional(token) })) ??
      "processing",
    complete: async (key, ttlMs, token) => {
      await call({ op: "complete", key, ttlMs, ...optional(token) });
    },
    release: async (key, token) => {
      await call({ op: "release", key, ...optional(token) });
    },
    recordNewest: (key, instant, ttlMs) => call<number>({ op: "recordNewest", key, instant, ttlMs }),
    recordState: (key, state, ttlMs) => call<ResourceState>({ op: "recordState", key, state, ttlMs }),
    restoreState: async (key, ours, previous, ttlMs) => {
      await call({ op: "restoreState", key, ours, ...(previous === undefined ? {} : { previous }), ttlMs });
    },
    listStates: async (prefix, cursor, limit) =>
      (await call<StatePage>({
        op: "listStates",
        prefix,
        ...(cursor === undefined ? {} : { cursor }),
        limit,
      })) ?? {
        states: [],
        cursor: undefined,
      },
  };
}
