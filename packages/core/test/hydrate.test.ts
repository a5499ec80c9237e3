import { describe, expect, it } from "vitest";
import {
  createOctoWebhooks,
  type HandlerContext,
  type OctoHydrator,
  type OctoNotification,
  type OctoWebhooksError,
} from "../src/index.ts";
import { capturingLogger, post } from "./helpers.ts";

const bookingNote = (uuid: string) => ({ type: "BOOKING_UPDATE", data: { uuid } });
const cancelled = (uuid: string, at = "2026-03-01T10:00:00Z") => ({
  uuid,
  status: "CANCELLED",
  utcUpdatedAt: at,
  cancellation: { refund: "FULL", reason: "weather" },
});
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

/** A supplier's read API in memory, as a hydrator: counts its calls, can be held, failed or slowed. */
function supplierApi() {
  const bookings = new Map<string, unknown>();
  const availability = new Map<string, unknown[]>();
  const products = new Map<string, unknown>();
  const calls: Array<[OctoNotification, string | undefined]> = [];
  let hold: Promise<void> | undefined;
  let fail: Error | undefined;
  const hydrate: OctoHydrator = async (notification, { signal, supplier }) => {
    calls.push([notification, supplier]);
    if (hold) await hold;
    signal.throwIfAborted();
    if (fail) throw fail;
    if (notification.type === "BOOKING_UPDATE") return bookings.get(notification.data.uuid) ?? null;
    if (notification.type === "PRODUCT_UPDATE") return products.get(notification.data.productId) ?? null;
    return availability.get(notification.data.productId) ?? null;
  };
  return {
    bookings,
    availability,
    products,
    calls,
    hydrate,
    holdUntil(promise: Promise<void>) {
      hold = promise;
    },
    failWith(error: Error | undefined) {
      fail = error;
    },
  };
}

describe("hydrate: notifications become the events a webhook fires", () => {
  it("BOOKING_UPDATE → onBookingUpdate and booking.cancelled once, with source and the notification; onNotification first", async () => {
    const api = supplierApi();
    api.bookings.set("b-1", cancelled("b-1"));
    const order: string[] = [];
    const contexts: HandlerContext[] = [];
    const webhooks = createOctoWebhooks({
      hydrate: api.hydrate,
      dedupe: true,
      staleGuard: true,
      onNotification: (n) => void order.push(`notification:${n.type}`),
      onBookingUpdate: ({ booking }, context) => {
        order.push(`booking_update:${booking.uuid}:${booking.status}`);
        contexts.push(context);
      },
      onBookingCancelled: ({ booking }) => void order.push(`cancelled:${booking.uuid}`),
    });
    const first = await webhooks.handle(post(bookingNote("b-1")));
    expect(first.status).toBe(200);
    expect(order).toEqual(["notification:BOOKING_UPDATE", "booking_update:b-1:CANCELLED", "cancelled:b-1"]);
    expect(contexts[0]?.source).toBe("notification");
    expect(contexts[0]?.event).toBe("booking_update");
    expect(contexts[0]?.lifecycle).toBe("booking.cancelled");
    expect(contexts[0]?.notification).toEqual({ type: "BOOKING_UPDATE", data: { uuid: "b-1" } });
    // the supplier sends the notification again; the booking is unchanged: no second cancellation
    const again = await webhooks.handle(post(bookingNote("b-1")));
    expect(again.status).toBe(200);
    expect(order.filter((line) => line.startsWith("cancelled"))).toHaveLength(1);
    expect(order.filter((line) => line.startsWith("notification"))).toHaveLength(2);
    expect(api.calls).toHaveLength(2);
  });

  it("a changed booking behind the same thin body dispatches again (the key is the hydrated resource's)", async () => {
    const api = supplierApi();
    api.bookings.set("b-2", { uuid: "b-2", status: "CONFIRMED", utcUpdatedAt: "2026-03-01T09:00:00Z" });
    const statuses: string[] = [];
    const webhooks = createOctoWebhooks({
      hydrate: api.hydrate,
      dedupe: true,
      onBookingUpdate: ({ booking }) => void statuses.push(String(booking.status)),
    });
    await webhooks.receive(bookingNote("b-2"));
    api.bookings.set("b-2", cancelled("b-2"));
    await webhooks.receive(bookingNote("b-2"));
    expect(statuses).toEqual(["CONFIRMED", "CANCELLED"]);
  });

  it("AVAILABILITY_UPDATE → one availability_update per slot, with productId and optionId", async () => {
    const api = supplierApi();
    api.availability.set("p-1", [
      { id: "2026-04-01T09:00:00+02:00", status: "AVAILABLE", vacancies: 4 },
      { id: "2026-04-01T11:00:00+02:00", status: "SOLD_OUT", vacancies: 0 },
    ]);
    const slots: Array<[string, string | undefined, string | undefined]> = [];
    const webhooks = createOctoWebhooks({
      hydrate: api.hydrate,
      onAvailabilityUpdate: ({ availability, productId, optionId }) =>
        void slots.push([availability.id, productId, optionId]),
    });
    const result = await webhooks.receive({
      type: "AVAILABILITY_UPDATE",
      data: { product_id: "p-1", option_id: "o-1", localDateStart: "2026-04-01", localDateEnd: "2026-04-01" },
    });
    expect(result.handlers).toBe(2);
    expect(slots).toEqual([
      ["2026-04-01T09:00:00+02:00", "p-1", "o-1"],
      ["2026-04-01T11:00:00+02:00", "p-1", "o-1"],
    ]);
  });

  it("PRODUCT_UPDATE → one product_update", async () => {
    const api = supplierApi();
    api.products.set("p-9", { id: "p-9", internalName: "Harbour cruise" });
    const seen: unknown[] = [];
    const webhooks = createOctoWebhooks({
      hydrate: api.hydrate,
      onProductUpdate: ({ product }) => void seen.push(product.id),
    });
    expect((await webhooks.handle(post({ type: "PRODUCT_UPDATE", data: { productId: "p-9" } }))).status).toBe(
      200,
    );
    expect(seen).toEqual(["p-9"]);
  });

  it("the hydrator rejects → 503 + Retry-After, no event, logged without the error's secret in the answer; the retry runs", async () => {
    const api = supplierApi();
    api.bookings.set("b-3", cancelled("b-3"));
    api.failWith(new Error("supplier said 502"));
    const logger = capturingLogger();
    const errors: OctoWebhooksError[] = [];
    const seen: string[] = [];
    const webhooks = createOctoWebhooks({
      logger,
      hydrate: api.hydrate,
      dedupe: true,
      onBookingCancelled: ({ booking }) => void seen.push(booking.uuid),
      onError: (error) => void errors.push(error),
    });
    const answer = await webhooks.handle(post(bookingNote("b-3")));
    expect(answer.status).toBe(503);
    expect(answer.headers["retry-after"]).toBe("5");
    expect(answer.body).not.toContain("502");
    expect(JSON.parse(answer.body).error.code).toBe("HYDRATION_FAILED");
    expect(errors.map((e) => e.code)).toEqual(["HYDRATION_FAILED"]);
    expect(logger.lines.join("\n")).toMatch(/could not hydrate the BOOKING_UPDATE notification/);
    expect(seen).toEqual([]);
    api.failWith(undefined);
    expect((await webhooks.handle(post(bookingNote("b-3")))).status).toBe(200);
    expect(seen).toEqual(["b-3"]);
  });

  it("the hydrator resolves null (404) → 200 notFound, onError sees RESOURCE_NOT_FOUND with the notification", async () => {
    const api = supplierApi();
    const errors: Array<[string, HandlerContext | undefined]> = [];
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({
      logger,
      hydrate: api.hydrate,
      onBookingUpdate: () => {
        throw new Error("must not run");
      },
      onError: (error, context) => void errors.push([error.code, context]),
    });
    const answer = await webhooks.handle(post(bookingNote("gone")));
    // the warn line carries the package's prefix once
    const warn = logger.lines.find((line) => line.includes("names a resource the supplier does not have"));
    expect(warn).toMatch(/^warn \[@octo-webhooks\/core\] the BOOKING_UPDATE notification names/);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('{"ok":true,"notFound":true}');
    expect(errors.map(([code]) => code)).toEqual(["RESOURCE_NOT_FOUND"]);
    expect(errors[0]?.[1]?.notification).toEqual({ type: "BOOKING_UPDATE", data: { uuid: "gone" } });
  });

  it("a resource that is not what its type needs → 503 (the hydrator's bug is logged)", async () => {
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({ logger, hydrate: async () => ({ status: "CONFIRMED" }) });
    const answer = await webhooks.handle(post(bookingNote("b-4")));
    expect(answer.status).toBe(503);
    expect(logger.lines.join("\n")).toMatch(/invalid booking_update resource \(at booking\.uuid\)/);
  });

  it("N concurrent notifications of one booking → one hydrator call; other bookings and suppliers get their own", async () => {
    const api = supplierApi();
    for (const uuid of ["b-5", "b-6"]) api.bookings.set(uuid, { uuid, status: "CONFIRMED" });
    let release!: () => void;
    api.holdUntil(new Promise<void>((resolve) => (release = resolve)));
    let handled = 0;
    const webhooks = createOctoWebhooks({ hydrate: api.hydrate, onBookingUpdate: () => void handled++ });
    const pending = [
      ...Array.from({ length: 20 }, () => webhooks.receive(bookingNote("b-5"))),
      webhooks.receive(bookingNote("b-6")),
      webhooks.receive(bookingNote("b-5"), { supplier: "peek" }),
    ];
    await tick();
    expect(api.calls.map(([n, supplier]) => [(n.data as { uuid: string }).uuid, supplier])).toEqual([
      ["b-5", undefined],
      ["b-6", undefined],
      ["b-5", "peek"],
    ]);
    release();
    await Promise.all(pending);
    expect(handled).toBe(22);
    // settled: the next notification fetches again (no cache by default)
    await webhooks.receive(bookingNote("b-5"));
    expect(api.calls).toHaveLength(4);
  });

  it("a notification arriving while a fetch is in flight waits for the next fetch, shared by all that wait (no change lost)", async () => {
    let state = { uuid: "b-10", status: "CONFIRMED", utcUpdatedAt: "2026-03-01T09:00:00Z" };
    let calls = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const statuses: string[] = [];
    const webhooks = createOctoWebhooks({
      // reads the booking when called, answers after `held`: like a read that raced the change
      hydrate: async () => {
        calls++;
        const read = { ...state };
        await held;
        return read;
      },
      dedupe: true,
      onBookingUpdate: ({ booking }) => void statuses.push(String(booking.status)),
    });
    const first = webhooks.receive(bookingNote("b-10"));
    await tick();
    expect(calls).toBe(1);
    // the booking is cancelled while the first read is in flight; three notifications announce it
    state = cancelled("b-10");
    const later = [1, 2, 3].map(() => webhooks.receive(bookingNote("b-10")));
    await tick();
    expect(calls).toBe(1);
    release();
    await Promise.all([first, ...later]);
    expect(calls).toBe(2);
    expect(statuses).toEqual(["CONFIRMED", "CANCELLED"]);
  });

  it("a notification is never answered from a read that started before it arrived, even with cacheMs (deprecated)", async () => {
    const api = supplierApi();
    api.bookings.set("b-7", { uuid: "b-7", status: "CONFIRMED", utcUpdatedAt: "2026-03-01T09:00:00Z" });
    const statuses: string[] = [];
    const webhooks = createOctoWebhooks({
      hydrate: { fetch: api.hydrate, cacheMs: 60_000 },
      dedupe: true,
      onBookingUpdate: ({ booking }) => void statuses.push(String(booking.status)),
    });
    // a notification sent just before the supplier's own change reads the old state...
    await webhooks.receive(bookingNote("b-7"));
    // ...then the supplier cancels and notifies: its read must see the cancellation
    api.bookings.set("b-7", cancelled("b-7"));
    const result = await webhooks.receive(bookingNote("b-7"));
    expect(result.skipped).toBeUndefined();
    expect(api.calls).toHaveLength(2);
    expect(statuses).toEqual(["CONFIRMED", "CANCELLED"]);
  });

  it("a resource the supplier did not have is read again for the next notification (not found is not kept)", async () => {
    const api = supplierApi();
    const webhooks = createOctoWebhooks({
      hydrate: api.hydrate,
      logger: {},
      onBookingUpdate: () => undefined,
    });
    expect((await webhooks.receive(bookingNote("b-8"))).skipped).toBe("notFound");
    api.bookings.set("b-8", { uuid: "b-8", status: "CONFIRMED" });
    expect(await webhooks.receive(bookingNote("b-8"))).toMatchObject({ handlers: 1 });
    expect(api.calls).toHaveLength(2);
  });

  it("timeoutMs aborts the hydrator's signal and answers 503 + Retry-After", async () => {
    let aborted: unknown;
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({
      logger,
      hydrate: {
        timeoutMs: 30,
        fetch: (_n, { signal }) =>
          new Promise((_resolve, reject) => {
            signal.addEventListener("abort", () => {
              aborted = signal.reason;
              reject(signal.reason);
            });
          }),
      },
    });
    const answer = await webhooks.handle(post(bookingNote("b-8")));
    expect(answer.status).toBe(503);
    expect(answer.headers["retry-after"]).toBe("5");
    expect(aborted).toBeInstanceOf(Error);
    expect(logger.lines.join("\n")).toMatch(/hydrate\.timeoutMs passed/);
  });

  it("ack-first: 200 at once; a failed hydration afterwards is logged and reaches onError", async () => {
    const api = supplierApi();
    api.failWith(new Error("read API down"));
    const logger = capturingLogger();
    const errors: string[] = [];
    const webhooks = createOctoWebhooks({
      logger,
      ackFirst: true,
      hydrate: api.hydrate,
      onError: (error) => void errors.push(error.code),
    });
    const answer = await webhooks.handle(post(bookingNote("b-9")));
    expect(answer.status).toBe(200);
    await webhooks.drain();
    expect(errors).toEqual(["HYDRATION_FAILED"]);
    expect(logger.lines.join("\n")).toMatch(/answered 200 already \(ackFirst\)/);
  });

  it("refuses a hydrate option that is not a function or { fetch }", () => {
    expect(() => createOctoWebhooks({ hydrate: {} as never })).toThrow(/`hydrate` must be a function/);
    expect(() => createOctoWebhooks({ hydrate: { fetch: async () => null, timeoutMs: 0 } })).toThrow(
      /timeoutMs/,
    );
  });
});
