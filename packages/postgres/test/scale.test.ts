// Exactly once at scale: 10,000 deliveries (and 1,000 duplicates of them) through three receivers behind
// Express, each with a pool of its own, and two workers: every delivery handled once, none lost, no dead letter.

import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { type BookingUpdateEvent, deliveryKey } from "@octo-webhooks/core";
import { octoWebhooks } from "@octo-webhooks/express";
import { closeServer, listen } from "@octo-webhooks/test-helpers";
import { bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import express from "express";
import { expect, it } from "vitest";
import { describeWithPostgres, waitFor } from "./helpers.ts";
import { auth, credentials, queueTests } from "./setup.ts";

const t = queueTests();
const BOOKINGS = 2000;
const UPDATES = 5;
const DUPLICATES = 1000;

describeWithPostgres("10,000 deliveries, 3 receivers, 2 workers", () => {
  it("handles every delivery exactly once: none lost, none twice, no dead letter", async () => {
    const first = t.queue();
    const queues = [first, t.queue({ name: first.name }), t.queue({ name: first.name })];
    const urls: string[] = [];
    for (const queue of queues) {
      const app = express();
      app.use(octoWebhooks({ path: "/webhooks/octo", webhooks: queue.receiver({ auth }) }));
      const server = createServer(app);
      const port = await listen(server);
      t.closeLater(() => closeServer(server));
      urls.push(`http://127.0.0.1:${port}/webhooks/octo`);
    }
    const handled = new Map<string, number>();
    const onBookingUpdate = (_: BookingUpdateEvent, { deliveryKey: key }: { deliveryKey: string }) =>
      void handled.set(key, (handled.get(key) ?? 0) + 1);
    t.worker(first, { onBookingUpdate });
    t.worker(first, { onBookingUpdate });

    const bodies = Array.from({ length: BOOKINGS }, () => randomUUID()).flatMap((uuid) =>
      Array.from({ length: UPDATES }, (_, update) =>
        bookingUpdate({ seed: uuid, booking: { uuid, notes: String(update) } }),
      ),
    );
    // a supplier's retries: some deliveries again, to another receiver
    const sends = [...bodies, ...bodies.slice(0, DUPLICATES)];
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 48 }, async (_, lane) => {
        while (next < sends.length) {
          const i = next++;
          const answer = await sendWebhook(urls[(i + lane) % urls.length] as string, sends[i], credentials);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        }
      }),
    );
    expect(Object.fromEntries(statuses)).toEqual({ 200: sends.length });

    await waitFor(() => handled.size === bodies.length, "every delivery handled", 120_000);
    // a while longer: nothing more arrives
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(handled.size).toBe(bodies.length);
    for (const body of bodies) expect(handled.get(deliveryKey(body))).toBe(1);
    expect(await first.deadLetters()).toEqual([]);
    expect(await t.jobs(first)).toEqual([]);
  }, 300_000);
});
