// Done-when of OCTO notifications: 500 notifications for 50 bookings, delivered by the mock supplier 20 at
// a time to a receiver hydrating with `client.hydrator()`: fetches of one booking are coalesced (never two
// in flight for one booking, so at most 50 in flight), and with 10% of the supplier's reads failing, no
// notification is lost (the receiver answers 503 and the supplier retries the delivery). Core lets a
// notification that arrives during a fetch wait for the next one (it must not get a state read before it
// arrived), so a booking's ten notifications cost one fetch or a few, not ten.
import { createOctoWebhooks } from "@octo-webhooks/core";
import { type MockSupplier, startMockSupplier, startReceiver } from "@octo-webhooks/testing";
import { describe, expect, it } from "vitest";
import { createOctoClient, webhookUrl } from "../src/index.ts";
import { onCleanup } from "./helpers.ts";

const BOOKINGS = 50;
const PER_BOOKING = 10;
const CONCURRENCY = 20;
const USER = { username: "octo", password: "load-pass-5b1c" };

async function setUp(readFailureRate: number) {
  const supplier = await startMockSupplier({
    seed: "load",
    readLatencyMs: 40, // a fetch takes long enough for the other notifications of its booking to arrive
    readFailureRate,
    retrySchedule: [10, 20, 40, 80, 160, 320], // 7 attempts: a loss would need 7 failed reads in a row
  });
  onCleanup(() => supplier.close());
  for (let i = 0; i < BOOKINGS; i++) await supplier.simulate.bookingUpdate({ status: "CONFIRMED" });
  const client = createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey, retries: 0 });
  const seen = new Map<string, number>();
  const webhooks = createOctoWebhooks({
    auth: { basic: USER },
    logger: {},
    hydrate: { fetch: client.hydrator(), timeoutMs: 5_000 }, // coalescing only: no cache
    onBookingUpdate: ({ booking }) => void seen.set(booking.uuid, (seen.get(booking.uuid) ?? 0) + 1),
  });
  const receiver = await startReceiver(webhooks);
  onCleanup(() => receiver.close());
  await client.notifications.create({
    url: webhookUrl(receiver.url, USER),
    notificationTypes: ["BOOKING_UPDATE"],
  });
  supplier.reads.reset();
  return { supplier, seen };
}

/** Sends every notification (each booking's in a row), `CONCURRENCY` at a time; each resolves when delivered or given up. */
async function deliverAll(supplier: MockSupplier) {
  const uuids = [...supplier.bookings.keys()];
  const queue = uuids.flatMap((uuid) => Array.from({ length: PER_BOOKING }, () => uuid));
  const worker = async () => {
    for (let uuid = queue.shift(); uuid !== undefined; uuid = queue.shift()) {
      await supplier.simulate.notification("BOOKING_UPDATE", { uuid });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return uuids;
}

describe("hydrating 500 notifications for 50 bookings at concurrency 20", () => {
  it("coalesces the fetches of a booking: never two in flight for one booking, far fewer fetches than notifications", async () => {
    const { supplier, seen } = await setUp(0);
    const uuids = await deliverAll(supplier);
    const stats = supplier.reads.stats();
    expect(supplier.deliveries.filter((d) => d.state !== "delivered")).toEqual([]);
    expect(supplier.deliveries).toHaveLength(BOOKINGS * PER_BOOKING);
    expect(stats.maxInFlightSameResource).toBe(1);
    expect(stats.maxInFlight).toBeLessThanOrEqual(BOOKINGS);
    expect(stats.requests.bookings).toBeGreaterThanOrEqual(BOOKINGS); // every booking was fetched
    // measured alone: 50 (each booking's ten arrive during its first fetch); a loaded machine, a few more
    expect(stats.requests.bookings).toBeLessThan((BOOKINGS * PER_BOOKING) / 2);
    expect(uuids.map((uuid) => seen.get(uuid))).toEqual(Array(BOOKINGS).fill(PER_BOOKING));
  });

  it("loses none when 10% of the supplier's reads fail: the receiver answers 503, the supplier retries", async () => {
    const { supplier, seen } = await setUp(0.1);
    const uuids = await deliverAll(supplier);
    const stats = supplier.reads.stats();
    expect(stats.failed).toBeGreaterThan(0);
    const retried = supplier.deliveries.filter((d) => d.attempts.length > 1);
    expect(retried.length).toBeGreaterThan(0);
    expect(new Set(retried.map((d) => d.attempts[0]?.status))).toEqual(new Set([503]));
    expect(supplier.deliveries.filter((d) => d.state !== "delivered")).toEqual([]);
    expect(stats.maxInFlightSameResource).toBe(1);
    expect(stats.maxInFlight).toBeLessThanOrEqual(BOOKINGS);
    expect(uuids.map((uuid) => seen.get(uuid))).toEqual(Array(BOOKINGS).fill(PER_BOOKING));
  });
});
