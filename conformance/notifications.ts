// OCTO notifications on every adapter: a thin `{ type, data }` body without `hydrate` reaches
// `onNotification` (200); with a hydrator written here (the test's own map of resources, or failing), a
// booking's notification fires the same `onBookingUpdate` and `booking.cancelled` a webhook fires, once
// even when the supplier sends it again (dedupe), availability slots fan out, a failing hydrator gets
// 503 + Retry-After, and a resource the supplier does not have gets 200 and `onError`.
import type { AdapterOptions, HandlerContext, OctoHydrator, OctoNotification } from "@octo-webhooks/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FrameworkUnderTest, PATH, type Target } from "./app.ts";

const post = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
  signal: AbortSignal.timeout(10_000),
});

/** What the handlers saw, as plain values (a Bun/Deno target carries contexts back as copies). */
function recorder() {
  const seen: string[] = [];
  const sources: Array<string | undefined> = [];
  const notifications: OctoNotification[] = [];
  const errors: string[] = [];
  // the supplier's read API, in this test: what the hydrator answers
  const bookings: Record<string, unknown> = {
    "b-cancelled": {
      uuid: "b-cancelled",
      status: "CANCELLED",
      utcUpdatedAt: "2026-03-01T10:00:00Z",
      cancellation: { refund: "FULL", reason: "weather" },
    },
  };
  const slots = [
    { id: "2026-04-01T09:00:00+02:00", status: "AVAILABLE", vacancies: 4 },
    { id: "2026-04-01T11:00:00+02:00", status: "SOLD_OUT", vacancies: 0 },
  ];
  const hydrate: OctoHydrator = async (notification) => {
    if (notification.type === "BOOKING_UPDATE") {
      if (notification.data.uuid === "b-unreachable") throw new Error("the supplier answered 502");
      return bookings[notification.data.uuid] ?? null;
    }
    if (notification.type === "AVAILABILITY_UPDATE") return slots;
    return { id: notification.data.productId, internalName: "Harbour cruise" };
  };
  const options: AdapterOptions<unknown> = {
    auth: "none",
    logger: {},
    onNotification: (notification: OctoNotification) => {
      notifications.push(notification);
      seen.push(`notification:${notification.type}`);
    },
    onBookingUpdate: ({ booking }, context: HandlerContext) => {
      seen.push(`booking_update:${booking.uuid}:${booking.status}`);
      sources.push(context.source);
    },
    onBookingCancelled: ({ booking }) => void seen.push(`booking.cancelled:${booking.uuid}`),
    onAvailabilityUpdate: ({ availability, productId }) =>
      void seen.push(`availability_update:${productId}:${availability.id}`),
    onProductUpdate: ({ product }) => void seen.push(`product_update:${product.id}`),
    onError: (error) => void errors.push(error.code),
  };
  return {
    options,
    hydrate,
    seen,
    sources,
    notifications,
    errors,
    reset() {
      seen.length = 0;
      sources.length = 0;
      notifications.length = 0;
      errors.length = 0;
    },
  };
}

function started(framework: FrameworkUnderTest, options: () => AdapterOptions<unknown>): () => Target {
  let target: Target | undefined;
  beforeAll(async () => {
    target = await framework.start({ options: options(), parser: "none", mount: "app" });
  });
  afterAll(async () => {
    await target?.close();
  });
  return () => target as Target;
}

/**
 * The notification cases of one adapter: without `hydrate`, `onNotification` with 200; with it, the
 * webhook handlers, once; 503 + Retry-After when the hydrator fails; 200 and `onError` for a resource
 * the supplier does not have.
 *
 * @example
 * ```ts
 * testNotifications(express);
 * ```
 */
export function testNotifications(framework: FrameworkUnderTest): void {
  describe(`${framework.name}: OCTO notifications without hydrate`, () => {
    const rec = recorder();
    const target = started(framework, () => ({ ...rec.options, path: PATH }));
    it("a thin body reaches onNotification, normalised, with 200", async () => {
      rec.reset();
      const response = await target().fetch(
        PATH,
        post({
          type: "availability_update",
          data: { product_id: "p-1", localDateStart: "2026-04-01", localDateEnd: "2026-04-02" },
        }),
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
      expect(rec.notifications).toEqual([
        {
          type: "AVAILABILITY_UPDATE",
          data: { productId: "p-1", localDateStart: "2026-04-01", localDateEnd: "2026-04-02" },
        },
      ]);
      expect(rec.seen).toEqual(["notification:AVAILABILITY_UPDATE"]);
    });
    it("400 naming the missing identifier", async () => {
      rec.reset();
      const response = await target().fetch(PATH, post({ type: "BOOKING_UPDATE", data: {} }));
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { message: string } };
      expect(error.message).toContain("`data.uuid`");
      expect(rec.seen).toEqual([]);
    });
  });

  describe(`${framework.name}: OCTO notifications with hydrate`, () => {
    const rec = recorder();
    const target = started(framework, () => ({
      ...rec.options,
      path: PATH,
      hydrate: rec.hydrate,
      dedupe: true,
    }));
    it("BOOKING_UPDATE: onBookingUpdate and booking.cancelled fire once, even when the supplier sends it again", async () => {
      rec.reset();
      for (let i = 0; i < 2; i++) {
        const response = await target().fetch(
          PATH,
          post({ type: "BOOKING_UPDATE", data: { bookingUuid: "b-cancelled" } }),
        );
        expect(response.status).toBe(200);
      }
      expect(rec.seen).toEqual([
        "notification:BOOKING_UPDATE",
        "booking_update:b-cancelled:CANCELLED",
        "booking.cancelled:b-cancelled",
        "notification:BOOKING_UPDATE",
      ]);
      expect(rec.sources).toEqual(["notification"]);
    });
    it("AVAILABILITY_UPDATE: one availability_update per slot; PRODUCT_UPDATE: one product_update", async () => {
      rec.reset();
      const availability = await target().fetch(
        PATH,
        post({
          type: "AVAILABILITY_UPDATE",
          data: { productId: "p-1", localDateStart: "2026-04-01", localDateEnd: "2026-04-01" },
        }),
      );
      expect(availability.status).toBe(200);
      const product = await target().fetch(
        PATH,
        post({ type: "PRODUCT_UPDATE", data: { productId: "p-2" } }),
      );
      expect(product.status).toBe(200);
      expect(rec.seen).toEqual([
        "notification:AVAILABILITY_UPDATE",
        "availability_update:p-1:2026-04-01T09:00:00+02:00",
        "availability_update:p-1:2026-04-01T11:00:00+02:00",
        "notification:PRODUCT_UPDATE",
        "product_update:p-2",
      ]);
    });
    it("503 + Retry-After when the hydrator rejects, without its message; no handler runs", async () => {
      rec.reset();
      const response = await target().fetch(
        PATH,
        post({ type: "BOOKING_UPDATE", data: { uuid: "b-unreachable" } }),
      );
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      const text = await response.text();
      expect(text).not.toContain("502");
      expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe("HYDRATION_FAILED");
      expect(rec.seen).toEqual([]);
      expect(rec.errors).toEqual(["HYDRATION_FAILED"]);
    });
    it("a booking the supplier does not have (null): 200 notFound, onError sees RESOURCE_NOT_FOUND", async () => {
      rec.reset();
      const response = await target().fetch(
        PATH,
        post({ type: "BOOKING_UPDATE", data: { uuid: "b-unknown" } }),
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true, notFound: true });
      expect(rec.seen).toEqual(["notification:BOOKING_UPDATE"]);
      expect(rec.errors).toEqual(["RESOURCE_NOT_FOUND"]);
    });
  });
}
