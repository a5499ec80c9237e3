// `startMockSupplier({ onDelivery })` and `supplier.replay(id)`: what the CLI's inspector is built on.
import { afterEach, describe, expect, it } from "vitest";
import { type Delivery, startMockSupplier } from "../src/index.ts";
import { recordingServer } from "./helpers.ts";

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

const HEADERS = {
  authorization: "Bearer k-1",
  "octo-capabilities": "octo/webhooks",
  "content-type": "application/json",
};

describe("onDelivery and replay", () => {
  it("reports each delivery when it is created, and replays one to its webhook as a new delivery", async () => {
    const created: Array<{ id: string; attempts: number; state: string }> = [];
    const supplier = await startMockSupplier({
      apiKey: "k-1",
      retrySchedule: [5],
      onDelivery: (d: Delivery) => created.push({ id: d.id, attempts: d.attempts.length, state: d.state }),
    });
    cleanup.push(() => supplier.close());
    // the first delivery fails once and is retried; the replay succeeds at once
    const receiver = await recordingServer([500, 200, 200]);
    cleanup.push(receiver.close);
    const answer = await fetch(`${supplier.url}/webhooks`, {
      method: "POST",
      headers: HEADERS,
      body: JSON.stringify({
        event: "booking_update",
        url: receiver.url.replace("http://", "http://octo:pw@"),
        headers: { "x-key": "v1" },
      }),
    });
    expect(answer.status).toBe(200);

    const [first] = await supplier.simulate.bookingUpdate({ status: "CANCELLED" });
    expect(first?.attempts.map((a) => a.status)).toEqual([500, 200]);
    expect(created).toEqual([{ id: "d1", attempts: 0, state: "pending" }]);

    const replayed = await supplier.replay("d1");
    expect(replayed).toMatchObject({ id: "d2", state: "delivered", webhookId: first?.webhookId });
    expect(replayed.attempts.map((a) => a.status)).toEqual([200]);
    expect(replayed.body).toEqual(first?.body);
    expect(replayed.body).not.toBe(first?.body);
    expect(created.map((c) => c.id)).toEqual(["d1", "d2"]);
    expect(supplier.deliveries.map((d) => d.id)).toEqual(["d1", "d2"]);
    const [, , again] = receiver.requests;
    expect(again?.body).toBe(receiver.requests[0]?.body);
    expect(again?.headers.authorization).toBe(`Basic ${Buffer.from("octo:pw").toString("base64")}`);
    expect(again?.headers["x-key"]).toBe("v1");
  });

  it("rejects an unknown delivery, and one whose webhook was deleted", async () => {
    const supplier = await startMockSupplier({ apiKey: "k-1", retrySchedule: [] });
    cleanup.push(() => supplier.close());
    const receiver = await recordingServer([200]);
    cleanup.push(receiver.close);
    const hook = await (
      await fetch(`${supplier.url}/webhooks`, {
        method: "POST",
        headers: HEADERS,
        body: JSON.stringify({ event: "availability_update", url: receiver.url }),
      })
    ).json();
    await supplier.simulate.availabilityChange();
    await expect(supplier.replay("d9")).rejects.toThrow(/no delivery has this id/);
    await fetch(`${supplier.url}/webhooks/${hook.id}`, { method: "DELETE", headers: HEADERS });
    await expect(supplier.replay("d1")).rejects.toThrow(/webhook of this delivery was deleted/);
    expect(supplier.deliveries).toHaveLength(1);
  });
});
