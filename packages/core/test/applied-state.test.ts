// What the stale guard remembers it applied (instant, content hash, status), so that a resource read
// back from the supplier's API (reconciliation) or hydrated from a notification reaches handlers only
// when it changed, with the lifecycle event of the change, and so that the receiver can list it.
import { describe, expect, it } from "vitest";
import { createMemoryStore, createOctoWebhooks, type HandlerContext } from "../src/index.ts";

const booking = (status: string, at: string, extra: Record<string, unknown> = {}) => ({
  uuid: "b-1",
  status,
  utcUpdatedAt: at,
  ...extra,
});

function receiver(options: Parameters<typeof createOctoWebhooks>[0] = {}) {
  const calls: Array<[string, string | undefined, HandlerContext["source"]]> = [];
  const webhooks = createOctoWebhooks({
    logger: {},
    staleGuard: true,
    onBookingUpdate: ({ booking }, context) =>
      void calls.push(["update", booking.status ?? undefined, context.source]),
    onBookingConfirmed: () => void calls.push(["booking.confirmed", undefined, "webhook"]),
    onBookingAmended: () => void calls.push(["booking.amended", undefined, "webhook"]),
    onBookingCancelled: () => void calls.push(["booking.cancelled", undefined, "webhook"]),
    ...options,
  });
  const reconcile = (resource: Record<string, unknown>) =>
    webhooks.receive({ booking: resource }, { source: "reconciliation" });
  return { webhooks, calls, reconcile };
}

describe("the stale guard remembers what it applied", () => {
  it("a second reconciliation with nothing changed at the supplier reaches no handler (unchanged)", async () => {
    const { calls, reconcile } = receiver();
    expect(await reconcile(booking("CONFIRMED", "2026-03-01T10:00:00Z"))).toMatchObject({ handlers: 2 });
    const again = await reconcile(booking("CONFIRMED", "2026-03-01T10:00:00Z"));
    expect(again).toEqual({ event: "booking_update", handlers: 0, skipped: "unchanged" });
    expect(calls).toEqual([
      ["update", "CONFIRMED", "reconciliation"],
      ["booking.confirmed", undefined, "webhook"],
    ]);
  });

  it("the same instant with other content still runs (timestamps can be second-resolution)", async () => {
    const { calls, reconcile } = receiver();
    await reconcile(booking("CONFIRMED", "2026-03-01T10:00:00Z", { notes: "a" }));
    await reconcile(booking("CONFIRMED", "2026-03-01T10:00:00Z", { notes: "b" }));
    expect(calls.filter(([name]) => name === "update")).toHaveLength(2);
  });

  it("a reconciled cancellation, then the supplier's own late webhook of it: handlers run once", async () => {
    const { webhooks, calls, reconcile } = receiver();
    await reconcile(booking("CONFIRMED", "2026-03-01T10:00:00Z"));
    const cancelled = booking("CANCELLED", "2026-03-01T12:00:00Z", { cancellation: { reason: "weather" } });
    expect(await reconcile(cancelled)).toMatchObject({ handlers: 2 });
    const late = await webhooks.receive({
      webhook: { event: "booking_update" },
      booking: cancelled,
      diff: [{ op: "replace", path: "/status", was: "CONFIRMED", value: "CANCELLED" }],
    });
    expect(late.skipped).toBe("unchanged");
    expect(calls.filter(([name]) => name === "booking.cancelled")).toHaveLength(1);
  });

  it("a reconciled amendment (no diff, still CONFIRMED, newer) fires booking.amended, not booking.confirmed again", async () => {
    const { calls, reconcile } = receiver();
    await reconcile(booking("CONFIRMED", "2026-03-01T10:00:00Z", { notes: "" }));
    await reconcile(booking("CONFIRMED", "2026-03-01T11:00:00Z", { notes: "window seat" }));
    expect(calls.map(([name]) => name)).toEqual(["update", "booking.confirmed", "update", "booking.amended"]);
  });

  it("a notified booking, hydrated twice with a change between, fires booking.confirmed then booking.amended", async () => {
    let current = booking("CONFIRMED", "2026-03-01T10:00:00Z");
    const { webhooks, calls } = receiver({ hydrate: async () => current });
    await webhooks.receive({ type: "BOOKING_UPDATE", data: { uuid: "b-1" } });
    current = booking("CONFIRMED", "2026-03-01T10:30:00Z", { notes: "changed" });
    await webhooks.receive({ type: "BOOKING_UPDATE", data: { uuid: "b-1" } });
    expect(calls.map(([name]) => name)).toEqual(["update", "booking.confirmed", "update", "booking.amended"]);
  });

  it("a product without utcUpdatedAt is compared by content: the same product again is unchanged, another runs", async () => {
    let handled = 0;
    const webhooks = createOctoWebhooks({
      logger: {},
      staleGuard: true,
      onProductUpdate: () => void handled++,
    });
    const product = { id: "p-1", internalName: "Harbour tour" };
    await webhooks.receive({ product }, { source: "reconciliation" });
    expect((await webhooks.receive({ product }, { source: "reconciliation" })).skipped).toBe("unchanged");
    await webhooks.receive({ product: { ...product, internalName: "Harbour tour (new)" } });
    expect(handled).toBe(2);
  });

  it("handlers that fail leave no trace: the retry of the same body runs (not unchanged)", async () => {
    let fail = true;
    const webhooks = createOctoWebhooks({
      logger: {},
      staleGuard: true,
      onBookingUpdate: () => {
        if (fail) throw new Error("database down");
      },
    });
    const body = { booking: booking("CONFIRMED", "2026-03-01T10:00:00Z") };
    await expect(webhooks.receive(body)).rejects.toMatchObject({ code: "HANDLER_FAILED" });
    fail = false;
    expect(await webhooks.receive(body)).toMatchObject({ handlers: 1 });
    expect((await webhooks.receive(body)).skipped).toBe("unchanged");
  });

  it("remembered() lists each booking applied with its instant and status, per supplier", async () => {
    const store = createMemoryStore();
    const webhooks = createOctoWebhooks({ logger: {}, staleGuard: true, store });
    await webhooks.receive({ booking: booking("CONFIRMED", "2026-03-01T10:00:00Z") });
    await webhooks.receive({ booking: { ...booking("CANCELLED", "2026-03-02T10:00:00Z"), uuid: "b-2" } });
    await webhooks.receive(
      { booking: { ...booking("CONFIRMED", "2026-03-03T10:00:00Z"), uuid: "p-1" } },
      { supplier: "peek" },
    );
    await webhooks.receive({
      booking: { uuid: "x".repeat(300), status: "ON_HOLD", utcUpdatedAt: "2026-03-04T10:00:00Z" },
    });
    const own = [];
    for await (const resource of webhooks.remembered("booking")) own.push(resource);
    expect(own.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: "b-1", updatedAt: "2026-03-01T10:00:00.000Z", status: "CONFIRMED" },
      { id: "b-2", updatedAt: "2026-03-02T10:00:00.000Z", status: "CANCELLED" },
      { id: "x".repeat(300), updatedAt: "2026-03-04T10:00:00.000Z", status: "ON_HOLD" },
    ]);
    const peek = [];
    for await (const resource of webhooks.remembered("booking", { supplier: "peek" })) peek.push(resource.id);
    expect(peek).toEqual(["p-1"]);
  });

  it("remembered() without staleGuard says what it needs", async () => {
    const webhooks = createOctoWebhooks({ logger: {} });
    await expect(async () => {
      for await (const _ of webhooks.remembered("booking")) break;
    }).rejects.toThrow(/needs `staleGuard`/);
  });

  it("lastDelivery() says when a supplier's last delivery was answered 2xx", async () => {
    const webhooks = createOctoWebhooks({ logger: {}, auth: "none" });
    expect(webhooks.lastDelivery()).toBeUndefined();
    const before = Date.now();
    await webhooks.handle({
      method: "POST",
      body: JSON.stringify({ booking: booking("CONFIRMED", "2026-03-01T10:00:00Z") }),
    });
    expect(webhooks.lastDelivery()?.getTime()).toBeGreaterThanOrEqual(before);
    await webhooks.handle({ method: "GET", body: "" });
    expect(webhooks.lastDelivery("peek")).toBeUndefined();
  });
});
