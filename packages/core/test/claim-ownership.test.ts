// A dedupe claim has an owner: completing or releasing a key acts only for the token that holds it, so a
// run that outlived its lease cannot free the next run's claim.
// Regressions of issue 24.
import { describe, expect, it } from "vitest";
import { createMemoryStore, createOctoWebhooks } from "../src/index.ts";
import { bookingBody, post } from "./helpers.ts";

/** A promise and what settles it. */
function deferred() {
  let resolve: () => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("core: claims without an owner", () => {
  it("a run that outlived its lease and then failed leaves the newer run's claim (no two concurrent runs)", async () => {
    let clock = 1_000_000;
    const runs = [deferred(), deferred()];
    let started = 0;
    const webhooks = createOctoWebhooks({
      dedupe: { leaseMs: 1000 },
      store: createMemoryStore({ now: () => clock }),
      logger: {},
      onBookingUpdate: () => runs[started++]?.promise,
    });
    const request = post(bookingBody());
    const first = webhooks.handle(request);
    await new Promise((resolve) => setImmediate(resolve));
    clock += 1500; // the first run outlived its lease: the retry claims the delivery
    const second = webhooks.handle(request);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(2);
    runs[0]?.reject(new Error("first run failed late"));
    expect((await first).status).toBe(500);
    // the first run's release must not free the second run's claim
    expect((await webhooks.handle(request)).status).toBe(409);
    expect(started).toBe(2);
    runs[1]?.resolve();
    expect((await second).status).toBe(200);
    expect((await webhooks.handle(request)).body).toBe('{"ok":true,"duplicate":true}');
  });

  it("createMemoryStore completes and releases a key only for the token that holds it", async () => {
    let clock = 0;
    const store = createMemoryStore({ now: () => clock });
    expect(store.claim("k", 10, "a")).toBe("claimed");
    clock += 20;
    expect(store.claim("k", 1000, "b")).toBe("claimed");
    store.release("k", "a");
    expect(store.claim("k", 1000, "c")).toBe("processing");
    store.complete("k", 1000, "a");
    expect(store.claim("k", 1000, "c")).toBe("processing");
    store.complete("k", 1000, "b");
    expect(store.claim("k", 1000, "c")).toBe("done");
    store.release("k", "b"); // a completion stays
    expect(store.claim("k", 1000, "c")).toBe("done");
  });

  it("a store written without tokens (two-argument methods) keeps working", async () => {
    const store = createMemoryStore();
    expect(store.claim("k", 1000)).toBe("claimed");
    store.release("k");
    expect(store.claim("k", 1000)).toBe("claimed");
    store.complete("k", 1000);
    expect(store.claim("k", 1000)).toBe("done");
  });
});
