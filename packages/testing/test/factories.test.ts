import { BOOKING_STATUSES, createOctoWebhooks } from "@octo-webhooks/core";
import { strictSchemas, strictValidation } from "@octo-webhooks/core/schemas";
import { describe, expect, it } from "vitest";
import {
  availabilityUpdate,
  bookingLifecycle,
  bookingUpdate,
  diffOf,
  orderUpdate,
  productUpdate,
} from "../src/index.ts";

const strictIssues = (
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[] }[] } } },
  body: unknown,
) => schema.safeParse(body).error?.issues.map((i) => i.path.join(".")) ?? [];

describe("bookingUpdate", () => {
  it.each(BOOKING_STATUSES)("is valid against the strict official schema for %s", (status) => {
    const body = bookingUpdate({ status });
    expect(strictIssues(strictSchemas.BookingUpdate, body)).toEqual([]);
    expect(body.booking.status).toBe(status);
    expect(body.webhook?.event).toBe("booking_update");
  });

  it("stays strictly valid with the pricing capability, and adds the pricing fields", () => {
    const body = bookingUpdate({ capabilities: ["octo/pricing"] });
    expect(strictIssues(strictSchemas.BookingUpdate, body)).toEqual([]);
    expect(body.booking.pricing).toMatchObject({ currency: "EUR", currencyPrecision: 2, retail: 11_500 });
    expect(body.booking.unitItems?.every((u) => typeof u.pricing?.retail === "number")).toBe(true);
    expect(bookingUpdate().booking.pricing).toBeUndefined();
  });

  it("is deterministic: the same options give the same body; another seed another booking", () => {
    expect(bookingUpdate({ status: "CANCELLED" })).toEqual(bookingUpdate({ status: "CANCELLED" }));
    expect(bookingUpdate({ seed: "a" }).booking.uuid).not.toBe(bookingUpdate({ seed: "b" }).booking.uuid);
    // one seed is one booking whatever its status, and it shares its product with the availability factory
    expect(bookingUpdate({ status: "ON_HOLD" }).booking.uuid).toBe(
      bookingUpdate({ status: "CANCELLED" }).booking.uuid,
    );
    expect(bookingUpdate({ seed: 7 }).booking.productId).toBe(availabilityUpdate({ seed: 7 }).productId);
    expect(bookingUpdate().booking.uuid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("makes the fields agree with the status", () => {
    const cancelled = bookingUpdate({ status: "CANCELLED" }).booking;
    expect(cancelled.cancellation).toMatchObject({ refund: "FULL" });
    expect(cancelled.cancellable).toBe(false);
    expect(cancelled.unitItems?.map((u) => u.status)).toEqual(["CANCELLED", "CANCELLED", "CANCELLED"]);
    const onHold = bookingUpdate({ status: "ON_HOLD" });
    expect(onHold.booking.utcExpiresAt).toBe("2026-11-20T09:45:00Z");
    expect(onHold.booking.utcConfirmedAt).toBeNull();
    expect(onHold.diff).toBeUndefined();
  });

  it("carries a diff from the usual previous status", () => {
    const diff = bookingUpdate({ status: "CONFIRMED" }).diff ?? [];
    expect(diff).toContainEqual({ op: "replace", path: "/status", was: "ON_HOLD", value: "CONFIRMED" });
    expect(diff).toContainEqual({
      op: "replace",
      path: "/unitItems/0/status",
      was: "ON_HOLD",
      value: "CONFIRMED",
    });
    expect(bookingUpdate({ status: "CANCELLED" }).diff).toContainEqual({
      op: "replace",
      path: "/status",
      was: "CONFIRMED",
      value: "CANCELLED",
    });
    expect(bookingUpdate({ status: "CONFIRMED", diff: null }).diff).toBeUndefined();
  });

  it("applies overrides last, and leaves the supplier out on request", () => {
    const body = bookingUpdate({
      status: "CONFIRMED",
      booking: { notes: "VIP", resellerReference: "MINE-1" },
      webhook: { id: "wh-7", url: "https://me.example/hook" },
      supplier: null,
      createdAt: "2027-01-02T03:04:05Z",
    });
    expect(body.booking).toMatchObject({
      notes: "VIP",
      resellerReference: "MINE-1",
      utcCreatedAt: "2027-01-02T03:04:05Z",
    });
    expect(body.webhook).toMatchObject({
      id: "wh-7",
      url: "https://me.example/hook",
      event: "booking_update",
    });
    expect("supplier" in body).toBe(false);
    expect(() => bookingUpdate({ createdAt: "yesterday" })).toThrow(/createdAt/);
  });
});

describe("bookingLifecycle", () => {
  const [onHold, confirmed, amended, cancelled] = bookingLifecycle();

  it("is four strictly valid updates of one booking, in time order", () => {
    const bodies = [onHold, confirmed, amended, cancelled];
    for (const body of bodies) expect(strictIssues(strictSchemas.BookingUpdate, body)).toEqual([]);
    expect(new Set(bodies.map((b) => b.booking.uuid)).size).toBe(1);
    expect(bodies.map((b) => b.booking.status)).toEqual(["ON_HOLD", "CONFIRMED", "CONFIRMED", "CANCELLED"]);
    const times = bodies.map((b) => Date.parse(b.booking.utcUpdatedAt as string));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(new Set(times).size).toBe(4);
  });

  it("has diffs that are exactly the changes from the previous body", () => {
    expect(onHold.diff).toBeUndefined();
    expect(confirmed.diff).toContainEqual({
      op: "replace",
      path: "/status",
      was: "ON_HOLD",
      value: "CONFIRMED",
    });
    expect(amended.diff?.find((d) => d.path === "/status")).toBeUndefined();
    expect(amended.diff).toContainEqual({
      op: "replace",
      path: "/notes",
      was: null,
      value: "One more adult; please keep seats together",
    });
    expect(amended.diff).toContainEqual(
      expect.objectContaining({ op: "add", path: "/unitItems/3", was: null }),
    );
    expect(cancelled.diff).toContainEqual({
      op: "replace",
      path: "/status",
      was: "CONFIRMED",
      value: "CANCELLED",
    });
    expect(cancelled.diff).toContainEqual(
      expect.objectContaining({ op: "replace", path: "/cancellation", was: null }),
    );
    // replaying each diff onto the previous booking gives the next one (utcUpdatedAt aside)
    const bodies = [onHold, confirmed, amended, cancelled];
    for (let i = 1; i < bodies.length; i++) {
      const before = structuredClone(bodies[i - 1]?.booking) as Record<string, unknown>;
      for (const { op, path, value } of bodies[i]?.diff ?? [])
        applyPointer(before, path as string, op as string, value);
      before.utcUpdatedAt = bodies[i]?.booking.utcUpdatedAt;
      expect(before).toEqual(bodies[i]?.booking);
    }
  });

  it("reaches core's typed handlers as four booking updates", async () => {
    const seen: string[] = [];
    const webhooks = createOctoWebhooks({
      validation: strictValidation,
      onBookingUpdate: ({ booking, diff }) => void seen.push(`${booking.status}:${diff?.length ?? 0}`),
    });
    for (const body of bookingLifecycle({ seed: "core" })) await webhooks.receive(body);
    expect(seen.map((s) => s.split(":")[0])).toEqual(["ON_HOLD", "CONFIRMED", "CONFIRMED", "CANCELLED"]);
    expect(seen[0]).toBe("ON_HOLD:0");
  });
});

describe("availabilityUpdate", () => {
  it.each(["AVAILABLE", "LIMITED", "SOLD_OUT", "CLOSED", "FREESALE"] as const)(
    "is valid against the strict official schema for %s",
    (status) => {
      const body = availabilityUpdate({ status });
      expect(strictIssues(strictSchemas.AvailabilityUpdate, body)).toEqual([]);
      expect(body.availability.status).toBe(status);
    },
  );

  it("derives the status from vacancies and keeps the numbers coherent", () => {
    expect(availabilityUpdate({ vacancies: 0 }).availability).toMatchObject({
      status: "SOLD_OUT",
      available: false,
    });
    expect(availabilityUpdate({ vacancies: 2 }).availability).toMatchObject({
      status: "LIMITED",
      vacancies: 2,
      capacity: 24,
    });
    expect(availabilityUpdate({ vacancies: 20 }).availability.status).toBe("AVAILABLE");
    expect(availabilityUpdate({ status: "FREESALE" }).availability).toMatchObject({
      vacancies: null,
      capacity: null,
    });
  });

  it("puts productId/optionId at the top level, or inside availability on request", async () => {
    const top = availabilityUpdate({ productId: "p-1" });
    expect(top).toMatchObject({ productId: "p-1", optionId: "DEFAULT" });
    expect(top.availability.productId).toBeUndefined();
    const inside = availabilityUpdate({ productId: "p-1", idsIn: "availability" }) as Record<string, unknown>;
    expect(inside.productId).toBeUndefined();
    expect(inside.availability).toMatchObject({ productId: "p-1", optionId: "DEFAULT" });
    expect(strictIssues(strictSchemas.AvailabilityUpdate, inside)).toEqual([]);
    // core normalises both to the same place
    const seen: unknown[] = [];
    const webhooks = createOctoWebhooks({
      onAvailabilityUpdate: ({ productId }) => void seen.push(productId),
    });
    await webhooks.receive(top);
    await webhooks.receive(inside);
    expect(seen).toEqual(["p-1", "p-1"]);
  });

  it("adds unit pricing with the pricing capability", () => {
    const body = availabilityUpdate({ capabilities: ["octo/pricing"] });
    expect(body.availability.unitPricing?.map((p) => p.unitId)).toEqual(["adult", "child"]);
    expect(strictIssues(strictSchemas.AvailabilityUpdate, body)).toEqual([]);
  });
});

describe("diffOf", () => {
  it("describes replaced, added and removed leaves with JSON pointers", () => {
    expect(diffOf({ a: 1, b: { "x/y": [1] }, c: 3 }, { a: 2, b: { "x/y": [1, 2] }, d: 4 })).toEqual([
      { op: "replace", path: "/a", was: 1, value: 2 },
      { op: "add", path: "/b/x~1y/1", was: null, value: 2 },
      { op: "remove", path: "/c", was: 3, value: null },
      { op: "add", path: "/d", was: null, value: 4 },
    ]);
    expect(diffOf({ a: 1 }, { a: 1 })).toEqual([]);
  });
});

function applyPointer(target: Record<string, unknown>, path: string, op: string, value: unknown) {
  const keys = path
    .slice(1)
    .split("/")
    .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
  const last = keys.pop() as string;
  let node: Record<string, unknown> = target;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (op === "remove") {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
}

describe("orderUpdate", () => {
  it.each(["CONFIRMED", "ON_HOLD", "CANCELLED", "EXPIRED", "PENDING"])(
    "is valid against the strict official schema for %s, with and without pricing",
    (status) => {
      for (const capabilities of [[], ["octo/pricing"]]) {
        const body = orderUpdate({ status, capabilities });
        expect(strictIssues(strictSchemas.OrderUpdate, body)).toEqual([]);
        expect(body.order.status).toBe(status);
        expect(body.webhook?.capabilities).toContain("octo/cart");
      }
    },
  );

  it("an order confirmed with two bookings: the diff goes down to each booking, and both fire booking.confirmed", async () => {
    const body = orderUpdate({ capabilities: ["octo/pricing"] });
    expect(body.order.bookings?.map((b) => [b.status, b.orderId])).toEqual([
      ["CONFIRMED", body.order.id],
      ["CONFIRMED", body.order.id],
    ]);
    expect(body.order.pricing?.retail).toBe(23_000);
    expect(body.diff).toContainEqual({ op: "replace", path: "/status", was: "ON_HOLD", value: "CONFIRMED" });
    expect(body.diff).toContainEqual({
      op: "replace",
      path: "/bookings/1/status",
      was: "ON_HOLD",
      value: "CONFIRMED",
    });
    const seen: string[] = [];
    await createOctoWebhooks({
      onOrderConfirmed: () => void seen.push("order.confirmed"),
      onBookingConfirmed: ({ booking }) => void seen.push(`booking.confirmed ${booking.uuid}`),
    }).receive(body);
    expect(seen).toEqual([
      "order.confirmed",
      `booking.confirmed ${body.order.bookings?.[0]?.uuid}`,
      `booking.confirmed ${body.order.bookings?.[1]?.uuid}`,
    ]);
  });

  it("one booking then cancelled inside the order fires booking.cancelled once and order.amended", async () => {
    const body = orderUpdate({
      bookings: ["CONFIRMED", "CANCELLED"],
      was: { status: "CONFIRMED", bookings: ["CONFIRMED", "CONFIRMED"] },
    });
    expect(strictIssues(strictSchemas.OrderUpdate, body)).toEqual([]);
    const seen: string[] = [];
    await createOctoWebhooks({
      onAny: (_p, context) => void seen.push(String(context.lifecycle)),
      onBookingCancelled: ({ booking }, { order }) => void seen.push(`${booking.uuid} of ${order?.id}`),
    }).receive(body);
    expect(seen).toEqual([`${body.order.bookings?.[1]?.uuid} of ${body.order.id}`, "order.amended"]);
    // the same booking ids as the confirmation: one order, two moments
    expect(body.order.bookings?.map((b) => b.uuid)).toEqual(orderUpdate().order.bookings?.map((b) => b.uuid));
  });

  it("is deterministic, and `was: null` leaves the diff out", () => {
    expect(orderUpdate({ seed: 3 })).toEqual(orderUpdate({ seed: 3 }));
    expect(orderUpdate({ seed: 3 }).order.id).not.toBe(orderUpdate({ seed: 4 }).order.id);
    expect(orderUpdate({ was: null }).diff).toBeUndefined();
  });
});

describe("productUpdate", () => {
  it("is valid against the strict official schema, with and without pricing", () => {
    for (const capabilities of [[], ["octo/pricing"]]) {
      expect(strictIssues(strictSchemas.ProductUpdate, productUpdate({ capabilities }))).toEqual([]);
    }
  });

  it("is the product of the seed's bookings, and renames its default option on request", async () => {
    const body = productUpdate({ seed: 9, option: { internalName: "Harbour cruise with lunch (3h)" } });
    expect(body.product.id).toBe(bookingUpdate({ seed: 9 }).booking.productId);
    let name: unknown;
    await createOctoWebhooks({
      onProductUpdate: ({ product }) => void (name = product.options?.[0]?.internalName),
    }).receive(body);
    expect(name).toBe("Harbour cruise with lunch (3h)");
    expect(productUpdate({ seed: 9 }).product.options?.[0]?.internalName).toBe("Harbour cruise (2h)");
  });
});
