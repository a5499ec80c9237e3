import { describe, expect, it } from "vitest";
import { allAcceptedBodies } from "../../../fixtures/index.ts";
import { formatIssues } from "../src/events/format-issues.ts";
import { lenientValidation } from "../src/events/lenient-validation.ts";
import { dispatchSchemas } from "../src/schemas/index.ts";

// Values of every JSON kind and a few a body parser could produce, for every position dispatch reads.
const VALUES: unknown[] = [
  undefined,
  null,
  "",
  "CONFIRMED",
  0,
  1.5,
  true,
  false,
  [],
  ["x"],
  {},
  { event: "booking_update" },
  { event: 5 },
  { event: null },
  new Date(0),
  Object.create(null),
];

const DIFFS: unknown[] = [
  ...VALUES,
  [{ op: "replace", path: "/status", was: "ON_HOLD", value: "CONFIRMED" }],
  [
    { op: "replace", path: "/status" },
    { op: 1, path: "/x" },
  ],
  [{ op: null, path: null }],
  [{ path: 5 }],
  [null],
  [[]],
  [{}],
];

type Event = keyof typeof dispatchSchemas;
/** The paths zod's dispatch schema reports, sorted. */
const zodPaths = (event: Event, body: Record<string, unknown>) => {
  const result = dispatchSchemas[event].safeParse(body);
  return result.success
    ? []
    : formatIssues(result.error.issues)
        .map((i) => i.path)
        .sort();
};
const ourPaths = (event: Event, body: Record<string, unknown>) =>
  lenientValidation(event, body)
    .map((i) => i.path)
    .sort();

function* bodies(): Generator<[Event, Record<string, unknown>]> {
  for (const webhook of VALUES) {
    for (const uuid of VALUES) {
      for (const status of VALUES) {
        yield ["booking_update", { webhook, booking: { uuid, status } }];
        yield ["booking_update", { webhook, booking: { uuid: "b", utcUpdatedAt: status } }];
      }
      for (const booking of VALUES) yield ["booking_update", { webhook, booking }];
      for (const diff of DIFFS) yield ["booking_update", { webhook, booking: { uuid: "b" }, diff }];
      for (const id of VALUES) {
        yield ["availability_update", { webhook, availability: { id } }];
        yield ["availability_update", { webhook, availability: { id: "a", productId: id } }];
        yield ["availability_update", { webhook, availability: { id: "a", optionId: id } }];
        yield ["availability_update", { webhook, availability: { id: "a" }, productId: id }];
        yield ["availability_update", { webhook, availability: { id: "a" }, optionId: id }];
        yield ["availability_update", { webhook, availability: id }];
      }
      for (const value of VALUES) {
        yield ["order_update", { webhook, order: { id: value } }];
        yield ["order_update", { webhook, order: value }];
        yield ["order_update", { webhook, order: { id: "o", status: value, utcUpdatedAt: value } }];
        yield ["order_update", { webhook, order: { id: "o", bookings: value } }];
        yield ["order_update", { webhook, order: { id: "o", bookings: [value] } }];
        yield ["order_update", { webhook, order: { id: "o", bookings: [{ uuid: value }] } }];
        yield ["order_update", { webhook, order: { id: "o", bookings: [{ uuid: "b", status: value }] } }];
        yield ["product_update", { webhook, product: { id: value } }];
        yield ["product_update", { webhook, product: value }];
        yield ["product_update", { webhook, product: { id: "p", utcUpdatedAt: value } }];
      }
      for (const diff of DIFFS) yield ["order_update", { webhook, order: { id: "o" }, diff }];
      yield ["unknown", { webhook }];
    }
  }
}

describe("lenientValidation (hand-written, zod-free) against the zod dispatch schemas it implements", () => {
  it("refuses exactly what zod refuses, at the same paths, on every combination", () => {
    let count = 0;
    let refused = 0;
    const disagreements: unknown[] = [];
    for (const [event, body] of bodies()) {
      count++;
      const ours = ourPaths(event, body);
      if (ours.length > 0) refused++;
      if (JSON.stringify(ours) !== JSON.stringify(zodPaths(event, body))) {
        disagreements.push([event, body, ours, zodPaths(event, body)]);
      }
    }
    expect(refused).toBeGreaterThan(500);
    expect(count).toBeGreaterThan(2000);
    expect(disagreements).toEqual([]);
  });

  it("accepts every real-world body, as zod does", () => {
    for (const fixture of allAcceptedBodies()) {
      const event = (fixture.event in dispatchSchemas ? fixture.event : "unknown") as Event;
      expect(ourPaths(event, fixture.body), fixture.name).toEqual([]);
      expect(zodPaths(event, fixture.body), fixture.name).toEqual([]);
    }
  });
});
