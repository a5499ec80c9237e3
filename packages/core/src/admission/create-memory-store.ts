import { OctoWebhooksError } from "../errors/errors.ts";
import type { ClaimResult, DeliveryStore, ResourceState } from "./delivery-store.ts";

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Most keys kept per kind (claims, bookings); the least recently used go first (default 10 000). */
  maxEntries?: number;
  /** The clock, in epoch ms (default `Date.now`); tests pass their own. */
  now?: () => number;
}

const DONE = Symbol("done");

/** Whether `state` is a claim in progress of a token other than `token` (tokenless callers own every claim). */
const ownedByAnother = (state: string | typeof DONE | undefined, token: string | undefined) =>
  typeof state === "string" && state !== "" && token !== undefined && token !== "" && state !== token;

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
  /** Replaces a live entry's value, keeping its expiry and its place. */
  update(key: string, value: T): void {
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.expiresAt > this.now()) entry.value = value;
  }
  /** A live entry's value, without making it the most recently used. */
  peek(key: string): T | undefined {
    const entry = this.#entries.get(key);
    return entry !== undefined && entry.expiresAt > this.now() ? entry.value : undefined;
  }
  /** The keys that start with `prefix`, in key order, after `after` when given. */
  keysFrom(prefix: string, after: string | undefined): string[] {
    const keys = [...this.#entries.keys()].filter(
      (key) => key.startsWith(prefix) && (after === undefined || key > after),
    );
    return keys.sort();
  }
  get size(): number {
    return this.#entries.size;
  }
}

/**
 * The default {@link DeliveryStore}: in memory, for one process. Bounded (LRU, `maxEntries` per kind)
 * and with TTLs, checked on use: it starts no timer, so it never keeps a process alive. Claims keep
 * their token: a late `complete`/`release` of an expired claim leaves the next run's claim alone. Forgetting a
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
  // a claim in progress is its token ("" from a caller without tokens); a completed one is `DONE`
  const claims = new LruTtlMap<string | typeof DONE>(maxEntries, now);
  const newest = new LruTtlMap<ResourceState>(maxEntries, now);
  return {
    claim(key, leaseMs, token = ""): ClaimResult {
      const state = claims.get(key);
      if (state !== undefined) return state === DONE ? "done" : "processing";
      claims.set(key, token, leaseMs);
      return "claimed";
    },
    complete(key, ttlMs, token) {
      if (ownedByAnother(claims.get(key), token)) return;
      claims.set(key, DONE, ttlMs);
    },
    release(key, token) {
      const state = claims.get(key);
      if (state !== undefined && state !== DONE && !ownedByAnother(state, token)) claims.delete(key);
    },
    recordNewest(key, instant, ttlMs) {
      const previous = newest.get(key);
      // only a newer instant is stored, and only then does its TTL start again
      if (previous === undefined || instant > previous.instant) newest.set(key, { instant }, ttlMs);
      return previous?.instant;
    },
    recordState(key, state, ttlMs) {
      const previous = newest.get(key);
      if (previous === undefined || state.instant > previous.instant) newest.set(key, { ...state }, ttlMs);
      // the same instant with other content: the content is kept, the TTL is not renewed
      else if (state.instant === previous.instant && state.hash !== previous.hash)
        newest.update(key, { ...state });
      return previous;
    },
    restoreState(key, ours, previous, ttlMs) {
      const kept = newest.get(key);
      if (kept === undefined || kept.instant !== ours.instant || kept.hash !== ours.hash) return;
      if (previous === undefined) newest.delete(key);
      else newest.set(key, { ...previous }, ttlMs);
    },
    listStates(prefix, cursor, limit) {
      const keys = newest.keysFrom(prefix, cursor);
      const states: Array<[string, ResourceState]> = [];
      for (const key of keys) {
        if (states.length === limit) return { states, cursor: states[states.length - 1]?.[0] };
        const state = newest.peek(key);
        if (state !== undefined) states.push([key, { ...state }]);
      }
      return { states, cursor: undefined };
    },
    /** How many keys it holds now (claims and bookings). */
    get size() {
      return claims.size + newest.size;
    },
  };
}
