// What a recovery scenario starts from, end to end with a core receiver: bookings delivered while it is
// up; then, while it is down, 200 bookings made and changed (50 cancelled), their deliveries given up,
// the webhook deleted after 25 failures in a row; then every final state read back from the supplier.
import { createOctoWebhooks } from "@octo-webhooks/core";
import { closeAfterEach } from "@octo-webhooks/test-helpers/vitest";
import { describe, expect, it } from "vitest";
import { startMockSupplier, startReceiver } from "../src/index.ts";

const onCleanup = closeAfterEach();
const AUTH = { username: "octo", password: "recovery-pw" };

describe("a receiver down while bookings change", () => {
  it("leaves given-up deliveries, a deleted webhook, and final states to read back", async () => {
    const s = await startMockSupplier({
      apiKey: "k-recovery",
      seed: "recovery",
      retrySchedule: [5, 5],
      giveUpAfter: 3,
      deleteWebhookAfter: 25,
    });
    onCleanup(() => s.close());
    const down = { now: false };
    const applied = new Map<string, string>(); // uuid -> utcUpdatedAt of the last state applied
    const webhooks = createOctoWebhooks({
      auth: { basic: AUTH },
      logger: {},
      onBookingUpdate: ({ booking }) => {
        if (down.now) throw new Error("the database is down");
        applied.set(booking.uuid, String(booking.utcUpdatedAt));
      },
    });
    const receiver = await startReceiver(webhooks);
    onCleanup(() => receiver.close());
    const url = new URL(receiver.url);
    url.username = AUTH.username;
    url.password = AUTH.password;
    const headers = {
      authorization: "Bearer k-recovery",
      "octo-capabilities": "octo/webhooks",
      "content-type": "application/json",
    };
    const created = await fetch(`${s.url}/webhooks`, {
      method: "POST",
      headers,
      body: JSON.stringify({ event: "booking_update", url: url.href }),
    });
    const webhookId = ((await created.json()) as { id: string }).id;

    await s.simulate.bookingBatch({ count: 10, cancelled: 2 }); // while it is up: all applied
    expect(applied.size).toBe(10);
    down.now = true;
    const deliveries = await s.simulate.bookingBatch({
      count: 200,
      cancelled: 50,
      amended: 50,
      createdAt: "2026-11-25T00:00:00Z",
    });

    expect(deliveries).toHaveLength(50 * 4 + 50 * 3 + 100 * 2);
    expect(deliveries.every((d) => d.state === "abandoned")).toBe(true);
    const gaveUp = deliveries.filter((d) => d.cause === "giveUpAfter");
    expect(gaveUp.length).toBeGreaterThanOrEqual(25);
    expect(gaveUp.every((d) => d.attempts.length === 3 && d.attempts.every((a) => a.status === 500))).toBe(
      true,
    );
    expect(s.webhooks).toEqual([]);
    expect(s.deletedWebhooks).toMatchObject([{ id: webhookId, kind: "webhook" }]);
    expect(s.deletedWebhooks[0]?.failedDeliveries).toHaveLength(25);

    // every final state, read back: 50 cancelled, 150 confirmed (50 of them amended); none applied
    const read = await fetch(`${s.url}/bookings?localDateStart=2026-12-10&localDateEnd=2026-12-20`, {
      headers,
    });
    const finals = (await read.json()) as Array<{ uuid: string; status: string; notes: string | null }>;
    expect(finals).toHaveLength(200);
    expect(finals).toEqual([...s.bookings.values()].slice(10));
    const count = (f: (b: (typeof finals)[number]) => boolean) => finals.filter(f).length;
    expect([
      count((b) => b.status === "CANCELLED"),
      count((b) => b.status === "CONFIRMED" && b.notes !== null),
      count((b) => b.status === "CONFIRMED" && b.notes === null),
    ]).toEqual([50, 50, 100]);
    const behind = [...s.bookings].filter(([uuid, b]) => applied.get(uuid) !== b.utcUpdatedAt);
    expect(behind.map(([uuid]) => uuid)).toEqual(finals.map((b) => b.uuid));
    const abandoned = await fetch(`${s.url}/_mock/deliveries?state=abandoned`, { headers });
    expect(((await abandoned.json()) as unknown[]).length).toBe(deliveries.length);
  });
});
