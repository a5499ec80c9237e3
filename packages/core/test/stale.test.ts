import { describe, expect, it } from "vitest";
import { type BookingUpdateEvent, createOctoWebhooks } from "../src/index.ts";
import { bookingBody, capturingLogger, post } from "./helpers.ts";

const update = (utcUpdatedAt: unknown, extra: Record<string, unknown> = {}) =>
  bookingBody({ utcUpdatedAt, ...extra });

/** A receiver with the stale guard on; `applied` lists the utcUpdatedAt of each dispatched update. */
function receiver(options: Parameters<typeof createOctoWebhooks>[0] = {}) {
  const applied: unknown[] = [];
  const stale: unknown[] = [];
  const webhooks = createOctoWebhooks({
    staleGuard: true,
    logger: {},
    onBookingUpdate: ({ booking }) => void applied.push(booking.utcUpdatedAt),
    onStale: (payload, context) =>
      void stale.push([
        (payload as BookingUpdateEvent).booking.uuid,
        context.updatedAt,
        context.newestUpdatedAt,
        context.event,
      ]),
    ...options,
  });
  return { webhooks, applied, stale };
}

describe("staleGuard", () => {
  it("is off by default: an older update is dispatched", async () => {
    const applied: unknown[] = [];
    const webhooks = createOctoWebhooks({
      onBookingUpdate: ({ booking }) => void applied.push(booking.utcUpdatedAt),
    });
    await webhooks.handle(post(update("2026-11-20T10:00:00Z")));
    await webhooks.handle(post(update("2026-11-20T09:00:00Z")));
    expect(applied).toHaveLength(2);
  });

  it("acknowledges an update older than the newest processed without dispatching it; onStale sees it", async () => {
    const { webhooks, applied, stale } = receiver();
    expect(
      (await webhooks.handle(post(update("2026-11-20T10:00:00Z", { status: "CANCELLED" })))).status,
    ).toBe(200);
    const late = await webhooks.handle(post(update("2026-11-20T09:00:00Z", { status: "CONFIRMED" })));
    expect(late).toMatchObject({ status: 200, body: '{"ok":true,"stale":true}' });
    expect(applied).toEqual(["2026-11-20T10:00:00Z"]);
    expect(stale).toEqual([
      ["b-1", "2026-11-20T09:00:00.000Z", "2026-11-20T10:00:00.000Z", "booking_update"],
    ]);
  });

  it("compares instants, not strings: offsets and the space-separated form", async () => {
    const { webhooks, applied } = receiver();
    await webhooks.handle(post(update("2026-11-20 10:00:00Z")));
    // 10:30+01:00 is 09:30Z: older, although it sorts after as a string
    await webhooks.handle(post(update("2026-11-20T10:30:00+01:00")));
    // 06:00-05:00 is 11:00Z: newer, although it sorts before as a string
    await webhooks.handle(post(update("2026-11-20T06:00:00-05:00")));
    expect(applied).toEqual(["2026-11-20 10:00:00Z", "2026-11-20T06:00:00-05:00"]);
  });

  it("an equal utcUpdatedAt is not stale (a retry of the same update, or a second change in the same second)", async () => {
    const { webhooks, applied } = receiver();
    await webhooks.handle(post(update("2026-11-20T10:00:00Z", { status: "CONFIRMED" })));
    await webhooks.handle(post(update("2026-11-20T10:00:00Z", { status: "CANCELLED" })));
    expect(applied).toHaveLength(2);
  });

  it("never drops a delivery whose utcUpdatedAt is missing, null or unreadable", async () => {
    const { webhooks, applied, stale } = receiver();
    await webhooks.handle(post(update("2026-11-20T10:00:00Z")));
    for (const value of [undefined, null, "last tuesday", "2026-11-20T09:00:00+99:00"]) {
      expect((await webhooks.handle(post(update(value)))).body).toBe('{"ok":true}');
    }
    expect(applied).toHaveLength(5);
    expect(stale).toEqual([]);
  });

  it("keeps one newest instant per booking uuid", async () => {
    const { webhooks, applied } = receiver();
    await webhooks.handle(post(update("2026-11-20T10:00:00Z", { uuid: "b-1" })));
    await webhooks.handle(post(update("2026-11-20T09:00:00Z", { uuid: "b-2" })));
    expect(applied).toHaveLength(2);
  });

  it("applies to booking_update only", async () => {
    const { webhooks } = receiver();
    let availability = 0;
    webhooks.onAvailabilityUpdate(() => void availability++);
    await webhooks.handle(post({ availability: { id: "a", utcUpdatedAt: "2026-11-20T10:00:00Z" } }));
    await webhooks.handle(post({ availability: { id: "a", utcUpdatedAt: "2026-11-20T09:00:00Z" } }));
    expect(availability).toBe(2);
  });

  it("with dedupe, a stale delivery is completed: its retry is a duplicate", async () => {
    const { webhooks, applied } = receiver({ dedupe: true });
    await webhooks.handle(post(update("2026-11-20T10:00:00Z")));
    const older = update("2026-11-20T09:00:00Z");
    expect((await webhooks.handle(post(older))).body).toBe('{"ok":true,"stale":true}');
    expect((await webhooks.handle(post(older))).body).toBe('{"ok":true,"duplicate":true}');
    expect(applied).toEqual(["2026-11-20T10:00:00Z"]);
  });

  it("the retry of a failed update still runs after it was recorded as the newest", async () => {
    let attempts = 0;
    const { webhooks } = receiver({
      dedupe: true,
      onBookingUpdate: () => {
        attempts++;
        if (attempts === 1) throw new Error("flaky");
      },
    });
    expect((await webhooks.handle(post(update("2026-11-20T10:00:00Z")))).status).toBe(500);
    expect((await webhooks.handle(post(update("2026-11-20T10:00:00Z")))).status).toBe(200);
    expect(attempts).toBe(2);
  });

  it("reads a store's answer given as a string (as Redis gives it)", async () => {
    let newest: string | null = null;
    const { webhooks, applied, stale } = receiver({
      store: {
        claim: () => "claimed",
        complete: () => {},
        release: () => {},
        recordNewest: async (_key, instant) => {
          const before = newest;
          if (before === null || instant > Number(before)) newest = String(instant);
          return before as unknown as number | undefined;
        },
      },
    });
    await webhooks.handle(post(update("2026-11-20T10:00:00Z")));
    await webhooks.handle(post(update("2026-11-20T09:00:00Z")));
    expect(applied).toEqual(["2026-11-20T10:00:00Z"]);
    expect(stale).toHaveLength(1);
  });

  it("a store that fails answers 503 and runs nothing", async () => {
    const logger = capturingLogger();
    let calls = 0;
    const webhooks = createOctoWebhooks({
      staleGuard: true,
      logger,
      store: {
        claim: () => "claimed",
        complete: () => {},
        release: () => {},
        recordNewest: () => Promise.reject(new Error("READONLY")),
      },
      onBookingUpdate: () => void calls++,
    });
    const response = await webhooks.handle(post(update("2026-11-20T10:00:00Z")));
    expect(response.status).toBe(503);
    expect(calls).toBe(0);
  });

  it("receive() says a delivery was skipped as stale", async () => {
    const { webhooks } = receiver();
    await webhooks.receive(update("2026-11-20T10:00:00Z"));
    expect(await webhooks.receive(update("2026-11-20T09:00:00Z"))).toEqual({
      event: "booking_update",
      handlers: 0,
      skipped: "stale",
    });
  });
});

describe("staleGuard on orders and products", () => {
  const order = (id: string, utcUpdatedAt: unknown) => ({
    webhook: { event: "order_update" },
    order: { id, status: "CONFIRMED", utcUpdatedAt, bookings: [{ uuid: "b-1", status: "CONFIRMED" }] },
  });
  const product = (id: string, utcUpdatedAt?: unknown) => ({
    webhook: { event: "product_update" },
    product: {
      id,
      internalName: String(utcUpdatedAt),
      ...(utcUpdatedAt === undefined ? {} : { utcUpdatedAt }),
    },
  });

  it("an older order_update of the same order is stale: no order or booking handler runs, onStale sees it", async () => {
    const applied: unknown[] = [];
    const stale: unknown[] = [];
    const webhooks = createOctoWebhooks({
      staleGuard: true,
      logger: {},
      onOrderUpdate: ({ order }) => void applied.push(order.utcUpdatedAt),
      onBookingConfirmed: () => void applied.push("booking"),
      onStale: (_payload, context) =>
        void stale.push([context.event, context.updatedAt, context.newestUpdatedAt]),
    });
    await webhooks.handle(post(order("o-1", "2026-11-30T09:12:44Z")));
    const answer = await webhooks.handle(post(order("o-1", "2026-11-30T09:00:00Z")));
    await webhooks.handle(post(order("o-2", "2026-11-30T08:00:00Z")));
    expect(answer).toMatchObject({ status: 200, body: '{"ok":true,"stale":true}' });
    expect(applied).toEqual(["2026-11-30T09:12:44Z", "booking", "2026-11-30T08:00:00Z", "booking"]);
    expect(stale).toEqual([["order_update", "2026-11-30T09:00:00.000Z", "2026-11-30T09:12:44.000Z"]]);
  });

  it("a product_update is checked by product.utcUpdatedAt when the sender adds one, and always runs without", async () => {
    const applied: unknown[] = [];
    const webhooks = createOctoWebhooks({
      staleGuard: true,
      logger: {},
      onProductUpdate: ({ product }) => void applied.push(product.internalName),
    });
    await webhooks.handle(post(product("p-1", "2026-11-30T10:00:00Z")));
    await webhooks.handle(post(product("p-1", "2026-11-30T09:00:00Z")));
    await webhooks.handle(post(product("p-1")));
    await webhooks.handle(post(product("p-1")));
    expect(applied).toEqual(["2026-11-30T10:00:00Z", "undefined", "undefined"]);
  });

  it("orders, products and bookings with the same id never make each other stale", async () => {
    const applied: string[] = [];
    const webhooks = createOctoWebhooks({
      staleGuard: true,
      logger: {},
      onAny: (_p, context) => void applied.push(context.event),
    });
    await webhooks.handle(post(order("x", "2026-11-30T10:00:00Z")));
    await webhooks.handle(post(product("x", "2026-11-30T09:00:00Z")));
    await webhooks.handle(post(bookingBody({ uuid: "x", utcUpdatedAt: "2026-11-30T08:00:00Z" })));
    expect(applied).toEqual(["order_update", "product_update", "booking_update"]);
  });
});
