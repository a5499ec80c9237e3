import { describe, expect, it } from "vitest";
import {
  allAcceptedBodies,
  corpusAbsentMessage,
  quirkFixtures,
  realWorldCorpus,
  seedFixtures,
} from "../../../fixtures/index.ts";
import { createOctoWebhooks, type HandlerContext } from "../src/index.ts";
import {
  AvailabilityUpdateSchema,
  BookingUpdateSchema,
  OrderUpdateSchema,
  ProductUpdateSchema,
  strictSchemas,
  strictValidation,
} from "../src/schemas.ts";
import { post } from "./helpers.ts";

describe("every body real senders send is accepted", () => {
  it("reads the real-world corpus in place, or says clearly that it is absent", () => {
    const corpus = realWorldCorpus();
    if (corpus === undefined) {
      console.warn(corpusAbsentMessage);
      expect(process.env.OCTO_REQUIRE_CORPUS, corpusAbsentMessage).not.toBe("1");
    } else {
      expect(corpus.length).toBeGreaterThanOrEqual(8);
    }
  });

  for (const fixture of allAcceptedBodies()) {
    it(`${fixture.name}: 200 from handle(), the handler reads its id`, async () => {
      const seen: Array<{ id: string | undefined; context: HandlerContext }> = [];
      const webhooks = createOctoWebhooks({
        onBookingUpdate: ({ booking }, context) => void seen.push({ id: booking.uuid, context }),
        onAvailabilityUpdate: ({ availability }, context) => void seen.push({ id: availability.id, context }),
        onOrderUpdate: ({ order }, context) => void seen.push({ id: order.id, context }),
        onProductUpdate: ({ product }, context) => void seen.push({ id: product.id, context }),
        onUnknownEvent: (_payload, context) => void seen.push({ id: undefined, context }),
      });
      const response = await webhooks.handle(post(fixture.body));
      expect(response.status, response.body).toBe(200);
      expect(seen).toHaveLength(1);
      expect(seen[0]?.id).toBe(fixture.id);
      expect(seen[0]?.context.event).toBe(fixture.event);
      expect(seen[0]?.context.rawBody).toBe(JSON.stringify(fixture.body));
    });

    const schema = {
      booking_update: BookingUpdateSchema,
      availability_update: AvailabilityUpdateSchema,
      order_update: OrderUpdateSchema,
      product_update: ProductUpdateSchema,
    }[fixture.event];
    if (schema !== undefined) {
      it(`${fixture.name}: the lenient schemas (the public types) describe it`, () => {
        const result = schema.safeParse(fixture.body);
        expect(result.success, JSON.stringify(result.error?.issues.slice(0, 3))).toBe(true);
      });
    }
  }
});

describe("strict mode validates the official shape", () => {
  const byName = new Map([...seedFixtures(), ...quirkFixtures()].map((f) => [f.name, f]));
  const strict = createOctoWebhooks({ validation: strictValidation });

  it("accepts a body in the official shape", async () => {
    const response = await strict.handle(post(byName.get("confirmed-with-diff")?.body));
    expect(response.status, response.body).toBe(200);
  });

  it.each([
    ["non-iso-timestamps", "booking.utcUpdatedAt"],
    ["unknown-enums-and-null-arrays", "booking.status"],
    ["capability-fields-partial", "booking.contact.postalCode"],
    ["seed-booking-update", "booking.id"],
  ])("refuses %s with 400 naming %s", async (name, path) => {
    const response = await strict.handle(post(byName.get(name)?.body));
    expect(response.status).toBe(400);
    const { error } = JSON.parse(response.body);
    expect(error.code).toBe("INVALID_BODY");
    expect(error.issues.map((i: { path: string }) => i.path)).toContain(path);
  });

  it("checks order_update and product_update against their official shape too", async () => {
    const order = byName.get("order-update")?.body as { order: { bookings: Array<Record<string, unknown>> } };
    const refused = await strict.handle(post(order));
    // the fixture's quirks: a non-ISO booking timestamp, pricing without currencyPrecision
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).error.issues.map((i: { path: string }) => i.path)).toContain(
      "order.bookings[1].utcUpdatedAt",
    );
    const product = await strict.handle(post(byName.get("product-update")?.body));
    expect(JSON.parse(product.body).error.issues.map((i: { path: string }) => i.path)).toContain(
      "product.options[0].units[2].type",
    );
    // a name of Object.prototype is not a schema: lenient checks, then onUnknownEvent
    const odd = await strict.handle(post({ webhook: { event: "constructor" } }));
    expect(odd.status).toBe(200);
  });

  it("rejects most of the real corpus, as OCTO.md reports", () => {
    const corpus = realWorldCorpus();
    if (corpus === undefined) return expect(process.env.OCTO_REQUIRE_CORPUS).not.toBe("1");
    const bookings = corpus.filter((f) => f.event === "booking_update");
    const rejected = bookings.filter((f) => !strictSchemas.BookingUpdate.safeParse(f.body).success);
    expect(rejected.length).toBeGreaterThanOrEqual(Math.ceil(bookings.length / 2));
  });
});
