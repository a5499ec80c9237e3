import type { ClaimResult, DeliveryStore } from "./delivery-store.ts";
import { OctoWebhooksError } from "./errors.ts";

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Most keys kept per kind (claims, bookings); the least recently used go first (default 10 000). */
  maxEntries?: number;
  /** The clock, in epoch ms (default `Date.now`); tests pass their own. */
  now?: () => number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * A map that forgets: entries expire after their TTL (checked when read, so no timer keeps a process
 * alive) and the least recently used go first once `max` is reached (a `Map` keeps insertion order;
 * reading an entry moves it to the end).
 */
class LruTtlMap<T> {
  readonly #entries = new Map<string, Entry<T>>();
  constructor(
    private readonly max: number,
    private readonly now: () => number,
  ) {}
  get(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }
  set(key: string, value: T, ttlMs: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.now() + ttlMs });
    if (this.#entries.size > this.max) {
      // the least recently used; expired entries elsewhere are dropped when next read
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
  }
  delete(key: string): void {
    this.#entries.delete(key);
  }
  get size(): number {
    return this.#entries.size;
  }
}

/**
 * The default {@link DeliveryStore}: in memory, for one process. Bounded (LRU, `maxEntries` per kind)
 * and with TTLs, checked on use: it starts no timer, so it never keeps a process alive. Forgetting a
 * key early can only let a duplicate through, never lose a delivery. Several instances behind a load
 * balancer each have their own: give them a shared store instead.
 *
 * @example
 * ```ts
 * const webhooks = createOctoWebhooks({ dedupe: true, store: createMemoryStore({ maxEntries: 50_000 }) });
 * ```
 */
export function createMemoryStore(
  options: MemoryStoreOptions = {},
): DeliveryStore & { readonly size: number } {
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new OctoWebhooksError(
      "CONFIG_INVALID",
      "createMemoryStore: `maxEntries` must be a positive integer",
    );
  }
  const now = options.now ?? Date.now;
  const claims = new LruTtlMap<"processing" | "done">(maxEntries, now);
  const newest = new LruTtlMap<number>(maxEntries, now);
  return {
    claim(key, leaseMs): ClaimResult {
      const state = claims.get(key);
      if (state !== undefined) return state;
      claims.set(key, "processing", leaseMs);
      return "claimed";
    },
    complete(key, ttlMs) {
      claims.set(key, "done", ttlMs);
    },
    release(key) {
      claims.delete(key);
    },
    recordNewest(key, instant, ttlMs) {
      const previous = newest.get(key);
      newest.set(key, previous === undefined || instant > previous ? instant : previous, ttlMs);
      return previous;
    },
    /** How many keys it holds now (claims and bookings). */
    get size() {
      return claims.size + newest.size;
    },
  };
}
