// Issue 6's reliability test with the mock supplier's own delivery engine (`createDelivery`/`runDelivery`,
// what `startMockSupplier` sends with): 2,000 confirmations at concurrency 50 to a receiver with dedupe on;
// 5% of handler calls fail once and the sender retries; 5% of deliveries are also sent a second time at
// once (a sender that timed out and resent). Every booking's effect must be applied exactly once.
import { createOctoWebhooks } from "@octo-webhooks/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bookingUpdate,
  createDelivery,
  type Delivery,
  type Receiver,
  runDelivery,
  startReceiver,
} from "../src/index.ts";

const DELIVERIES = 2000;
const CONCURRENCY = 50;
const failsOnce = (i: number) => i % 20 === 3;
const sentTwice = (i: number) => i % 20 === 11;

describe("reliability with the mock supplier's delivery engine", () => {
  const applied = new Map<string, number>();
  const failed = new Set<string>();
  const indexOf = new Map<string, number>();
  let receiver: Receiver;
  const webhooks = createOctoWebhooks({
    dedupe: true,
    logger: {},
    onBookingConfirmed: async ({ booking }) => {
      const index = indexOf.get(booking.uuid) ?? -1;
      if (failsOnce(index) && !failed.has(booking.uuid)) {
        failed.add(booking.uuid);
        throw new Error("the database is briefly unavailable");
      }
      await new Promise((resolve) => setImmediate(resolve));
      applied.set(booking.uuid, (applied.get(booking.uuid) ?? 0) + 1);
    },
  });

  beforeAll(async () => {
    receiver = await startReceiver(webhooks);
  });
  afterAll(() => receiver.close());

  it("applies every booking's effect exactly once, none lost", async () => {
    const bodies = Array.from({ length: DELIVERIES }, (_, i) => {
      const body = bookingUpdate({ status: "CONFIRMED", seed: i + 1 });
      indexOf.set(body.booking.uuid, i);
      return body;
    });
    expect(indexOf.size).toBe(DELIVERIES);

    const controller = new AbortController();
    const policy = {
      retrySchedule: [5, 10, 20, 40, 80, 160],
      timeoutMs: 5000,
      userAgent: "reliability",
      signal: controller.signal,
    };
    const target = { event: "booking_update", url: receiver.url };
    const sends: Array<() => Promise<Delivery>> = [];
    bodies.forEach((body, i) => {
      const send = () => runDelivery(createDelivery(`d${i}`, target, body, "reliability"), target, policy);
      sends.push(send);
      if (sentTwice(i)) sends.push(send);
    });

    const deliveries: Delivery[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < sends.length) {
          const send = sends[next++] as () => Promise<Delivery>;
          deliveries.push(await send());
        }
      }),
    );

    expect(deliveries.filter((d) => d.state !== "delivered").map((d) => [d.id, d.attempts])).toEqual([]);
    const lost = bodies.filter((b) => !applied.has(b.booking.uuid)).length;
    const doubled = [...applied.values()].filter((n) => n > 1).length;
    expect({ lost, doubled, applied: applied.size }).toEqual({ lost: 0, doubled: 0, applied: DELIVERIES });
    // the failures really happened and were retried
    expect(failed.size).toBe(DELIVERIES / 20);
    expect(deliveries.some((d) => d.attempts.length > 1)).toBe(true);
  }, 120_000); // 2,100 real HTTP deliveries: a busy machine needs more than the default 20 s
});
