// The supplier side of a scenario: the mock supplier (with a retry schedule long enough to outlast a
// restart) registered on a receiver's URL, and a burst of booking_updates, one fresh booking uuid each.
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { createOctoClient } from "@octo-webhooks/client";
import { bookingUpdate, type Delivery, type MockSupplier, startMockSupplier } from "@octo-webhooks/testing";

/**
 * About 30 s of retries, every half second after the first two: a killed receiver is back well within it,
 * and the scenarios do not wait out a real supplier's growing backoff.
 */
export const RETRY_SCHEDULE: readonly number[] = [100, 250, ...Array<number>(60).fill(500)];

/** A mock supplier delivering `booking_update` to `port` with the credentials of app.ts. */
export async function supplierFor(port: number): Promise<MockSupplier> {
  setMaxListeners(256); // the supplier's abort signal gets a listener per delivery in flight
  const supplier = await startMockSupplier({ retrySchedule: RETRY_SCHEDULE, deliveryTimeoutMs: 5_000 });
  const client = createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey });
  await client.webhooks.create({
    event: "booking_update",
    url: `http://octo:faults-password@127.0.0.1:${port}/webhooks/octo`,
  });
  return supplier;
}

/** Sends `count` booking_updates, `inFlight` at a time; resolves with their uuids and deliveries. */
export async function burst(supplier: MockSupplier, count: number, inFlight = 32) {
  const uuids = Array.from({ length: count }, () => randomUUID());
  const deliveries: Delivery[] = [];
  let next = 0;
  const sender = async () => {
    while (next < count) {
      const i = next++;
      const body = bookingUpdate({ seed: i, booking: { uuid: uuids[i] as string } });
      deliveries.push(...(await supplier.simulate.event("booking_update", body as Record<string, unknown>)));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, sender));
  return { uuids, deliveries };
}
