// OCTO notifications through the queue: identical thin bodies (two changes of one booking) are two jobs,
// and a hydration that fails in the worker is retried like a handler failure, not dropped.
import type { OctoHydrator } from "@octo-webhooks/core";
import { sendWebhook } from "@octo-webhooks/testing";
import { expect, it } from "vitest";
import { describeWithRedis, waitFor } from "./helpers.ts";
import { credentials, queueTests } from "./setup.ts";

const t = queueTests();

describeWithRedis("OCTO notifications through createOctoQueue() + createOctoWorker()", () => {
  it("two identical notifications are two jobs; a failed hydration is retried; the worker sees the latest booking", async () => {
    const queue = t.queue();
    const receiver = await t.receiver(queue);
    const notification = { type: "BOOKING_UPDATE", data: { uuid: "b-queued" } };
    let booking = { uuid: "b-queued", status: "CONFIRMED", utcUpdatedAt: "2026-03-01T09:00:00Z" };
    expect((await sendWebhook(receiver.url, notification, credentials)).status).toBe(200);
    booking = { uuid: "b-queued", status: "CANCELLED", utcUpdatedAt: "2026-03-01T10:00:00Z" };
    expect((await sendWebhook(receiver.url, notification, credentials)).status).toBe(200);
    expect((await queue.queue.getJobCounts("waiting")).waiting).toBe(2);

    let calls = 0;
    const hydrate: OctoHydrator = async () => {
      calls++;
      if (calls === 1) throw new Error("the supplier's read API answered 502");
      return booking;
    };
    const cancelled: string[] = [];
    const sources: string[] = [];
    t.worker(queue, {
      hydrate,
      onBookingUpdate: (_payload, context) => void sources.push(context.source),
      onBookingCancelled: ({ booking: b }) => void cancelled.push(b.uuid),
    });
    await waitFor(
      async () => (await queue.queue.getJobCounts("completed")).completed === 2,
      "2 completed jobs",
    );
    // the first hydration failed and its job was retried, not dropped as final
    expect(calls).toBeGreaterThanOrEqual(2);
    expect((await queue.queue.getJobCounts("failed")).failed).toBe(0);
    expect(cancelled).toEqual(["b-queued", "b-queued"]);
    expect(sources).toEqual(["notification", "notification"]);
  });
});
