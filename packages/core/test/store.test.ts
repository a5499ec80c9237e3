import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryStore, parseInstant } from "../src/index.ts";

describe("parseInstant()", () => {
  const at = Date.UTC(2021, 9, 27, 23, 28, 43);

  it.each([
    "2021-10-27T23:28:43Z",
    "2021-10-27 23:28:43Z",
    "2021-10-27t23:28:43z",
    "2021-10-28T00:28:43+01:00",
    "2021-10-28T00:28:43+0100",
    "2021-10-28T00:28:43+01",
    "2021-10-27T18:28:43-05:00",
    "2021-10-27T23:28:43.000Z",
    "2021-10-27 23:28:43 UTC",
    "2021-10-27T23:28:43",
  ])("reads %s as the same instant", (value) => {
    expect(parseInstant(value)).toBe(at);
  });

  it("keeps milliseconds and ignores digits beyond them", () => {
    expect(parseInstant("2021-10-27T23:28:43.5Z")).toBe(at + 500);
    expect(parseInstant("2021-10-27T23:28:43.123456Z")).toBe(at + 123);
  });

  it.each([
    "",
    "yesterday",
    "27/10/2021 23:28",
    "2021-13-01T00:00:00Z",
    "2021-10-27T25:00:00Z",
    "2021-10-27T23:28:43+25:00",
    "2021-10-27T23:28:43Zjunk",
    null,
    1635377323000,
  ])("answers undefined for %o", (value) => {
    expect(parseInstant(value)).toBeUndefined();
  });
});

describe("createMemoryStore()", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => void (now += ms) };
  };

  it("claims once; a second claim sees processing, then done once completed", () => {
    const store = createMemoryStore();
    expect(store.claim("k", 1000)).toBe("claimed");
    expect(store.claim("k", 1000)).toBe("processing");
    store.complete("k", 1000);
    expect(store.claim("k", 1000)).toBe("done");
  });

  it("a released claim can be claimed again (the retry of a failed delivery)", () => {
    const store = createMemoryStore();
    store.claim("k", 1000);
    store.release("k");
    expect(store.claim("k", 1000)).toBe("claimed");
  });

  it("a lease ends after leaseMs, a completion after ttlMs", () => {
    const time = clock();
    const store = createMemoryStore({ now: time.now });
    store.claim("k", 100);
    time.advance(99);
    expect(store.claim("k", 100)).toBe("processing");
    time.advance(1);
    expect(store.claim("k", 100)).toBe("claimed");
    store.complete("k", 500);
    time.advance(499);
    expect(store.claim("k", 100)).toBe("done");
    time.advance(1);
    expect(store.claim("k", 100)).toBe("claimed");
  });

  it("keeps at most maxEntries keys, forgetting the least recently used first", () => {
    const store = createMemoryStore({ maxEntries: 3 });
    for (const key of ["a", "b", "c"]) {
      store.claim(key, 1000);
      store.complete(key, 1000);
    }
    expect(store.claim("a", 1000)).toBe("done"); // a is now the most recently used
    store.claim("d", 1000); // evicts b
    expect(store.size).toBe(3);
    expect(store.claim("c", 1000)).toBe("done");
    expect(store.claim("a", 1000)).toBe("done");
    expect(store.claim("b", 1000)).toBe("claimed");
  });

  it("recordNewest keeps the largest instant per key and answers the one before", () => {
    const store = createMemoryStore();
    expect(store.recordNewest("b-1", 10, 1000)).toBeUndefined();
    expect(store.recordNewest("b-1", 30, 1000)).toBe(10);
    expect(store.recordNewest("b-1", 20, 1000)).toBe(30);
    expect(store.recordNewest("b-1", 25, 1000)).toBe(30);
    expect(store.recordNewest("b-2", 5, 1000)).toBeUndefined();
  });

  it("recordNewest forgets after ttlMs", () => {
    const time = clock();
    const store = createMemoryStore({ now: time.now });
    store.recordNewest("b-1", 10, 100);
    time.advance(100);
    expect(store.recordNewest("b-1", 5, 100)).toBeUndefined();
  });

  it("starts no timer, so it never keeps a process alive", () => {
    vi.useFakeTimers();
    const store = createMemoryStore({ maxEntries: 2 });
    for (let i = 0; i < 10; i++) {
      store.claim(`k${i}`, 10);
      store.complete(`k${i}`, 10);
      store.recordNewest(`b${i}`, i, 10);
    }
    expect(vi.getTimerCount()).toBe(0);
  });

  it("refuses a maxEntries that is not a positive integer", () => {
    expect(() => createMemoryStore({ maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => createMemoryStore({ maxEntries: 1.5 })).toThrow(/maxEntries/);
  });
});
