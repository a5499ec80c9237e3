import type { ClaimResult, ResourceState, StatePage } from "@octo-webhooks/core";
import type { DurableObjectStateLike, DurableObjectStorageLike } from "./workers-types.ts";

/** A claim as kept: in progress (its token, `""` from a caller without tokens) or done. */
type Claim = { token: string; expiresAt: number } | { done: true; expiresAt: number };
type State = ResourceState & { expiresAt: number };

/** One call of the store, as {@link durableObjectStore} sends it. */
export type StoreCall =
  | { op: "claim"; key: string; leaseMs: number; token?: string }
  | { op: "complete"; key: string; ttlMs: number; token?: string }
  | { op: "release"; key: string; token?: string }
  | { op: "recordNewest"; key: string; instant: number; ttlMs: number }
  | { op: "recordState"; key: string; state: ResourceState; ttlMs: number }
  | { op: "restoreState"; key: string; ours: ResourceState; previous?: ResourceState; ttlMs: number }
  | { op: "listStates"; prefix: string; cursor?: string; limit: number };

const CLAIM = "c:";
const STATE = "s:";
/** Expiry index: `x:<expiresAt, 15 digits>:<storage key>`, so that a sweep reads only what expired. */
const EXPIRY = "x:";
/** How often expired keys are deleted. */
const SWEEP_MS = 60 * 60 * 1000;
/** Expired keys deleted per sweep step. */
const SWEEP_BATCH = 500;

const expiryKey = (expiresAt: number, key: string) =>
  `${EXPIRY}${String(expiresAt).padStart(15, "0")}:${key}`;

const copy = (state: ResourceState): ResourceState => {
  const { instant, hash, status, id } = state;
  return {
    instant,
    ...(hash === undefined ? {} : { hash }),
    ...(status === undefined ? {} : { status }),
    ...(id === undefined ? {} : { id }),
  };
};

/**
 * The Durable Object behind {@link durableObjectStore}: core's `DeliveryStore` (claims for `dedupe`,
 * resource states for `staleGuard`) in the object's transactional storage. A Durable Object runs one
 * call at a time, so each call is atomic; entries expire with their TTL and are deleted by an hourly
 * alarm. Export it from your Worker and bind it (`durable_objects.bindings`, with a
 * `new_sqlite_classes` migration): `export { OctoStoreObject } from "@octo-webhooks/cloudflare"`.
 *
 * @example
 * ```ts
 * // wrangler.jsonc: "durable_objects": { "bindings": [{ "name": "OCTO_STORE", "class_name": "OctoStoreObject" }] },
 * //                 "migrations": [{ "tag": "v1", "new_sqlite_classes": ["OctoStoreObject"] }]
 * export { OctoStoreObject } from "@octo-webhooks/cloudflare";
 * ```
 */
export class OctoStoreObject {
  readonly #storage: DurableObjectStorageLike;
  #sweepScheduled = false;

  constructor(state: DurableObjectStateLike, _env?: unknown) {
    this.#storage = state.storage;
  }

  /** Answers one {@link StoreCall} (POST, JSON) with `{ "result": ... }`. */
  async fetch(request: Request): Promise<Response> {
    let call: StoreCall;
    try {
      call = (await request.json()) as StoreCall;
    } catch {
      return Response.json({ error: "a store call is a JSON body" }, { status: 400 });
    }
    const result = await this.#call(call, Date.now());
    return Response.json({ result: result ?? null });
  }

  /** Deletes the keys whose TTL is over, a batch at a time. */
  async alarm(): Promise<void> {
    const now = Date.now();
    const due = await this.#storage.list({ prefix: EXPIRY, end: expiryKey(now + 1, ""), limit: SWEEP_BATCH });
    const gone: string[] = [];
    for (const indexKey of due.keys()) {
      gone.push(indexKey);
      const key = indexKey.slice(EXPIRY.length + 16);
      const entry = (await this.#storage.get(key)) as { expiresAt?: number } | undefined;
      // an entry given a later expiry since has an index key of its own
      if (entry !== undefined && (entry.expiresAt ?? 0) <= now) gone.push(key);
    }
    if (gone.length > 0) await this.#storage.delete(gone);
    const more =
      due.size === SWEEP_BATCH || (await this.#storage.list({ prefix: EXPIRY, limit: 1 })).size > 0;
    this.#sweepScheduled = more;
    if (more) await this.#storage.setAlarm(due.size === SWEEP_BATCH ? now + 1000 : now + SWEEP_MS);
  }

  /** Runs one call of the store at `now`. */
  async #call(call: StoreCall, now: number): Promise<unknown> {
    switch (call.op) {
      case "claim": {
        const claim = await this.#live<Claim>(CLAIM + call.key, now);
        if (claim !== undefined) return "done" in claim ? "done" : "processing";
        await this.#put(CLAIM + call.key, { token: call.token ?? "", expiresAt: now + call.leaseMs });
        return "claimed" satisfies ClaimResult;
      }
      case "complete": {
        const claim = await this.#live<Claim>(CLAIM + call.key, now);
        if (this.#ownedByAnother(claim, call.token)) return undefined;
        await this.#put(CLAIM + call.key, { done: true, expiresAt: now + call.ttlMs });
        return undefined;
      }
      case "release": {
        const claim = await this.#live<Claim>(CLAIM + call.key, now);
        if (claim !== undefined && !("done" in claim) && !this.#ownedByAnother(claim, call.token)) {
          await this.#storage.delete([CLAIM + call.key]);
        }
        return undefined;
      }
      case "recordNewest": {
        const previous = await this.#live<State>(STATE + call.key, now);
        if (previous === undefined || call.instant > previous.instant) {
          await this.#put(STATE + call.key, { instant: call.instant, expiresAt: now + call.ttlMs });
        }
        return previous?.instant;
      }
      case "recordState": {
        const previous = await this.#live<State>(STATE + call.key, now);
        if (previous === undefined || call.state.instant > previous.instant) {
          await this.#put(STATE + call.key, { ...copy(call.state), expiresAt: now + call.ttlMs });
        } else if (call.state.instant === previous.instant && call.state.hash !== previous.hash) {
          // the same instant with other content: the content is kept, the TTL is not renewed
          await this.#put(STATE + call.key, { ...copy(call.state), expiresAt: previous.expiresAt });
        }
        return previous === undefined ? undefined : copy(previous);
      }
      case "restoreState": {
        const kept = await this.#live<State>(STATE + call.key, now);
        if (kept === undefined || kept.instant !== call.ours.instant || kept.hash !== call.ours.hash) {
          return undefined;
        }
        if (call.previous === undefined) await this.#storage.delete([STATE + call.key]);
        else await this.#put(STATE + call.key, { ...copy(call.previous), expiresAt: now + call.ttlMs });
        return undefined;
      }
      case "listStates": {
        const page = await this.#storage.list({
          prefix: STATE + call.prefix,
          ...(call.cursor === undefined ? {} : { startAfter: STATE + call.cursor }),
          limit: call.limit + 1,
        });
        const states: StatePage["states"] = [];
        let last: string | undefined;
        let read = 0;
        for (const [key, value] of page) {
          if (read === call.limit) break;
          read++;
          last = key.slice(STATE.length);
          const state = value as State;
          if (state.expiresAt > now) states.push([last, copy(state)]);
        }
        return { states, cursor: page.size > call.limit ? last : undefined } satisfies StatePage;
      }
      default:
        throw new Error(`unknown store call ${(call as { op?: unknown }).op}`);
    }
  }

  /** The entry under `key` while its TTL lasts. */
  async #live<T extends { expiresAt: number }>(key: string, now: number): Promise<T | undefined> {
    const entry = (await this.#storage.get(key)) as T | undefined;
    return entry !== undefined && entry.expiresAt > now ? entry : undefined;
  }

  /** Whether `claim` is in progress under a token other than `token` (tokenless callers own every claim). */
  #ownedByAnother(claim: Claim | undefined, token: string | undefined): boolean {
    return (
      claim !== undefined &&
      !("done" in claim) &&
      claim.token !== "" &&
      token !== undefined &&
      token !== "" &&
      claim.token !== token
    );
  }

  /** Writes an entry with its expiry index, and makes sure a sweep is scheduled. */
  async #put(key: string, entry: Claim | State): Promise<void> {
    await this.#storage.put({ [key]: entry, [expiryKey(entry.expiresAt, key)]: 0 });
    if (this.#sweepScheduled) return;
    this.#sweepScheduled = true;
    if ((await this.#storage.getAlarm()) === null) await this.#storage.setAlarm(Date.now() + SWEEP_MS);
  }
}
