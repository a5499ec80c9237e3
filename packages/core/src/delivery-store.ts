/**
 * What {@link DeliveryStore.claim} found: `"claimed"` (the caller now processes the delivery),
 * `"processing"` (another request is processing it right now) or `"done"` (it was processed).
 */
export type ClaimResult = "claimed" | "processing" | "done";

/**
 * Where duplicate suppression and the stale-update guard keep their state. Every method may answer
 * synchronously or with a promise, so a shared store (Redis...) can back several instances; each
 * method must be atomic on its own (`SET NX PX`, a Lua script...). The default is
 * {@link createMemoryStore}: one process, bounded, no timers.
 *
 * @example
 * ```ts
 * // the shape of a Redis implementation (node-redis v4)
 * const store: DeliveryStore = {
 *   claim: async (key, leaseMs) =>
 *     (await redis.set(`octo:d:${key}`, "processing", { NX: true, PX: leaseMs }))
 *       ? "claimed"
 *       : ((await redis.get(`octo:d:${key}`)) as "processing" | "done" | null) ?? "processing",
 *   complete: async (key, ttlMs) => void (await redis.set(`octo:d:${key}`, "done", { PX: ttlMs })),
 *   release: async (key) => void (await redis.del(`octo:d:${key}`)),
 *   recordNewest: async (key, instant, ttlMs) => Number(await redis.eval(SET_MAX_LUA, { keys: [key], arguments: [`${instant}`, `${ttlMs}`] })) || undefined,
 * };
 * ```
 */
export interface DeliveryStore {
  /**
   * Claims `key` unless it is already claimed or done. A claim lasts `leaseMs` at most (so a crashed
   * process cannot block the sender's retries forever), until {@link complete} or {@link release}.
   */
  claim(key: string, leaseMs: number): ClaimResult | Promise<ClaimResult>;
  /** Marks a claimed `key` as processed; later claims within `ttlMs` get `"done"`. */
  complete(key: string, ttlMs: number): void | Promise<void>;
  /** Forgets a claim (its handlers failed), so that the sender's retry is processed. */
  release(key: string): void | Promise<void>;
  /**
   * Keeps the largest `instant` seen for `key` (for `ttlMs`) and returns the largest one seen before
   * this call, or `undefined` when none is known.
   */
  recordNewest(key: string, instant: number, ttlMs: number): number | undefined | Promise<number | undefined>;
}
