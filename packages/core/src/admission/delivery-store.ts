import type { AnyOctoEvent, HandlerContext } from "../events/types.ts";

/**
 * The delivery a claim is for, as its handlers would get it. A store that hands deliveries off (a queue)
 * can use it to enqueue the delivery in the same atomic step as the claim, and answer `"claimed"` once
 * it is enqueued; its `complete` and `release` then have nothing left to do.
 */
export interface ClaimedDelivery {
  readonly payload: AnyOctoEvent;
  readonly context: HandlerContext;
}

/**
 * What {@link DeliveryStore.claim} found: `"claimed"` (the caller now processes the delivery),
 * `"processing"` (another request is processing it right now) or `"done"` (it was processed).
 */
export type ClaimResult = "claimed" | "processing" | "done";

/**
 * Where duplicate suppression and the stale-update guard keep their state. Every method may answer
 * synchronously or with a promise, so a shared store (Redis...) can back several instances; each
 * method must be atomic on its own (`SET NX PX`, a Lua script...). The default is
 * `createMemoryStore()`: one process, bounded, no timers.
 *
 * Each claim carries a `token`, unique to it: a store keeps it with the claim and completes or releases
 * a key only while it holds that token (or nothing), so that a run which outlived its lease cannot end
 * the claim of the run after it. A store written before tokens (it ignores the third argument) keeps
 * working, without that protection. Keys are at most 200 characters: core hashes longer identifiers.
 *
 * @example
 * ```ts
 * // the shape of a Redis implementation (node-redis 4); recordNewest is a small Lua script
 * const store: DeliveryStore = {
 *   async claim(key, leaseMs) {
 *     if (await redis.set(`octo:${key}`, "processing", { NX: true, PX: leaseMs })) return "claimed";
 *     return (await redis.get(`octo:${key}`)) === "done" ? "done" : "processing";
 *   },
 *   complete: async (key, ttlMs) => void (await redis.set(`octo:${key}`, "done", { PX: ttlMs })),
 *   release: async (key) => void (await redis.del(`octo:${key}`)),
 *   recordNewest: async (key, instant, ttlMs) => toNumber(await redis.eval(SET_IF_GREATER, { keys: [key], arguments: [`${instant}`, `${ttlMs}`] })),
 * };
 * ```
 */
export interface DeliveryStore {
  /**
   * Claims `key` unless it is already claimed or done. A claim lasts `leaseMs` at most (so a crashed
   * process cannot block the sender's retries forever), until {@link complete} or {@link release}.
   * `token` (core always gives one) identifies this claim; `delivery` (core always gives it too) is
   * what the claim is for (see {@link ClaimedDelivery}).
   */
  claim(
    key: string,
    leaseMs: number,
    token?: string,
    delivery?: ClaimedDelivery,
  ): ClaimResult | Promise<ClaimResult>;
  /**
   * Marks a claimed `key` as processed; later claims within `ttlMs` get `"done"`. Does nothing while
   * `key` is claimed with another `token` (a newer run, after this one's lease ended).
   */
  complete(key: string, ttlMs: number, token?: string): void | Promise<void>;
  /**
   * Forgets the claim of `token` (its handlers failed), so that the sender's retry is processed; a
   * completion or another token's claim stays.
   */
  release(key: string, token?: string): void | Promise<void>;
  /**
   * Keeps the largest `instant` seen for `key` and returns the largest one seen before this call, or
   * `undefined` when none is known. The TTL (`ttlMs`) starts when an instant is stored, and is not
   * renewed by an older or equal one (otherwise a steady flow of stale updates keeps a bad instant).
   */
  recordNewest(key: string, instant: number, ttlMs: number): number | undefined | Promise<number | undefined>;
  /**
   * Optional (the memory, Redis and Postgres stores have it): {@link recordNewest} keeping what the stale
   * guard knows of the resource it applied. Stores `state` when its instant is newer than the one kept,
   * or equal (one instant may carry new content), and returns the state kept before the call. With it,
   * a body identical to the last applied (same instant, same hash) reaches no handler (`"unchanged"`),
   * and a body without `diff` gets its lifecycle event from the last applied status. Without it, core
   * uses `recordNewest`.
   */
  recordState?(
    key: string,
    state: ResourceState,
    ttlMs: number,
  ): ResourceState | undefined | Promise<ResourceState | undefined>;
  /**
   * Optional, with `recordState`: puts back `previous` (or forgets the key when `undefined`) if the state
   * kept is still `ours`, the state of a delivery whose handlers failed, so that its retry runs.
   */
  restoreState?(
    key: string,
    ours: ResourceState,
    previous: ResourceState | undefined,
    ttlMs: number,
  ): void | Promise<void>;
  /**
   * Optional: the states kept under keys that start with `prefix` (`"booking:"`,
   * `"supplier/peek/booking:"`), a page at a time from `cursor` (`undefined` for the first), for
   * reconciliation to know what the receiver has applied. `cursor` is `undefined` after the last page.
   */
  listStates?(prefix: string, cursor: string | undefined, limit: number): StatePage | Promise<StatePage>;
}

/**
 * What the stale guard keeps of a resource it applied (a booking, an order, a product): its
 * `utcUpdatedAt`, a hash of its content, its status and its id.
 */
export interface ResourceState {
  /** `utcUpdatedAt` in epoch milliseconds. */
  instant: number;
  /** A hash of the resource's content (its `deliveryKey()`), absent for a store that keeps none. */
  hash?: string | undefined;
  /** Its `status` (`"CONFIRMED"`...), when it has one. */
  status?: string | undefined;
  /** Its id as the body gave it (a long id is hashed in the key). */
  id?: string | undefined;
}

/** A page of {@link DeliveryStore.listStates}: `[key, state]` pairs, and the cursor of the next page. */
export interface StatePage {
  states: Array<[key: string, state: ResourceState]>;
  cursor: string | undefined;
}
