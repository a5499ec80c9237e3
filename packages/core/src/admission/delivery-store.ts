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
}
