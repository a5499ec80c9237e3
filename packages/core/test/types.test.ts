// Pins the public types. `tsc -p tsconfig.test.json` fails when one of them drifts.
import { describe, expectTypeOf, it } from "vitest";
import {
  type AvailabilityUpdateEvent,
  type AvailabilityUpdateHandler,
  type Booking,
  type BookingLifecycleEvent,
  type BookingLifecyclePayload,
  type BookingOption,
  type BookingProduct,
  type BookingUpdateEvent,
  type BookingUpdateHandler,
  createOctoWebhooks,
  type Diff,
  type DiffEntry,
  type DuplicateContext,
  type HandlerContext,
  type LifecycleHandler,
  type OctoHandler,
  type OctoWebhooks,
  type Order,
  type OrderLifecycleEvent,
  type OrderUpdateEvent,
  type OrderUpdateHandler,
  type Product,
  type ProductUpdateEvent,
  type ProductUpdateHandler,
  type StaleContext,
  type UnknownEvent,
  type WithVendorFields,
} from "../src/index.ts";

describe("public types", () => {
  it("order_update and product_update are typed: the order's bookings are full bookings", () => {
    expectTypeOf<Order["id"]>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<Order["bookings"]>[number]>().toEqualTypeOf<Booking>();
    expectTypeOf<"ON_HOLD">().toExtend<NonNullable<Order["status"]>>();
    expectTypeOf<"WHOLESALE">().toExtend<NonNullable<Order["settlementMethod"]>>();
    expectTypeOf<Product["id"]>().toEqualTypeOf<string>();
    expectTypeOf<
      NonNullable<NonNullable<NonNullable<Product["options"]>[number]["units"]>[number]["type"]>
    >().toExtend<string>();
    const webhooks = createOctoWebhooks({
      onOrderUpdate: (payload) => expectTypeOf(payload).toEqualTypeOf<OrderUpdateEvent>(),
      onProductUpdate: (payload) => expectTypeOf(payload).toEqualTypeOf<ProductUpdateEvent>(),
      onOrderCancelled: (payload) => expectTypeOf(payload).toEqualTypeOf<OrderUpdateEvent>(),
      onBookingCancelled: (_payload, context) =>
        expectTypeOf(context.order).toEqualTypeOf<Order | undefined>(),
    });
    webhooks.on("order_update", ({ order }) => expectTypeOf(order).toEqualTypeOf<Order>());
    webhooks.on("order.amended", ({ diff }) => expectTypeOf(diff?.[0]?.was).toEqualTypeOf<unknown>());
    webhooks.on("product_update", ({ product }) => expectTypeOf(product).toEqualTypeOf<Product>());
    webhooks.onOrderUpdate(({ webhook }) =>
      expectTypeOf(webhook?.url).toEqualTypeOf<string | null | undefined>(),
    );
  });

  it("booking fields are typed; uuid is always there, the rest may be missing or null", () => {
    expectTypeOf<Booking["uuid"]>().toEqualTypeOf<string>();
    expectTypeOf<Booking["resellerReference"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<NonNullable<Booking["unitItems"]>[number]["uuid"]>().toEqualTypeOf<
      string | null | undefined
    >();
    expectTypeOf<NonNullable<Booking["cancellation"]>["refund"]>().toExtend<string | null | undefined>();
  });

  it("enums are open: known literals autocomplete, any string is accepted", () => {
    type Status = NonNullable<Booking["status"]>;
    expectTypeOf<"CONFIRMED">().toExtend<Status>();
    expectTypeOf<"NOSHOW">().toExtend<Status>();
    // @ts-expect-error a status is a string, never a number
    const wrong: Status = 5;
    void wrong;
  });

  it("unknown fields do not compile (a typo is caught); WithVendorFields is the typed escape hatch", () => {
    const read = (booking: Booking) => {
      // @ts-expect-error `stauts` is no field of a booking: the index signature is gone from the types
      void booking.stauts;
      // @ts-expect-error neither is a vendor's field, until it is declared
      void booking.vendorField;
      const vendor = booking as WithVendorFields<Booking, { vendorField?: string }>;
      expectTypeOf(vendor.vendorField).toEqualTypeOf<string | undefined>();
      expectTypeOf((booking as WithVendorFields<Booking>).anything).toEqualTypeOf<unknown>();
    };
    void read;
    // nested objects lose theirs too; records keep theirs
    type Item = NonNullable<Booking["unitItems"]>[number];
    expectTypeOf<Item>().not.toHaveProperty("stauts");
    expectTypeOf<NonNullable<NonNullable<BookingUpdateEvent["webhook"]>["headers"]>>().toEqualTypeOf<
      Record<string, string>
    >();
  });

  it("booking.product and booking.option are typed leniently from OCTO's content models", () => {
    expectTypeOf<Booking["product"]>().toEqualTypeOf<BookingProduct | null | undefined>();
    expectTypeOf<Booking["option"]>().toEqualTypeOf<BookingOption | null | undefined>();
    expectTypeOf<NonNullable<Booking["product"]>["internalName"]>().toEqualTypeOf<
      string | null | undefined
    >();
  });

  it("handler types by event name, and named handler types", () => {
    const onUpdate: OctoHandler<"booking_update"> = ({ booking, diff }) => {
      expectTypeOf(booking.uuid).toEqualTypeOf<string>();
      expectTypeOf(diff).toEqualTypeOf<Diff | null | undefined>();
    };
    const same: BookingUpdateHandler = onUpdate;
    const byPayload: OctoHandler<BookingUpdateEvent> = same;
    const onAvailability: AvailabilityUpdateHandler = ({ availability }) =>
      expectTypeOf(availability.id).toEqualTypeOf<string>();
    const onCancelled: LifecycleHandler<"booking.cancelled"> = ({ booking }) =>
      expectTypeOf(booking.status).toEqualTypeOf<"CANCELLED">();
    createOctoWebhooks({
      onBookingUpdate: byPayload,
      onAvailabilityUpdate: onAvailability,
      onBookingCancelled: onCancelled,
    });
    // @ts-expect-error an availability handler is no booking handler
    createOctoWebhooks({ onBookingUpdate: onAvailability });
  });

  it("a diff entry is one; Diff is the list", () => {
    expectTypeOf<Diff>().toEqualTypeOf<DiffEntry[]>();
    expectTypeOf<DiffEntry["path"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<NonNullable<BookingUpdateEvent["diff"]>>().toEqualTypeOf<Diff>();
  });

  it("context.event names the known events and still takes any string", () => {
    createOctoWebhooks({
      onAny: (_payload, { event }) => {
        expectTypeOf<"booking_update">().toExtend<typeof event>();
        expectTypeOf<"order_update">().toExtend<typeof event>();
        expectTypeOf<"anything_else">().toExtend<typeof event>();
      },
    });
    expectTypeOf<HandlerContext["event"]>().not.toEqualTypeOf<string>();
  });

  it("lifecycle handlers narrow booking.status", () => {
    createOctoWebhooks({
      onBookingCancelled: ({ booking }) => expectTypeOf(booking.status).toEqualTypeOf<"CANCELLED">(),
      onBookingAmended: ({ booking }) => expectTypeOf(booking.status).toEqualTypeOf<"CONFIRMED">(),
      onBookingNoShow: ({ booking }) => expectTypeOf(booking.status).toEqualTypeOf<"NOSHOW">(),
    });
    const webhooks = createOctoWebhooks();
    webhooks.on("booking.expired", ({ booking }) => expectTypeOf(booking.status).toEqualTypeOf<"EXPIRED">());
    webhooks.on(["booking.confirmed", "booking.cancelled"], ({ booking }) =>
      expectTypeOf(booking.status).toEqualTypeOf<"CONFIRMED" | "CANCELLED">(),
    );
    webhooks.onBookingCancelled(({ booking }) => {
      // @ts-expect-error a cancelled booking is never CONFIRMED
      if (booking.status === "CONFIRMED") return;
    });
  });

  it("handlers get the typed body first and the context second", () => {
    const webhooks = createOctoWebhooks();
    webhooks.onBookingUpdate((payload, context) => {
      expectTypeOf(payload).toEqualTypeOf<BookingUpdateEvent>();
      expectTypeOf(payload.diff).toEqualTypeOf<Diff | null | undefined>();
      expectTypeOf(context).toEqualTypeOf<HandlerContext>();
    });
    webhooks.onAvailabilityUpdate(({ productId, availability }) => {
      expectTypeOf(productId).toEqualTypeOf<string | undefined>();
      expectTypeOf(availability.id).toEqualTypeOf<string>();
    });
    webhooks.on("availability_update", (payload) =>
      expectTypeOf(payload).toEqualTypeOf<AvailabilityUpdateEvent>(),
    );
    webhooks.on("transfer_update", (payload) => expectTypeOf(payload).toEqualTypeOf<UnknownEvent>());
    // @ts-expect-error an availability handler gets no typed booking
    webhooks.onAvailabilityUpdate(({ booking }) => booking.uuid);
  });

  it("handlers in options have the same types", () => {
    createOctoWebhooks({
      onBookingUpdate: ({ booking }) => expectTypeOf(booking.uuid).toEqualTypeOf<string>(),
      onError: (error) => expectTypeOf(error.code).toExtend<string>(),
    });
  });

  it("the auth resolver and handle() share the context type", () => {
    const webhooks = createOctoWebhooks<{ PASS: string }>({
      auth: (env) => ({ basic: { username: "u", password: env.PASS } }),
    });
    expectTypeOf(webhooks).toEqualTypeOf<OctoWebhooks<{ PASS: string }>>();
    // @ts-expect-error the context must be the resolver's
    void webhooks.handle({ method: "POST" }, { OTHER: 1 });
  });

  it("lifecycle events are typed as their booking_update body, by name, option and method", () => {
    const webhooks = createOctoWebhooks({
      onBookingCancelled: ({ booking }, context) => {
        expectTypeOf(booking.uuid).toEqualTypeOf<string>();
        expectTypeOf(context.lifecycle).toEqualTypeOf<
          BookingLifecycleEvent | OrderLifecycleEvent | undefined
        >();
      },
    });
    webhooks.on("booking.cancelled", (payload) =>
      expectTypeOf(payload).toEqualTypeOf<BookingLifecyclePayload<"booking.cancelled">>(),
    );
    webhooks.on(["booking_update", "booking.amended"], (payload) =>
      expectTypeOf(payload).toExtend<BookingUpdateEvent>(),
    );
    webhooks.onBookingConfirmed((payload) => expectTypeOf(payload).toExtend<BookingUpdateEvent>());
    webhooks.onBookingNoShow(({ booking }) => booking.status);
    // @ts-expect-error a lifecycle handler gets a booking body, not an availability
    webhooks.onBookingExpired(({ availability }) => availability.id);
    expectTypeOf<BookingLifecycleEvent>().toExtend<`booking.${string}`>();
  });

  it("handlers read the delivery key; onDuplicate and onStale get their own context", () => {
    createOctoWebhooks({
      onAny: (_payload, context) => expectTypeOf(context.deliveryKey).toEqualTypeOf<string>(),
      onDuplicate: (payload, context) => {
        expectTypeOf(payload).toEqualTypeOf<
          BookingUpdateEvent | AvailabilityUpdateEvent | OrderUpdateEvent | ProductUpdateEvent | UnknownEvent
        >();
        expectTypeOf(context).toEqualTypeOf<DuplicateContext>();
        expectTypeOf(context.state).toEqualTypeOf<"done" | "processing">();
      },
      onStale: (payload, context) => {
        expectTypeOf(payload).toEqualTypeOf<BookingUpdateEvent | OrderUpdateEvent | ProductUpdateEvent>();
        expectTypeOf(context).toEqualTypeOf<StaleContext>();
        expectTypeOf(context.newestUpdatedAt).toEqualTypeOf<string>();
      },
    });
  });
});

describe("a handler typed by event name fits the option of its event (the README's types table)", () => {
  it("OctoHandler<name> and OctoHandler<payload> are the same handler, for every event", () => {
    const booking: OctoHandler<"booking_update"> = ({ booking }) => booking.status;
    const order: OrderUpdateHandler = ({ order }) => order.id;
    const product: ProductUpdateHandler = ({ product }) => product.id;
    const availability: AvailabilityUpdateHandler = ({ availability }) => availability.id;
    createOctoWebhooks({
      onBookingUpdate: booking,
      onOrderUpdate: order,
      onProductUpdate: product,
      onAvailabilityUpdate: availability,
    });
    expectTypeOf(booking).toEqualTypeOf<OctoHandler<BookingUpdateEvent>>();
    expectTypeOf(order).toEqualTypeOf<OctoHandler<OrderUpdateEvent>>();
    expectTypeOf(product).toEqualTypeOf<OctoHandler<ProductUpdateEvent>>();
    // @ts-expect-error a booking handler is not an order handler
    createOctoWebhooks({ onOrderUpdate: booking });
  });
});
