// The stale guard does not trust a timestamp from the future: one far-future utcUpdatedAt (or one already
// in a store) cannot make later real updates stale; a stale delivery does not renew the stored instant.
// Regressions of issue 24.
import { describe, expect, it } from "vitest";
import {
  createMemoryStore,
  createOctoWebhooks,
  type OctoWebhooksOptions,
  parseInstant,
} from "../src/index.ts";
import { bookingBody, post } from "./helpers.ts";

const iso = (ms: number) => new Date(ms).toISOString();

/** A receiver with the stale guard on that lists the status of every update its handler got. */
function guarded(options: OctoWebhooksOptions = {}) {
  const applied: unknown[] = [];
  const webhooks = createOctoWebhooks({
    staleGuard: true,
    logger: {},
    onBookingUpdate: ({ booking }) => void applied.push(booking.status),
    ...options,
  });
  const send = (utcUpdatedAt: string, status: string, uuid = "b-1") =>
    webhooks.handle(post(bookingBody({ uuid, utcUpdatedAt, status })));
  return { webhooks, applied, send };
}

describe("core: one far-future timestamp blinds the stale guard", () => {
  it("a utcUpdatedAt of 9999-12-31 is dispatched but not used for ordering: later real updates still run", async () => {
    const { applied, send } = guarded();
    expect((await send("9999-12-31T23:59:59Z", "CONFIRMED")).body).toBe('{"ok":true}');
    expect((await send(iso(Date.now() - 60_000), "CONFIRMED")).body).toBe('{"ok":true}');
    expect((await send(iso(Date.now()), "CANCELLED")).body).toBe('{"ok":true}');
    expect(applied).toEqual(["CONFIRMED", "CONFIRMED", "CANCELLED"]);
  });

  it("the skew is configurable: staleGuard.maxFutureSkewMs", async () => {
    const aheadByAMinute = iso(Date.now() + 60_000);
    const tolerant = guarded();
    await tolerant.send(aheadByAMinute, "CONFIRMED");
    expect((await tolerant.send(iso(Date.now()), "CANCELLED")).body).toBe('{"ok":true,"stale":true}');
    const strict = guarded({ staleGuard: { maxFutureSkewMs: 0 } });
    await strict.send(aheadByAMinute, "CONFIRMED");
    expect((await strict.send(iso(Date.now()), "CANCELLED")).body).toBe('{"ok":true}');
    expect(() => createOctoWebhooks({ staleGuard: { maxFutureSkewMs: -1 } })).toThrow(/maxFutureSkewMs/);
  });

  it("a future instant already in a store (from an older version) is not trusted either", async () => {
    const store = createMemoryStore();
    await store.recordNewest("booking:b-1", Date.parse("9999-12-31T23:59:59Z"), 60_000);
    const { applied, send } = guarded({ store });
    await send(iso(Date.now()), "CANCELLED");
    expect(applied).toEqual(["CANCELLED"]);
  });

  it("a stale delivery does not renew the TTL of the stored instant", async () => {
    let clock = 1_000_000;
    const store = createMemoryStore({ now: () => clock });
    const { applied, send } = guarded({ store, staleGuard: { ttlMs: 1000 } });
    await send("2026-01-02T00:00:00Z", "CONFIRMED");
    clock += 600;
    expect((await send("2026-01-01T00:00:00Z", "ON_HOLD")).body).toBe('{"ok":true,"stale":true}');
    clock += 500; // 1 100 ms after the newest was stored, 500 after the stale delivery
    expect((await send("2026-01-01T00:00:00Z", "ON_HOLD")).body).toBe('{"ok":true}');
    expect(applied).toEqual(["CONFIRMED", "ON_HOLD"]);
  });

  it("parseInstant reads years 0000-0099 as themselves, not 1900-1999", () => {
    expect(new Date(parseInstant("0050-06-01T00:00:00Z") as number).getUTCFullYear()).toBe(50);
    expect(iso(parseInstant("0000-02-29T12:30:00+01:00") as number)).toBe("0000-02-29T11:30:00.000Z");
    expect(parseInstant("0099-12-31T23:59:59Z")).toBeLessThan(parseInstant("0100-01-01T00:00:00Z") as number);
  });
});
