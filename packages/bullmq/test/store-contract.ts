// The behaviour every DeliveryStore must have (core's `dedupe` and `staleGuard` rely on it), run against
// core's memory store and the Redis store alike, with real time and short TTLs.
import { randomBytes } from "node:crypto";
import type { DeliveryStore } from "@octo-webhooks/core";
import { describe, expect, it } from "vitest";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

    it("recordNewest forgets after ttlMs", async () => {
      const store = makeStore();
      const b = key();
      await store.recordNewest(b, 10, 80);
      await sleep(120);
      expect(await store.recordNewest(b, 5, 80)).toBeUndefined();
    });
  });
}
