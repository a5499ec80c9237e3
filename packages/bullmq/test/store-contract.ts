// The behaviour every DeliveryStore must have (core's `dedupe` and `staleGuard` rely on it), run against
// core's memory store and the Redis store alike, with real time and short TTLs.
import { randomBytes } from "node:crypto";
import type { DeliveryStore, ResourceState, StatePage } from "@octo-webhooks/core";
import { describe, expect, it } from "vitest";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A store with the optional methods the stale guard's memory of what it applied needs. */
type StateStore = DeliveryStore &
  Required<Pick<DeliveryStore, "recordState" | "restoreState" | "listStates">>;

function withStates(store: DeliveryStore): StateStore {
  if (!store.recordState || !store.restoreState || !store.listStates) {
    throw new Error("this store has no recordState, restoreState and listStates");
  }
  return store as StateStore;
}

/** Every page of `listStates(prefix)`, `limit` at a time. */
async function allPages(store: StateStore, prefix: string, limit: number) {
  const pages: StatePage[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listStates(prefix, cursor, limit);
    pages.push(page);
    cursor = page.cursor;
  } while (cursor !== undefined && pages.length < 10_000);
  return pages;
}

export function deliveryStoreContract(
  label: string,
  makeStore: () => DeliveryStore,
  suite: (name: string, body: () => void) => void = describe,
) {
  suite(`DeliveryStore contract: ${label}`, () => {
    // a fresh key per test, so that stores shared between tests never see each other's state
    const key = () => `k-${randomBytes(6).toString("hex")}`;

    it("claims once; a second claim sees processing, then done once completed", async () => {
      const store = makeStore();
      const k = key();
      expect(await store.claim(k, 10_000)).toBe("claimed");
      expect(await store.claim(k, 10_000)).toBe("processing");
      await store.complete(k, 10_000);
      expect(await store.claim(k, 10_000)).toBe("done");
    });

    it("a released claim can be claimed again (the retry of a failed delivery)", async () => {
      const store = makeStore();
      const k = key();
      await store.claim(k, 10_000);
      await store.release(k);
      expect(await store.claim(k, 10_000)).toBe("claimed");
    });

    it("a lease ends after leaseMs, a completion after ttlMs", async () => {
      const store = makeStore();
      const k = key();
      // long enough that a busy machine does not expire them between two calls
      await store.claim(k, 300);
      expect(await store.claim(k, 300)).toBe("processing");
      await sleep(400);
      expect(await store.claim(k, 300)).toBe("claimed");
      await store.complete(k, 300);
      expect(await store.claim(k, 300)).toBe("done");
      await sleep(400);
      expect(await store.claim(k, 300)).toBe("claimed");
    });

    it("keys are independent, and claims do not see recordNewest's keys", async () => {
      const store = makeStore();
      const [a, b] = [key(), key()];
      await store.claim(a, 10_000);
      await store.complete(a, 10_000);
      expect(await store.claim(b, 10_000)).toBe("claimed");
      expect(await store.recordNewest(a, 5, 10_000)).toBeUndefined();
      expect(await store.claim(a, 10_000)).toBe("done");
    });

    it("of many simultaneous claims of one key, exactly one wins", async () => {
      const store = makeStore();
      const k = key();
      const results = await Promise.all(Array.from({ length: 25 }, () => store.claim(k, 10_000)));
      expect(results.filter((r) => r === "claimed")).toHaveLength(1);
      expect(results.filter((r) => r === "processing")).toHaveLength(24);
    });

    it("recordNewest keeps the largest instant per key and answers the one before", async () => {
      const store = makeStore();
      const [b1, b2] = [key(), key()];
      const t = Date.UTC(2021, 9, 27, 23, 28, 43);
      expect(await store.recordNewest(b1, t, 10_000)).toBeUndefined();
      expect(await store.recordNewest(b1, t + 2000, 10_000)).toBe(t);
      expect(await store.recordNewest(b1, t + 1000, 10_000)).toBe(t + 2000);
      expect(await store.recordNewest(b1, t + 1500, 10_000)).toBe(t + 2000);
      expect(await store.recordNewest(b2, 5, 10_000)).toBeUndefined();
    });

    it("claims without an owner: complete and release act only for the token that holds the claim", async () => {
      const store = makeStore();
      const k = key();
      expect(await store.claim(k, 150, "run-1")).toBe("claimed");
      await sleep(250); // run-1 outlived its lease: the retry claims the delivery
      expect(await store.claim(k, 10_000, "run-2")).toBe("claimed");
      await store.release(k, "run-1"); // run-1 failed late
      expect(await store.claim(k, 10_000, "run-3")).toBe("processing");
      await store.complete(k, 10_000, "run-1"); // or succeeded late
      expect(await store.claim(k, 10_000, "run-3")).toBe("processing");
      await store.release(k, "run-2");
      expect(await store.claim(k, 10_000, "run-3")).toBe("claimed");
      await store.complete(k, 10_000, "run-3");
      await store.release(k, "run-3"); // a completion stays
      expect(await store.claim(k, 10_000, "run-4")).toBe("done");
    });

    it("one far-future timestamp blinds the stale guard: an older instant does not renew the TTL", async () => {
      const store = makeStore();
      const b = key();
      await store.recordNewest(b, 10, 400);
      await sleep(250);
      expect(await store.recordNewest(b, 5, 400)).toBe(10); // stale: kept, its TTL not renewed
      await sleep(250);
      expect(await store.recordNewest(b, 5, 400)).toBeUndefined();
    });

    describe("the state of what the stale guard applied", () => {
      const t = Date.UTC(2026, 2, 1, 10);
      // content hashes are hex in core; a store must not depend on it
      const confirmed: ResourceState = { instant: t, hash: 'h1 "é"\\', status: "CONFIRMED", id: "b-1" };
      // what the key holds, read with an older instant (which changes nothing once a state is kept)
      const kept = (store: StateStore, k: string) =>
        store.recordState(k, { instant: 1, hash: "peek" }, 10_000);

      it("keeps a newer state, or the same instant with other content; answers the state kept before", async () => {
        const store = withStates(makeStore());
        const k = key();
        expect(await store.recordState(k, confirmed, 10_000)).toBeUndefined();
        // the same instant and content: nothing to keep (a status that differs is not content)
        expect(await store.recordState(k, { ...confirmed, status: "ON_HOLD" }, 10_000)).toEqual(confirmed);
        expect(await kept(store, k)).toEqual(confirmed);
        // the same instant, other content (second-resolution clocks)
        const amended = { ...confirmed, hash: "h2", status: "CANCELLED" };
        expect(await store.recordState(k, amended, 10_000)).toEqual(confirmed);
        expect(await kept(store, k)).toEqual(amended);
        // older: kept as it was
        expect(await store.recordState(k, { ...confirmed, instant: t - 1000, hash: "h0" }, 10_000)).toEqual(
          amended,
        );
        expect(await kept(store, k)).toEqual(amended);
        // newer
        const later = { instant: t + 1000, hash: "h3", status: "CONFIRMED", id: "b-1" };
        expect(await store.recordState(k, later, 10_000)).toEqual(amended);
        expect(await kept(store, k)).toEqual(later);
      });

      it("reads what recordNewest wrote as a state with only an instant, and recordNewest reads a state", async () => {
        const store = withStates(makeStore());
        const [a, b] = [key(), key()];
        await store.recordNewest(a, t, 10_000);
        expect(await store.recordState(a, confirmed, 10_000)).toEqual({ instant: t });
        expect(await kept(store, a)).toEqual(confirmed); // a hash where there was none is other content
        expect(await store.recordState(b, confirmed, 10_000)).toBeUndefined();
        expect(await store.recordNewest(b, t - 1, 10_000)).toBe(t);
        expect(await store.recordNewest(b, t, 10_000)).toBe(t);
        expect(await kept(store, b)).toEqual(confirmed);
        expect(await store.recordNewest(b, t + 1, 10_000)).toBe(t);
        expect(await kept(store, b)).toEqual({ instant: t + 1 });
      });

      it("restoreState puts back the state before only while the state kept is still ours", async () => {
        const store = withStates(makeStore());
        const ours = { instant: t + 1000, hash: "h2", status: "CANCELLED", id: "b-1" };
        // still ours: the state before comes back
        const k1 = key();
        await store.recordState(k1, confirmed, 10_000);
        expect(await store.recordState(k1, ours, 10_000)).toEqual(confirmed);
        await store.restoreState(k1, ours, confirmed, 10_000);
        expect(await kept(store, k1)).toEqual(confirmed);
        // nothing before: the key is forgotten
        const k2 = key();
        expect(await store.recordState(k2, ours, 10_000)).toBeUndefined();
        await store.restoreState(k2, ours, undefined, 10_000);
        expect(await kept(store, k2)).toBeUndefined();
        // a newer state was kept since: it stays
        const k3 = key();
        await store.recordState(k3, confirmed, 10_000);
        await store.recordState(k3, ours, 10_000);
        const newer = { ...ours, instant: t + 2000, hash: "h3" };
        await store.recordState(k3, newer, 10_000);
        await store.restoreState(k3, ours, confirmed, 10_000);
        expect(await kept(store, k3)).toEqual(newer);
        // other content at our instant: it stays too
        const k4 = key();
        await store.recordState(k4, ours, 10_000);
        const other = { ...ours, hash: "h4" };
        await store.recordState(k4, other, 10_000);
        await store.restoreState(k4, ours, undefined, 10_000);
        expect(await kept(store, k4)).toEqual(other);
        // a state before with only an instant (recordNewest's) comes back as one
        const k5 = key();
        await store.recordNewest(k5, t, 10_000);
        await store.recordState(k5, ours, 10_000);
        await store.restoreState(k5, ours, { instant: t }, 10_000);
        expect(await store.recordNewest(k5, t - 1, 10_000)).toBe(t);
        expect(await kept(store, k5)).toEqual({ instant: t });
      });

      it("a state's TTL starts when it is stored; other content at its instant or an older one does not renew it", async () => {
        const store = withStates(makeStore());
        const [k, restored] = [key(), key()];
        await store.recordState(k, confirmed, 400);
        await sleep(250);
        const amended = { ...confirmed, hash: "h2" };
        expect(await store.recordState(k, amended, 400)).toEqual(confirmed);
        expect(await kept(store, k)).toEqual(amended);
        await sleep(250);
        expect(await store.recordState(k, { ...confirmed, hash: "h3" }, 400)).toBeUndefined();
        // a restored state lives ttlMs
        await store.recordState(restored, confirmed, 10_000);
        await store.recordState(restored, amended, 10_000);
        await store.restoreState(restored, amended, confirmed, 100);
        expect(await kept(store, restored)).toEqual(confirmed);
        await sleep(200);
        expect(await kept(store, restored)).toBeUndefined();
      });

      it("listStates lists the states under a prefix, a page at a time, and nothing else", async () => {
        const store = withStates(makeStore());
        // glob characters too: a store that matches patterns must take them literally
        const base = `${key()}-[x]*?/`;
        const expected = new Map<string, ResourceState>();
        for (let i = 0; i < 7; i++) {
          const state = { instant: t + i, hash: `h${i}`, status: "CONFIRMED", id: `b-${i}` };
          await store.recordState(`${base}booking:b-${i}`, state, 10_000);
          expected.set(`${base}booking:b-${i}`, state);
        }
        await store.recordNewest(`${base}booking:old`, t, 10_000);
        expected.set(`${base}booking:old`, { instant: t });
        await store.recordState(`${base}booking:gone`, confirmed, 50);
        // not under the prefix, or not a state
        await store.recordState(`${base}booking-hash:abc`, confirmed, 10_000);
        await store.recordState(`${base}order:o-1`, confirmed, 10_000);
        await store.recordState(`${base.replace("[x]*?", "xzz")}booking:b-0`, confirmed, 10_000);
        await store.recordState(`${base}`, confirmed, 10_000);
        await store.claim(`${base}booking:b-claimed`, 10_000);
        await store.complete(`${base}booking:b-done`, 10_000);
        await sleep(100);

        const pages = await allPages(store, `${base}booking:`, 3);
        expect(pages.length).toBeGreaterThan(1);
        const listed = new Map(pages.flatMap((page) => page.states));
        expect([...listed.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [k, state] of expected) expect(listed.get(k)).toEqual(state);

        const all = await allPages(store, `${base}booking:`, 500);
        expect(new Set(all.flatMap((page) => page.states.map(([k]) => k)))).toEqual(new Set(expected.keys()));
        expect((await allPages(store, `${base}product:`, 10)).flatMap((page) => page.states)).toEqual([]);
      });
    });

    it("recordNewest forgets after ttlMs", async () => {
      const store = makeStore();
      const b = key();
      await store.recordNewest(b, 10, 80);
      await sleep(120);
      expect(await store.recordNewest(b, 5, 80)).toBeUndefined();
    });
  });
}
