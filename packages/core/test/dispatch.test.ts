import { describe, expect, it } from "vitest";
import { quirkFixtures, seedFixtures } from "../../../fixtures/index.ts";
import {
  type Booking,
  createOctoWebhooks,
  deliveryKey,
  NonRetryableError,
  OctoHandlerError,
  OctoRequestError,
  type WithVendorFields,
} from "../src/index.ts";
import { bookingBody, capturingLogger, post } from "./helpers.ts";

const availabilityBody = (extra: Record<string, unknown> = {}) => ({
  webhook: { id: "wh-2", event: "availability_update", url: "https://example.test/hook" },
  availability: { id: "2026-12-01T10:00:00Z", status: "AVAILABLE", vacancies: 4 },
  ...extra,
});

describe("handlers", () => {
  it("runs handlers given in options and registered later, all of them, once each", async () => {
    const calls: string[] = [];
    const webhooks = createOctoWebhooks({
      onBookingUpdate: [() => void calls.push("option-1"), () => void calls.push("option-2")],
    });
    webhooks.onBookingUpdate(() => void calls.push("method"));
    webhooks.on("booking_update", () => void calls.push("on"));
    webhooks.onAny(() => void calls.push("any"));
    webhooks.onAvailabilityUpdate(() => void calls.push("availability"));
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(200);
    expect(calls.sort()).toEqual(["any", "method", "on", "option-1", "option-2"]);
  });

  it("gives the typed body first and a context second", async () => {
    const webhooks = createOctoWebhooks();
    let seen: unknown;
    webhooks.onBookingUpdate(({ booking, webhook, diff }, context) => {
      seen = {
        status: booking.status,
        webhookId: webhook?.id,
        diff,
        event: context.event,
        userAgent: context.headers.get("user-agent"),
        rawBody: context.rawBody,
      };
    });
    const body = {
      ...bookingBody(),
      diff: [{ op: "replace", path: "/status", was: "ON_HOLD", value: "CONFIRMED" }],
    };
    await webhooks.handle(post(body, { "user-agent": "Ventrata-Webhooks/1.0" }));
    expect(seen).toEqual({
      status: "CONFIRMED",
      webhookId: "wh-1",
      diff: body.diff,
      event: "booking_update",
      userAgent: "Ventrata-Webhooks/1.0",
      rawBody: JSON.stringify(body),
    });
  });

  it("keeps unknown fields on the objects handlers receive", async () => {
    let vendor: unknown;
    const webhooks = createOctoWebhooks({
      onBookingUpdate: ({ booking }) => void (vendor = (booking as WithVendorFields<Booking>).vendorField),
    });
    await webhooks.handle(post(bookingBody({ vendorField: { nested: [1, 2] } })));
    expect(vendor).toEqual({ nested: [1, 2] });
  });

  it("aggregates the errors of several failing handlers, after all of them ran", async () => {
    const errors: unknown[] = [];
    let third = false;
    const webhooks = createOctoWebhooks({
      logger: capturingLogger(),
      onBookingUpdate: [
        () => {
          throw new Error("one");
        },
        async () => {
          throw new Error("two");
        },
        () => void (third = true),
      ],
      onError: (error) => void errors.push(error),
    });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(500);
    expect(third).toBe(true);
    const [error] = errors as OctoHandlerError[];
    expect(error).toBeInstanceOf(OctoHandlerError);
    expect(error?.errors.map((e) => (e as Error).message)).toEqual(["one", "two"]);
    expect(error?.event).toBe("booking_update");
  });

  it("keeps registration order in the aggregated errors whether handlers fail late or at once", async () => {
    const errors: unknown[] = [];
    const webhooks = createOctoWebhooks({
      logger: capturingLogger(),
      onBookingUpdate: [
        async () => {
          await new Promise((r) => setTimeout(r, 5));
          throw new Error("late");
        },
        () => {
          throw new Error("at once");
        },
      ],
      onError: (error) => void errors.push(...(error as OctoHandlerError).errors),
    });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(500);
    expect(errors.map((e) => (e as Error).message)).toEqual(["late", "at once"]);
  });

  it("waits for every asynchronous handler before answering", async () => {
    let finished = false;
    const webhooks = createOctoWebhooks({
      onBookingUpdate: [
        () => {},
        async () => {
          await new Promise((r) => setTimeout(r, 10));
          finished = true;
        },
      ],
    });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(200);
    expect(finished).toBe(true);
  });

  it("removeListener and the returned function both unregister", async () => {
    const calls: string[] = [];
    const webhooks = createOctoWebhooks();
    const a = () => void calls.push("a");
    const off = webhooks.onBookingUpdate(() => void calls.push("b"));
    webhooks.on("booking_update", a);
    webhooks.removeListener("booking_update", a);
    off();
    await webhooks.handle(post(bookingBody()));
    expect(calls).toEqual([]);
  });

  it("a handler added or removed between deliveries of one event changes the next delivery's handlers", async () => {
    const calls: string[] = [];
    const webhooks = createOctoWebhooks({ auth: "none", onBookingUpdate: () => void calls.push("first") });
    const confirmed = bookingBody({ status: "CONFIRMED" });
    await webhooks.handle(post(confirmed));
    const off = webhooks.onBookingUpdate(() => void calls.push("added"));
    webhooks.onBookingConfirmed(() => void calls.push("confirmed"));
    await webhooks.handle(post(confirmed));
    off();
    await webhooks.handle(post(confirmed));
    // another lifecycle of the same event is selected apart
    await webhooks.handle(post(bookingBody({ status: "CANCELLED" })));
    expect(calls).toEqual(["first", "first", "added", "confirmed", "first", "confirmed", "first"]);
  });

  it("an ack-first delivery runs the handlers selected when it was admitted, whatever is removed after", async () => {
    const calls: string[] = [];
    const release: Array<() => void> = [];
    const held = () => new Promise<void>((resolve) => release.push(resolve));
    const webhooks = createOctoWebhooks({ auth: "none", ackFirst: { concurrency: 1 } });
    const offFirst = webhooks.onBookingUpdate(async () => {
      calls.push("first");
      await held();
    });
    const offSecond = webhooks.onBookingUpdate(() => void calls.push("second"));
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(200);
    expect((await webhooks.handle(post(bookingBody({ uuid: "b-2" })))).status).toBe(200);
    offFirst();
    offSecond();
    while (release.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    for (const resume of release.splice(0)) resume();
    while (release.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    for (const resume of release.splice(0)) resume();
    await webhooks.drain();
    expect(calls).toEqual(["first", "second", "first", "second"]);
    expect((await webhooks.handle(post(bookingBody({ uuid: "b-3" })))).status).toBe(200);
    await webhooks.drain();
    expect(calls).toHaveLength(4);
  });

  it("registers one handler for several events at once", async () => {
    const events: string[] = [];
    const webhooks = createOctoWebhooks();
    webhooks.on(
      ["booking_update", "availability_update"],
      (_payload, context) => void events.push(context.event),
    );
    await webhooks.handle(post(bookingBody()));
    await webhooks.handle(post(availabilityBody()));
    expect(events).toEqual(["booking_update", "availability_update"]);
  });

  it("refuses a handler that is not a function at construction", () => {
    expect(() => createOctoWebhooks({ onBookingUpdate: "nope" as never })).toThrow(/must be a function/);
  });

  it("onError sees refused deliveries too, and a throwing onError does not change the answer", async () => {
    const codes: string[] = [];
    const webhooks = createOctoWebhooks({
      logger: capturingLogger(),
      onError: [
        (error) => void codes.push(error.code),
        () => {
          throw new Error("hook bug");
        },
      ],
    });
    expect((await webhooks.handle(post("{"))).status).toBe(400);
    expect(codes).toEqual(["MALFORMED_JSON"]);
  });
});

describe("availability_update", () => {
  it("exposes productId/optionId at the top level when the sender put them inside availability (seed)", async () => {
    let ids: unknown;
    const webhooks = createOctoWebhooks({
      onAvailabilityUpdate: ({ productId, optionId, availability }) =>
        void (ids = { productId, optionId, id: availability.id }),
    });
    const seed = seedFixtures().find((f) => f.event === "availability_update")!;
    await webhooks.handle(post(seed.body));
    expect(ids).toEqual({
      productId: "1a7213eb-3a33-4cbb-b114-64d771c201ac",
      optionId: "DEFAULT",
      id: "2020-07-01T11:30:00-05:00",
    });
  });

  it("prefers the top-level ids (Ventrata spec) and leaves them undefined when absent", async () => {
    const seen: unknown[] = [];
    const webhooks = createOctoWebhooks({
      onAvailabilityUpdate: ({ productId, optionId }) => void seen.push([productId, optionId]),
    });
    await webhooks.handle(post(availabilityBody({ productId: "top", optionId: "opt" })));
    await webhooks.handle(post(availabilityBody()));
    expect(seen).toEqual([
      ["top", "opt"],
      [undefined, undefined],
    ]);
  });
});

describe("which event a body is", () => {
  it("the resource key wins over a disagreeing webhook.event, which stays readable", async () => {
    const seen: unknown[] = [];
    const webhooks = createOctoWebhooks({
      onBookingUpdate: () => void seen.push("booking"),
      onAvailabilityUpdate: (_p, c) => void seen.push([c.event, c.webhookEvent]),
    });
    const body = availabilityBody({ webhook: { id: "w", event: "booking_update", url: "u" } });
    expect((await webhooks.handle(post(body))).status).toBe(200);
    expect(seen).toEqual([["availability_update", "booking_update"]]);
  });

  it("with both resources present, webhook.event chooses", async () => {
    const seen: string[] = [];
    const webhooks = createOctoWebhooks({ onAny: (_p, c) => void seen.push(c.event) });
    const both = { ...bookingBody(), availability: { id: "a" } };
    await webhooks.handle(post({ ...both, webhook: { event: "availability_update" } }));
    await webhooks.handle(post({ ...both, webhook: { event: "something_else" } }));
    expect(seen).toEqual(["availability_update", "booking_update"]);
  });

  it("an unknown event reaches on(name), onUnknownEvent and onAny with its envelope", async () => {
    const seen: unknown[] = [];
    const webhooks = createOctoWebhooks({
      onUnknownEvent: (payload) => void seen.push(["unknown", payload.transfer]),
      onAny: (_p, c) => void seen.push(["any", c.event]),
    });
    webhooks.on(
      "transfer_update",
      (payload) => void seen.push(["on", (payload.transfer as { id: string }).id]),
    );
    await webhooks.handle(post({ webhook: { event: "transfer_update" }, transfer: { id: "o-1" } }));
    expect(seen).toEqual([
      ["on", "o-1"],
      ["unknown", { id: "o-1" }],
      ["any", "transfer_update"],
    ]);
  });

  it.each(["transfer_update", "cruise_update"])(
    "a newer %s reaches on(name), onUnknownEvent and onAny as an envelope, with its delivery key",
    async (event) => {
      const seen: unknown[] = [];
      const webhooks = createOctoWebhooks({
        dedupe: true,
        onUnknownEvent: (_p, c) => void seen.push(["unknown", c.event, c.lifecycle]),
        onAny: (_p, c) => void seen.push(["any", c.deliveryKey]),
      });
      webhooks.on(event, (payload) => void seen.push(["on", payload.webhook?.event]));
      const body = { webhook: { id: "w", event, url: "u" }, [event.split("_")[0] as string]: { id: "x-1" } };
      await webhooks.handle(post(body));
      expect(seen).toEqual([
        ["on", event],
        ["unknown", event, undefined],
        ["any", deliveryKey(body)],
      ]);
      // dedupe covers newer events too
      expect((await webhooks.handle(post(body))).body).toBe('{"ok":true,"duplicate":true}');
    },
  );

  it("the order_update fixture reaches on('order_update') and onOrderUpdate, typed, and not onUnknownEvent", async () => {
    const fixture = quirkFixtures().find((f) => f.name === "order-update")!;
    const seen: unknown[] = [];
    const webhooks = createOctoWebhooks({
      onOrderUpdate: ({ order, diff }) => void seen.push(["option", order.bookings?.length, diff?.[5]?.was]),
      onUnknownEvent: () => void seen.push("unknown"),
    });
    webhooks.on("order_update", ({ order, webhook }) => void seen.push(["on", order.id, webhook?.url]));
    expect((await webhooks.handle(post(fixture.body))).status).toBe(200);
    const { order, diff } = fixture.body as { order: { id: string }; diff: Array<{ was: unknown }> };
    expect(seen).toEqual([
      ["option", 2, diff[5]?.was],
      ["on", order.id, null],
    ]);
  });

  it("the product_update fixture reaches onProductUpdate and on('product_update'), typed", async () => {
    const fixture = quirkFixtures().find((f) => f.name === "product-update")!;
    const seen: unknown[] = [];
    const webhooks = createOctoWebhooks({
      onProductUpdate: ({ product }) => void seen.push(product.options?.[0]?.internalName),
      onUnknownEvent: () => void seen.push("unknown"),
    });
    webhooks.on("product_update", ({ product }, context) => void seen.push([product.id, context.event]));
    expect((await webhooks.handle(post(fixture.body))).status).toBe(200);
    expect(seen).toEqual([
      "Sunset cruise with welcome drink (2h)",
      ["sunset-thames-cruise", "product_update"],
    ]);
  });

  it("answers 200 when a known event has no handler at all", async () => {
    expect((await createOctoWebhooks().handle(post(bookingBody()))).status).toBe(200);
  });
});

describe("receive()", () => {
  it("dispatches a parsed body without HTTP and reports what ran", async () => {
    const webhooks = createOctoWebhooks({ onBookingUpdate: () => {} });
    expect(await webhooks.receive(bookingBody())).toEqual({ event: "booking_update", handlers: 1 });
    expect(await webhooks.receive(JSON.stringify(bookingBody()))).toEqual({
      event: "booking_update",
      handlers: 1,
    });
  });

  it("throws OctoRequestError for a bad body and OctoHandlerError when a handler fails", async () => {
    const webhooks = createOctoWebhooks({
      logger: capturingLogger(),
      onBookingUpdate: () => {
        throw new NonRetryableError("no");
      },
    });
    await expect(webhooks.receive({ nothing: true })).rejects.toBeInstanceOf(OctoRequestError);
    await expect(webhooks.receive(bookingBody())).rejects.toBeInstanceOf(OctoHandlerError);
  });
});

describe("options are checked at construction", () => {
  it.each([
    [{ maxBodyBytes: 0 }, /maxBodyBytes/],
    [{ maxBodyBytes: 1.5 }, /maxBodyBytes/],
    [{ bodyTimeoutMs: -1 }, /bodyTimeoutMs/],
    [{ validation: "loose" }, /validation/],
    [{ unknownEvents: "ignore" }, /unknownEvents/],
  ])("%o", (options, message) => {
    expect(() => createOctoWebhooks(options as never)).toThrow(message);
  });
});
