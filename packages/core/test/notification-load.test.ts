// The "done when": 500 notifications for 50 bookings, delivered at concurrency 20 over real HTTP,
// with a read API that fails 10% of the time: one fetch per booking in flight at most, and no change lost
// (the supplier retries every non-2xx, as OCTO suppliers do).
import { serve } from "@octo-webhooks/test-helpers";
import { closeAfterEach } from "@octo-webhooks/test-helpers/vitest";
import { describe, expect, it } from "vitest";
import { createOctoWebhooks, type OctoHydrator } from "../src/index.ts";
import { capturingLogger } from "./helpers.ts";

const onCleanup = closeAfterEach();
const BOOKINGS = 50;
const NOTIFICATIONS = 500;
const CONCURRENCY = 20;

/** A seeded pseudo-random source, so that a failing run can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe("500 notifications for 50 bookings at concurrency 20, the read API failing 10%", () => {
  it("coalesces to at most one fetch per booking in flight, and every booking's last state reaches the handlers", async () => {
    const next = random(16);
    const version = new Map<string, number>();
    let inFlight = 0;
    let maxInFlight = 0;
    const perBooking = new Map<string, number>();
    let maxPerBooking = 0;
    let fetches = 0;
    let failures = 0;
    const hydrate: OctoHydrator = async (notification) => {
      if (notification.type !== "BOOKING_UPDATE") return null;
      const { uuid } = notification.data;
      fetches++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      perBooking.set(uuid, (perBooking.get(uuid) ?? 0) + 1);
      maxPerBooking = Math.max(maxPerBooking, perBooking.get(uuid) ?? 0);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1 + Math.floor(next() * 5)));
        if (next() < 0.1) {
          failures++;
          throw new Error("the supplier's read API answered 500");
        }
        const v = version.get(uuid) ?? 0;
        return {
          uuid,
          status: "CONFIRMED",
          notes: `v${v}`,
          utcUpdatedAt: new Date(1_700_000_000_000 + v * 1000).toISOString(),
        };
      } finally {
        inFlight--;
        perBooking.set(uuid, (perBooking.get(uuid) ?? 1) - 1);
      }
    };
    const lastSeen = new Map<string, string>();
    const webhooks = createOctoWebhooks({
      auth: "none",
      logger: capturingLogger(),
      hydrate,
      dedupe: true,
      staleGuard: true,
      onBookingUpdate: ({ booking }) => void lastSeen.set(booking.uuid, String(booking.notes)),
    });
    const server = await serve(async (req, res) => {
      const answer = await webhooks.handle({ method: req.method ?? "", headers: req.headers, body: req });
      res.writeHead(answer.status, answer.headers).end(answer.body);
    });
    onCleanup(server.close);

    // the supplier: each booking changes 10 times in a burst; each change sends a notification, retried
    // until 2xx (a burst's notifications are sent together, so that coalescing has work to do)
    const perBookingCount = NOTIFICATIONS / BOOKINGS;
    const queue = Array.from({ length: NOTIFICATIONS }, (_, i) => `b-${Math.floor(i / perBookingCount)}`);
    let retries = 0;
    const deliver = async (uuid: string) => {
      version.set(uuid, (version.get(uuid) ?? 0) + 1);
      for (;;) {
        const response = await fetch(server.origin, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ type: "BOOKING_UPDATE", data: { uuid } }),
        });
        await response.arrayBuffer();
        if (response.ok) return;
        expect(response.status).toBe(503);
        expect(response.headers.get("retry-after")).toBe("5");
        retries++;
      }
    };
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let uuid = queue.shift(); uuid !== undefined; uuid = queue.shift()) await deliver(uuid);
      }),
    );

    expect(failures).toBeGreaterThan(0);
    // a failed fetch shared by several notifications fails each of them
    expect(retries).toBeGreaterThanOrEqual(failures);
    expect(maxPerBooking).toBe(1);
    expect(maxInFlight).toBeLessThanOrEqual(BOOKINGS);
    // coalesced: far fewer fetches than notifications
    expect(fetches).toBeLessThan(NOTIFICATIONS / 2);
    // no change lost: every booking's handlers saw its last version
    for (let i = 0; i < BOOKINGS; i++) expect(lastSeen.get(`b-${i}`)).toBe("v10");
  });
});
