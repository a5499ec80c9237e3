import { describe, expect, it } from "vitest";
import { quirkFixtures } from "../../../fixtures/index.ts";
import {
  BOOKING_LIFECYCLE_EVENTS,
  type BookingLifecycleEvent,
  createOctoWebhooks,
  ORDER_LIFECYCLE_EVENTS,
  ORDER_STATUS_EVENTS,
  type OrderLifecycleEvent,
  orderLifecycleEvent,
} from "../src/index.ts";
import { post } from "./helpers.ts";

const booking = (uuid: string, status: string) => ({ uuid, status, productId: "p", unitItems: [] });
const orderBody = (
  order: Record<string, unknown>,
  diff?: unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  webhook: { id: "w", event: "order_update", url: null, capabilities: ["octo/cart"] },
  order: { id: "o-1", status: "CONFIRMED", bookings: [], ...order },
  ...(diff === undefined ? {} : { diff }),
  ...extra,
});
const change = (path: string, was: unknown, value: unknown) => ({ op: "replace", path, was, value });

/** Sends one body to a receiver listening to every order and booking lifecycle event; returns what fired. */
async function fired(body: Record<string, unknown>): Promise<string[]> {
  const seen: string[] = [];
  const webhooks = createOctoWebhooks({ onOrderUpdate: () => void seen.push("order_update") });
  for (const event of Object.keys(ORDER_LIFECYCLE_EVENTS)) {
    webhooks.on(event as OrderLifecycleEvent, ({ order }, context) => {
      expect(context.event).toBe("order_update");
      expect(context.lifecycle).toBe(event);
      expect(order.id).toBe("o-1");
      seen.push(event);
    });
  }
  for (const event of Object.keys(BOOKING_LIFECYCLE_EVENTS)) {
    webhooks.on(event as BookingLifecycleEvent, ({ booking }, context) => {
      expect(context.event).toBe("order_update");
      expect(context.lifecycle).toBe(event);
      expect(context.order?.id).toBe("o-1");
      seen.push(`${event} ${booking.uuid}`);
    });
  }
  const response = await webhooks.handle(post(body));
  expect(response.status, response.body).toBe(200);
  return seen;
}

const STATUSES = Object.entries(ORDER_STATUS_EVENTS);

describe("order lifecycle events: the README table, row by row", () => {
  it.each(STATUSES)("no diff: an order %s fires %s (the state it is in)", async (status, event) => {
    expect(await fired(orderBody({ status }))).toEqual(["order_update", event]);
  });

  it.each(STATUSES)("a /status change to %s fires %s", async (status, event) => {
    expect(await fired(orderBody({ status }, [change("/status", "ON_HOLD", status)]))).toEqual(
      status === "ON_HOLD" ? ["order_update"] : ["order_update", event],
    );
  });

  it("another change to a CONFIRMED order fires order.amended", async () => {
    const diff = [change("/contact/firstName", "Ada", "Grace")];
    expect(await fired(orderBody({ status: "CONFIRMED" }, diff))).toEqual(["order_update", "order.amended"]);
  });

  it("another change to an order that is not CONFIRMED fires nothing", async () => {
    const diff = [change("/contact/firstName", "Ada", "Grace")];
    expect(await fired(orderBody({ status: "ON_HOLD" }, diff))).toEqual(["order_update"]);
  });

  it("a status outside the table fires nothing, with or without diff", async () => {
    expect(await fired(orderBody({ status: "ARCHIVED" }))).toEqual(["order_update"]);
    expect(
      await fired(orderBody({ status: "ARCHIVED" }, [change("/status", "CONFIRMED", "ARCHIVED")])),
    ).toEqual(["order_update"]);
  });

  it("orderLifecycleEvent is the same table as a function", () => {
    expect(
      orderLifecycleEvent({ order: { status: "EXPIRED" }, diff: [change("/status", "ON_HOLD", "EXPIRED")] }),
    ).toBe("order.expired");
    expect(
      orderLifecycleEvent({ order: { status: "CONFIRMED" }, diff: [change("/bookings/0/notes", "a", "b")] }),
    ).toBe("order.amended");
  });
});

describe("an order's bookings fire their booking lifecycle events, once each", () => {
  it("no diff: each booking fires the event of its status", async () => {
    const bookings = [booking("b-1", "CONFIRMED"), booking("b-2", "CANCELLED")];
    expect(await fired(orderBody({ bookings }))).toEqual([
      "order_update",
      "order.confirmed",
      "booking.confirmed b-1",
      "booking.cancelled b-2",
    ]);
  });

  it("a /bookings/<i>/status change fires that booking's event only", async () => {
    const bookings = [booking("b-1", "CONFIRMED"), booking("b-2", "CANCELLED")];
    const diff = [change("/bookings/1/status", "CONFIRMED", "CANCELLED")];
    expect(await fired(orderBody({ bookings }, diff))).toEqual([
      "order_update",
      "order.amended",
      "booking.cancelled b-2",
    ]);
  });

  it("a booking added to the order (op add at /bookings/<i>) fires its status event", async () => {
    const bookings = [booking("b-1", "CONFIRMED"), booking("b-2", "ON_HOLD")];
    const diff = [{ op: "add", path: "/bookings/1", value: booking("b-2", "ON_HOLD") }];
    expect(await fired(orderBody({ status: "ON_HOLD", bookings }, diff))).toEqual([
      "order_update",
      "booking.on_hold b-2",
    ]);
  });

  it("a whole booking replaced compares the old status with the new one", async () => {
    const bookings = [booking("b-1", "CANCELLED")];
    const same = [
      { op: "replace", path: "/bookings/0", was: booking("b-1", "CANCELLED"), value: bookings[0] },
    ];
    const changed = [
      { op: "replace", path: "/bookings/0", was: booking("b-1", "CONFIRMED"), value: bookings[0] },
    ];
    expect(await fired(orderBody({ status: "CANCELLED", bookings }, same))).toEqual(["order_update"]);
    expect(await fired(orderBody({ status: "CANCELLED", bookings }, changed))).toEqual([
      "order_update",
      "booking.cancelled b-1",
    ]);
  });

  it("another change to a CONFIRMED booking of the order fires booking.amended for it", async () => {
    const bookings = [booking("b-1", "CONFIRMED"), booking("b-2", "CONFIRMED")];
    const diff = [change("/bookings/0/notes", null, "window seat")];
    expect(await fired(orderBody({ bookings }, diff))).toEqual([
      "order_update",
      "order.amended",
      "booking.amended b-1",
    ]);
  });

  it("the order's status change fires the bookings now in that status that the diff does not mention", async () => {
    const bookings = [booking("b-1", "CONFIRMED"), booking("b-2", "CANCELLED")];
    const diff = [change("/status", "ON_HOLD", "CONFIRMED")];
    expect(await fired(orderBody({ bookings }, diff))).toEqual([
      "order_update",
      "order.confirmed",
      "booking.confirmed b-1",
    ]);
  });

  it("a booking the diff does not mention fires nothing when the order's status did not change", async () => {
    const bookings = [booking("b-1", "CONFIRMED")];
    expect(await fired(orderBody({ bookings }, [change("/pricing/retail", 1, 2)]))).toEqual([
      "order_update",
      "order.amended",
    ]);
  });

  it("a removed booking (op remove, its body in `was`) fires nothing", async () => {
    const bookings = [booking("b-2", "CONFIRMED")];
    const diff = [{ op: "remove", path: "/bookings/0", was: booking("b-1", "ON_HOLD") }];
    expect(await fired(orderBody({ bookings }, diff))).toEqual(["order_update", "order.amended"]);
  });

  it("a booking handler gets the booking with its own part of the diff, the webhook, the supplier and the order", async () => {
    const seen: unknown[] = [];
    const webhooks = createOctoWebhooks({
      onBookingCancelled: (payload, context) => void seen.push(payload, context.order, context.lifecycle),
    });
    const bookings = [booking("b-1", "CONFIRMED"), booking("b-2", "CANCELLED")];
    const diff = [
      change("/bookings/1/status", "CONFIRMED", "CANCELLED"),
      change("/bookings/0/notes", "a", "b"),
    ];
    const body = orderBody({ bookings }, diff, { supplier: { id: "s-1" } });
    await webhooks.handle(post(body));
    expect(seen).toEqual([
      {
        webhook: body.webhook,
        booking: bookings[1],
        diff: [change("/status", "CONFIRMED", "CANCELLED")],
        supplier: { id: "s-1" },
      },
      body.order,
      "booking.cancelled",
    ]);
  });

  it("the Ventrata-style fixture fires booking.confirmed and booking.cancelled exactly once; a retry fires nothing with dedupe", async () => {
    const fixture = quirkFixtures().find((f) => f.name === "order-update")!;
    const seen: string[] = [];
    const webhooks = createOctoWebhooks({
      dedupe: true,
      onBookingConfirmed: ({ booking }) => void seen.push(`confirmed ${booking.supplierReference}`),
      onBookingCancelled: ({ booking }) => void seen.push(`cancelled ${booking.supplierReference}`),
      onOrderConfirmed: ({ order }) => void seen.push(`order ${order.supplierReference}`),
      onAny: (_p, context) => void seen.push(`any ${context.lifecycle}`),
    });
    await webhooks.handle(post(fixture.body));
    await webhooks.handle(post(fixture.body));
    expect(seen).toEqual(["order HLO4F1C2", "confirmed HLC7Q2", "cancelled HLD3K8", "any order.confirmed"]);
  });

  it("a booking_update handler is not run for an order's bookings", async () => {
    const seen: string[] = [];
    const webhooks = createOctoWebhooks({ onBookingUpdate: () => void seen.push("booking_update") });
    await webhooks.handle(post(orderBody({ bookings: [booking("b-1", "CONFIRMED")] })));
    expect(seen).toEqual([]);
  });
});
