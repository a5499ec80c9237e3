// Bodies read back from the supplier's API (reconciliation) or replayed go through the queue as the
// supplier's deliveries do, and the worker's stale guard, in Redis, remembers what it applied.
import { deliveryKey, type HandlerContext } from "@octo-webhooks/core";
import { bookingLifecycle, bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import { expect, it } from "vitest";
import { jobIdOf, type OctoJobResult } from "../src/index.ts";
import { describeWithRedis, waitFor } from "./helpers.ts";
import { auth, credentials, queueTests } from "./setup.ts";

const t = queueTests();

describeWithRedis("reconciliation through the queue", () => {
  for (const dedupe of [true, false]) {
    it(`carries receive()'s source to the worker's handlers (dedupe ${dedupe ? "on" : "off"})`, async () => {
      const queue = t.queue({ dedupe });
      const receiver = await t.receiver(queue);
      const webhooks = queue.receiver({ auth });
      const reconciled = { booking: bookingUpdate({ seed: `source-r-${dedupe}` }).booking };
      const replayed = bookingUpdate({ seed: `source-p-${dedupe}` });
      const delivered = bookingUpdate({ seed: `source-w-${dedupe}` });
      await webhooks.receive(reconciled, { source: "reconciliation" });
      await webhooks.receive(replayed, { source: "replay" });
      expect((await sendWebhook(receiver.url, delivered, credentials)).status).toBe(200);
      const data = async (body: unknown) => (await queue.queue.getJob(jobIdOf(deliveryKey(body))))?.data;
      expect((await data(reconciled))?.source).toBe("reconciliation");
      expect((await data(replayed))?.source).toBe("replay");
      expect(await data(delivered)).toEqual({ body: JSON.stringify(delivered), key: deliveryKey(delivered) });

      const seen = new Map<string, HandlerContext["source"]>();
      t.worker(queue, {
        onBookingUpdate: ({ booking }, context) => void seen.set(booking.uuid, context.source),
      });
      await waitFor(() => seen.size === 3, "the three jobs");
      expect(seen).toEqual(
        new Map([
          [reconciled.booking.uuid, "reconciliation"],
          [replayed.booking.uuid, "replay"],
          [delivered.booking.uuid, "webhook"],
        ]),
      );
    });
  }

  it("the same reconciled booking twice runs the handlers once: the worker's stale guard finds it unchanged", async () => {
    // no dedupe and no completed jobs kept: the second identical body becomes a job of its own
    const queue = t.queue({ dedupe: false, keepCompleted: 0 });
    const webhooks = queue.receiver({ auth });
    const handled: string[] = [];
    const worker = t.worker(queue, {
      staleGuard: true,
      onBookingUpdate: ({ booking }, { source }) => void handled.push(`${booking.status}:${source}`),
    });
    const results: OctoJobResult[] = [];
    worker.worker.on("completed", (_job, result) => void results.push(result));
    const body = { booking: bookingUpdate({ seed: "reconciled-twice" }).booking };
    await webhooks.receive(body, { source: "reconciliation" });
    await waitFor(() => results.length === 1, "the first job");
    await webhooks.receive(body, { source: "reconciliation" });
    await waitFor(() => results.length === 2, "the second job");
    // and then the supplier's own (late) webhook of that same booking: another body, the same booking
    await webhooks.receive(bookingUpdate({ seed: "reconciled-twice" }));
    await waitFor(() => results.length === 3, "the webhook's job");
    expect(results).toEqual([
      { event: "booking_update", handlers: 1 },
      { event: "booking_update", handlers: 0, skipped: "unchanged" },
      { event: "booking_update", handlers: 0, skipped: "unchanged" },
    ]);
    expect(handled).toEqual(["CONFIRMED:reconciliation"]);
  });

  it("a reconciled amendment (no diff) fires booking.amended from the status the worker last applied", async () => {
    const queue = t.queue();
    const webhooks = queue.receiver({ auth });
    const events: string[] = [];
    t.worker(queue, {
      staleGuard: true,
      concurrency: 1,
      onBookingConfirmed: (_payload, { source }) => void events.push(`booking.confirmed:${source}`),
      onBookingAmended: (_payload, { source }) => void events.push(`booking.amended:${source}`),
      onBookingCancelled: (_payload, { source }) => void events.push(`booking.cancelled:${source}`),
    });
    const [, confirmed, amended] = bookingLifecycle({ seed: "reconciled-amendment" });
    await webhooks.receive({ booking: confirmed.booking }, { source: "reconciliation" });
    await waitFor(() => events.length === 1, "the confirmation");
    await webhooks.receive({ booking: amended.booking }, { source: "reconciliation" });
    await waitFor(() => events.length === 2, "the amendment");
    expect(events).toEqual(["booking.confirmed:reconciliation", "booking.amended:reconciliation"]);
  });
});
