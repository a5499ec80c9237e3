// Per-resource ordering: the updates of one booking run one at a time and in the order they were
// accepted, different bookings in parallel; without ordering the same check fails (so it can).
import { randomUUID } from "node:crypto";
import type { BookingUpdateEvent } from "@octo-webhooks/core";
import { bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import { expect, it } from "vitest";
import type { PostgresQueue } from "../src/index.ts";
import { describeWithPostgres, sql, waitFor } from "./helpers.ts";
import { credentials, queueTests } from "./setup.ts";

const t = queueTests();
const BOOKINGS = 100;
const UPDATES = 20;

/** Sends every body, `inFlight` at a time, spread over the receivers' urls. */
async function sendAll(urls: string[], bodies: BookingUpdateEvent[], inFlight: number) {
  let next = 0;
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: inFlight }, async (_, lane) => {
      while (next < bodies.length) {
        const i = next++;
        const answer = await sendWebhook(urls[(i + lane) % urls.length] as string, bodies[i], credentials);
        statuses.push(answer.status);
      }
    }),
  );
  return statuses;
}

/**
 * 20 updates of each of 100 bookings, sent concurrently through two receivers while no worker runs;
 * then two workers (8 jobs at once each) handle them. Answers, per booking, the order the queue holds
 * its updates in (the order they were accepted) and the order the handlers saw them, and how many
 * times a booking's handler started while another call for it was running.
 */
async function runBookings(queue: PostgresQueue & { name: string }) {
  const receivers = [await t.receiver(queue), await t.receiver(queue)];
  const uuids = Array.from({ length: BOOKINGS }, () => randomUUID());
  // booking after booking, 64 requests in flight: a booking's updates arrive together, in any order
  const bodies = uuids.flatMap((uuid) =>
    Array.from({ length: UPDATES }, (_, update) =>
      bookingUpdate({ seed: uuid, booking: { uuid, notes: String(update) } }),
    ),
  );
  const statuses = await sendAll(
    receivers.map((receiver) => receiver.url),
    bodies,
    64,
  );
  expect(statuses.filter((status) => status === 200)).toHaveLength(BOOKINGS * UPDATES);

  // the order the queue accepted them in, per booking (graphile-worker runs a queue's jobs by run_at)
  const accepted = new Map<string, string[]>();
  const rows = await sql<{ payload: { body: string } }>(
    `select payload from "${t.ns.jobs}"._private_jobs
     where task_id = (select id from "${t.ns.jobs}"._private_tasks where identifier = $1) order by run_at, id`,
    [queue.name],
  );
  for (const { payload } of rows) {
    const { booking } = JSON.parse(payload.body) as BookingUpdateEvent;
    accepted.set(booking.uuid, [...(accepted.get(booking.uuid) ?? []), booking.notes ?? ""]);
  }

  const handled = new Map<string, string[]>();
  const active = new Map<string, number>();
  let overlaps = 0;
  let running = 0;
  let mostAtOnce = 0;
  let done = 0;
  const onBookingUpdate = async ({ booking }: BookingUpdateEvent) => {
    const now = (active.get(booking.uuid) ?? 0) + 1;
    active.set(booking.uuid, now);
    if (now > 1) overlaps++;
    mostAtOnce = Math.max(mostAtOnce, ++running);
    handled.set(booking.uuid, [...(handled.get(booking.uuid) ?? []), booking.notes ?? ""]);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
    active.set(booking.uuid, (active.get(booking.uuid) ?? 1) - 1);
    running--;
    done++;
  };
  const workers = [
    t.worker(queue, { onBookingUpdate, autorun: false }),
    t.worker(queue, { onBookingUpdate, autorun: false }),
  ];
  const started = Date.now();
  await Promise.all(workers.map((worker) => worker.run()));
  await waitFor(() => done === BOOKINGS * UPDATES, "every update handled", 120_000);
  return { accepted, handled, overlaps, mostAtOnce, ms: Date.now() - started };
}

describeWithPostgres("per-resource ordering", () => {
  it("runs each booking's updates one at a time in the order accepted, different bookings in parallel", async () => {
    const run = await runBookings(t.queue({ ordering: true }));
    expect(run.overlaps).toBe(0);
    expect(run.handled.size).toBe(BOOKINGS);
    for (const [uuid, order] of run.accepted) {
      expect(order).toHaveLength(UPDATES);
      expect(run.handled.get(uuid)).toEqual(order);
    }
    expect(run.mostAtOnce).toBeGreaterThan(1);
  }, 180_000);

  it("without ordering (the default), the same run overlaps or reorders a booking's updates", async () => {
    const run = await runBookings(t.queue());
    const reordered = [...run.accepted].filter(([uuid, order]) => {
      return JSON.stringify(run.handled.get(uuid)) !== JSON.stringify(order);
    });
    expect(run.overlaps + reordered.length).toBeGreaterThan(0);
  }, 180_000);
});
