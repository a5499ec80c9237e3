// The delivery log of a queue: its receivers log each acceptance, its workers each run of the handlers,
// in one PostgreSQL log; and replay from that log through the queue's receiver, dedupe honoured unless
// forced (a forced replay is a job of its own, which the worker runs with `force`).
import { deliveryKey, replayDeliveries } from "@octo-webhooks/core";
import { bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import { expect, it } from "vitest";
import { createPostgresLog, type PostgresLog } from "../src/index.ts";
import { describeWithPostgres, postgresUrl, testSchema, waitFor } from "./helpers.ts";
import { auth, credentials, queueTests } from "./setup.ts";

const t = queueTests();

/** A PostgreSQL log in a schema of its own (apart from the queue's), closed after the test. */
function sharedLog(): PostgresLog {
  const ns = testSchema();
  const log = createPostgresLog({ connection: postgresUrl, schema: ns.schema, logger: t.logger });
  t.closeLater(async () => {
    await log.close();
    await ns.cleanup();
  });
  return log;
}

/** Every entry of `log` (at most 10,000), oldest first. */
async function entriesOf(log: PostgresLog, filter?: Parameters<PostgresLog["list"]>[0]) {
  const found = [];
  let cursor: string | undefined;
  do {
    const page = await log.list(filter, { cursor, limit: 1000 });
    found.push(...page.entries);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return found.reverse();
}

describeWithPostgres("a queue's delivery log", () => {
  it("one PostgreSQL log: the receiver logs each acceptance (200 accepted, duplicate), the worker each run (handled, failed, stale)", async () => {
    const log = sharedLog();
    const queue = t.queue();
    const receiver = await t.receiver(queue, { auth, log });
    const newer = bookingUpdate({ seed: "logged", status: "CANCELLED" });
    const older = bookingUpdate({ seed: "logged", status: "CONFIRMED" });
    expect((await sendWebhook(receiver.url, newer, credentials)).status).toBe(200);
    const key = deliveryKey(newer);
    // the acceptance is logged once answered: the worker starts after it, so that it is attempt 1
    await waitFor(async () => (await entriesOf(log)).length === 1, "the acceptance logged");
    let failures = 1;
    t.worker(queue, {
      log,
      staleGuard: true,
      onBookingUpdate: () => {
        if (failures-- > 0) throw new Error("CRM down");
      },
    });
    // graphile-worker retries after e^1 s
    await waitFor(
      async () => (await entriesOf(log, { deliveryKey: key })).some((e) => e.outcome === "handled"),
      "the retried run logged",
      15_000,
    );
    expect((await sendWebhook(receiver.url, newer, credentials)).json()).toEqual({
      ok: true,
      duplicate: true,
    });
    expect((await sendWebhook(receiver.url, older, credentials)).status).toBe(200);
    await waitFor(
      async () => (await entriesOf(log, { deliveryKey: deliveryKey(older) })).length === 2,
      "the older update's run logged",
    );
    await waitFor(
      async () => (await entriesOf(log, { deliveryKey: key })).length === 4,
      "the duplicate logged",
    );
    const entries = await entriesOf(log, { deliveryKey: key });
    expect(entries.map((e) => [e.attempt, e.status, e.outcome, e.source])).toEqual([
      [1, 200, "accepted", "webhook"],
      [2, undefined, "failed", "webhook"],
      [3, undefined, "handled", "webhook"],
      [4, 200, "duplicate", "webhook"],
    ]);
    expect(entries[1]?.handlers).toMatchObject([{ event: "booking_update", ok: false, error: "CRM down" }]);
    expect(
      entries.every((e) => e.resourceId === newer.booking.uuid && e.body === JSON.stringify(newer)),
    ).toBe(true);
    expect(
      (await entriesOf(log, { deliveryKey: deliveryKey(older) })).map((e) => [e.status, e.outcome]),
    ).toEqual([
      [200, "accepted"],
      [undefined, "stale"],
    ]);
  });

  it("replays 300 logged deliveries by time range through the queue's receiver: dedupe honoured (none applied again), force applies each once more", async () => {
    const log = sharedLog();
    const queue = t.queue();
    const receiver = await t.receiver(queue, { auth, log });
    const effects = new Map<string, number>();
    const sources = new Map<string, number>();
    t.worker(queue, {
      log,
      concurrency: 16,
      onBookingUpdate: ({ booking }, { source }) => {
        effects.set(booking.uuid, (effects.get(booking.uuid) ?? 0) + 1);
        sources.set(source, (sources.get(source) ?? 0) + 1);
      },
    });
    const since = new Date().toISOString();
    const bodies = Array.from({ length: 300 }, (_, i) => bookingUpdate({ seed: `replay-${i}` }));
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++];
          expect((await sendWebhook(receiver.url, body, credentials)).status).toBe(200);
        }
      }),
    );
    const applied = (times: number) =>
      effects.size === bodies.length && [...effects.values()].every((count) => count === times);
    await waitFor(() => applied(1), "300 deliveries applied once", 30_000);
    // each acceptance and each run logged: 600 entries
    await waitFor(async () => (await entriesOf(log)).length === 600, "every entry kept");
    const until = new Date().toISOString();

    const replaying = queue.receiver({ auth, log });
    const honoured = await replayDeliveries({ log, receiver: replaying, filter: { since, until } });
    expect(honoured).toEqual({ found: 300, applied: 0, skipped: 300, failed: 0, withoutBody: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(applied(1)).toBe(true);
    expect(await t.jobs(queue)).toEqual([]);

    const forced = await replayDeliveries({
      log,
      receiver: replaying,
      filter: { since, until },
      force: true,
    });
    expect(forced).toEqual({ found: 300, applied: 300, skipped: 0, failed: 0, withoutBody: 0 });
    await waitFor(() => applied(2), "each delivery applied once more", 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(applied(2)).toBe(true);
    expect(sources.get("replay")).toBe(300);
    // each replay logged as one (`receive()`: no status): the duplicates, the forced acceptances, and
    // the worker's runs of them
    await waitFor(
      async () =>
        (await entriesOf(log, { since: until })).filter((e) => e.source === "replay").length === 900,
      "every replay logged",
    );
    const replays = (await entriesOf(log, { since: until })).filter((e) => e.source === "replay");
    const outcomes = new Map<string, number>();
    for (const e of replays)
      outcomes.set(`${e.status} ${e.outcome}`, (outcomes.get(`${e.status} ${e.outcome}`) ?? 0) + 1);
    expect(Object.fromEntries(outcomes)).toEqual({
      "undefined duplicate": 300,
      "undefined accepted": 300,
      "undefined handled": 300,
    });
  }, 90_000);
});
