import { describe, expect, it } from "vitest";
import { quirkFixtures } from "../../../fixtures/index.ts";
import {
  BOOKING_LIFECYCLE_EVENTS,
  BOOKING_STATUS_EVENTS,
  type BookingLifecycleEvent,
  bookingLifecycleEvent,
  createOctoWebhooks,
} from "../src/index.ts";
import { bookingBody, post } from "./helpers.ts";

const statusChange = (was: string | undefined, value: string) => [
  { op: "replace", path: "/status", was, value },
];
const otherChange = [{ op: "replace", path: "/contact/firstName", was: "Ada", value: "Grace" }];

/** Sends one body to a receiver listening to every lifecycle event; returns what fired, in order. */
async function fired(body: Record<string, unknown>): Promise<string[]> {
  const seen: string[] = [];
  const webhooks = createOctoWebhooks({ onBookingUpdate: () => void seen.push("booking_update") });
  for (const event of Object.keys(BOOKING_LIFECYCLE_EVENTS)) {
    webhooks.on(event as BookingLifecycleEvent, (_payload, context) => {
      expect(context.event).toBe("booking_update");
      expect(context.lifecycle).toBe(event);
      seen.push(event);
    });
  }
  expect((await webhooks.handle(post(body))).status).toBe(200);
  return seen;
}

const STATUSES = Object.entries(BOOKING_STATUS_EVENTS);

// One `describe` per row group of the README table "(diff, status) -> what fires".
describe("lifecycle events: the README table, row by row", () => {
  describe.each([
    ["absent", undefined],
    ["null", null],
    ["[]", []],
  ])("no diff (%s): the booking's status decides", (_name, diff) => {
    it.each(STATUSES)("%s fires %s", async (status, event) => {
      const body = { ...bookingBody({ status }), ...(diff === undefined ? {} : { diff }) };
      expect(await fired(body)).toEqual(["booking_update", event]);
    });

    it("a status outside the table, or none, fires nothing beyond booking_update", async () => {
      for (const booking of [{ status: "SOMETHING_NEW" }, { status: undefined }, { status: null }]) {
        const body = { ...bookingBody(booking), ...(diff === undefined ? {} : { diff }) };
        expect(await fired(body)).toEqual(["booking_update"]);
      }
    });
  });

  describe("a diff with a /status change: the new status decides", () => {
    it.each(STATUSES)("to %s fires %s", async (status, event) => {
      const was = status === "ON_HOLD" ? "PENDING" : "ON_HOLD";
      const body = { ...bookingBody({ status }), diff: [...otherChange, ...statusChange(was, status)] };
      expect(await fired(body)).toEqual(["booking_update", event]);
    });

    it("a change without `was` (op add) counts as a change", async () => {
      const body = {
        ...bookingBody({ status: "CONFIRMED" }),
        diff: [{ op: "add", path: "/status", value: "CONFIRMED" }],
      };
      expect(await fired(body)).toEqual(["booking_update", "booking.confirmed"]);
    });

    it("booking.status wins over a disagreeing diff value, so handlers see the status they fired for", async () => {
      const body = { ...bookingBody({ status: "CANCELLED" }), diff: statusChange("ON_HOLD", "CONFIRMED") };
      expect(await fired(body)).toEqual(["booking_update", "booking.cancelled"]);
    });

    it("without booking.status, the diff's value decides", async () => {
      const body = { ...bookingBody({ status: undefined }), diff: statusChange("ON_HOLD", "EXPIRED") };
      expect(await fired(body)).toEqual(["booking_update", "booking.expired"]);
    });

    it("a change to a status outside the table fires nothing beyond booking_update", async () => {
      const body = { ...bookingBody({ status: "WAITLISTED" }), diff: statusChange("ON_HOLD", "WAITLISTED") };
      expect(await fired(body)).toEqual(["booking_update"]);
    });
  });

  describe("a diff without a /status change", () => {
    it("CONFIRMED fires booking.amended", async () => {
      const body = { ...bookingBody({ status: "CONFIRMED" }), diff: otherChange };
      expect(await fired(body)).toEqual(["booking_update", "booking.amended"]);
    });

    it("a /status entry whose value equals its was is no change: CONFIRMED fires booking.amended", async () => {
      const body = {
        ...bookingBody({ status: "CONFIRMED" }),
        diff: statusChange("CONFIRMED", "CONFIRMED"),
      };
      expect(await fired(body)).toEqual(["booking_update", "booking.amended"]);
    });

    it.each([...STATUSES.map(([status]) => status).filter((s) => s !== "CONFIRMED"), "SOMETHING_NEW"])(
      "%s fires nothing beyond booking_update",
      async (status) => {
        const body = { ...bookingBody({ status }), diff: otherChange };
        expect(await fired(body)).toEqual(["booking_update"]);
      },
    );
  });
});

describe("lifecycle events", () => {
  it("bookingLifecycleEvent() is the same table, usable without a receiver (queues)", () => {
    expect(
      bookingLifecycleEvent({
        booking: { status: "CANCELLED" },
        diff: statusChange("CONFIRMED", "CANCELLED"),
      }),
    ).toBe("booking.cancelled");
    expect(bookingLifecycleEvent({ booking: { status: "CONFIRMED" }, diff: otherChange })).toBe(
      "booking.amended",
    );
    expect(bookingLifecycleEvent({ booking: { status: "ON_HOLD" }, diff: otherChange })).toBeUndefined();
    expect(bookingLifecycleEvent({ booking: { status: "EXPIRED" } })).toBe("booking.expired");
    expect(bookingLifecycleEvent({ booking: null })).toBeUndefined();
  });

  it("the fixtures fire what their story says", async () => {
    const byName = Object.fromEntries(quirkFixtures().map((f) => [f.name, f.body]));
    expect(await fired(byName["confirmed-with-diff"]!)).toEqual(["booking_update", "booking.confirmed"]);
    expect(await fired(byName["cancelled-null-cancellation"]!)).toEqual([
      "booking_update",
      "booking.cancelled",
    ]);
  });

  it("every lifecycle event has its option and method, which register for it", async () => {
    for (const [event, method] of Object.entries(BOOKING_LIFECYCLE_EVENTS)) {
      const seen: string[] = [];
      const webhooks = createOctoWebhooks({
        [method]: (_p: unknown, c: { lifecycle?: string }) => void seen.push(`option ${c.lifecycle}`),
      });
      const off = (webhooks[method] as (h: () => void) => () => void)(() => void seen.push("method"));
      const status = Object.entries(BOOKING_STATUS_EVENTS).find(([, e]) => e === event)?.[0];
      const body =
        event === "booking.amended"
          ? { ...bookingBody({ status: "CONFIRMED" }), diff: otherChange }
          : bookingBody({ status });
      await webhooks.handle(post(body));
      expect(seen.sort()).toEqual(["method", `option ${event}`]);
      off();
      await webhooks.handle(post(body));
      expect(seen).toHaveLength(3);
    }
  });

  it("lifecycle handlers run with the other handlers of the delivery, and a failure fails the delivery", async () => {
    const webhooks = createOctoWebhooks({
      logger: {},
      onBookingUpdate: () => {},
      onBookingCancelled: () => {
        throw new Error("seat release failed");
      },
    });
    expect((await webhooks.handle(post(bookingBody({ status: "CANCELLED" })))).status).toBe(500);
  });

  it("onAny runs once per delivery, not once per lifecycle event, and sees context.lifecycle", async () => {
    const seen: unknown[] = [];
    const webhooks = createOctoWebhooks({ onAny: (_p, c) => void seen.push([c.event, c.lifecycle]) });
    await webhooks.handle(post(bookingBody({ status: "CANCELLED" })));
    expect(seen).toEqual([["booking_update", "booking.cancelled"]]);
  });

  it("availability and unknown events carry no lifecycle", async () => {
    const seen: unknown[] = [];
    const webhooks = createOctoWebhooks({ onAny: (_p, c) => void seen.push(c.lifecycle) });
    await webhooks.handle(post({ availability: { id: "a" } }));
    await webhooks.handle(post({ webhook: { event: "transfer_update" }, transfer: { status: "CONFIRMED" } }));
    expect(seen).toEqual([undefined, undefined]);
  });

  it("an unknown event named like an internal list or a lifecycle event reaches only onUnknownEvent and onAny", async () => {
    const seen: string[] = [];
    const webhooks = createOctoWebhooks({
      logger: {},
      onBookingCancelled: () => void seen.push("lifecycle"),
      onError: () => void seen.push("error hook"),
      onDuplicate: () => void seen.push("duplicate hook"),
      onUnknownEvent: (_p, c) => void seen.push(`unknown ${c.event}`),
    });
    for (const event of ["booking.cancelled", "error", "duplicate", "stale", "unknown", "*"]) {
      expect((await webhooks.handle(post({ webhook: { event } }))).status).toBe(200);
    }
    expect(seen).toEqual([
      "unknown booking.cancelled",
      "unknown error",
      "unknown duplicate",
      "unknown stale",
      "unknown unknown",
      "unknown *",
    ]);
  });
});
