// Store keys stay short: an identifier over 200 characters (a booking's uuid, a deliveryKey given to
// receive()) is hashed into its key, and still orders and recognises its deliveries.
// Regressions of issue 24.
import { describe, expect, it } from "vitest";
import {
  createMemoryStore,
  createOctoWebhooks,
  type DeliveryStore,
  type OctoWebhooksOptions,
} from "../src/index.ts";
import { bookingBody, post } from "./helpers.ts";

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

/** A memory store that lists every key it was given. */
function keyRecorder() {
  const inner = createMemoryStore();
  const keys: string[] = [];
  const seen = (key: string) => void keys.push(key);
  const store: DeliveryStore = {
    claim: (key, leaseMs, token) => {
      seen(key);
      return inner.claim(key, leaseMs, token);
    },
    complete: (key, ttlMs, token) => {
      seen(key);
      inner.complete(key, ttlMs, token);
    },
    release: (key, token) => {
      seen(key);
      inner.release(key, token);
    },
    recordNewest: (key, instant, ttlMs) => {
      seen(key);
      return inner.recordNewest(key, instant, ttlMs);
    },
  };
  return { store, keys };
}

describe("core: store keys of unbounded size", () => {
  it("a 1 MB booking.uuid is kept as a short key, and still orders its booking's updates", async () => {
    const { store, keys } = keyRecorder();
    const { applied, send } = guarded({ store, dedupe: true });
    const [long, other] = ["u".repeat(1024 * 1000), `${"u".repeat(1024 * 1000 - 1)}v`];
    await send("2026-01-02T00:00:00Z", "CONFIRMED", long);
    expect((await send("2026-01-01T00:00:00Z", "ON_HOLD", long)).body).toBe('{"ok":true,"stale":true}');
    expect((await send("2026-01-01T00:00:00Z", "ON_HOLD", other)).body).toBe('{"ok":true}');
    expect(applied).toEqual(["CONFIRMED", "ON_HOLD"]);
    expect(Math.max(...keys.map((key) => key.length))).toBeLessThanOrEqual(230);
    expect(keys.filter((key) => key.startsWith("booking-hash:"))).toHaveLength(3);
  });

  it("a long deliveryKey given to receive() is kept as a short key, and still recognised", async () => {
    const { store, keys } = keyRecorder();
    const webhooks = createOctoWebhooks({ dedupe: true, store, logger: {} });
    const deliveryKey = "k".repeat(100_000);
    const body = bookingBody();
    expect(await webhooks.receive(body, { deliveryKey })).toMatchObject({ handlers: 0 });
    expect(await webhooks.receive(body, { deliveryKey })).toMatchObject({ skipped: "duplicate" });
    expect(Math.max(...keys.map((key) => key.length))).toBeLessThanOrEqual(230);
  });

  it("identifiers of up to 200 characters stay as they are", async () => {
    const { store, keys } = keyRecorder();
    const { send } = guarded({ store });
    await send("2026-01-02T00:00:00Z", "CONFIRMED", "b".repeat(200));
    expect(keys).toEqual([`booking:${"b".repeat(200)}`]);
  });
});
