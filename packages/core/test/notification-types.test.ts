// Pins the public types of OCTO notifications. `tsc -p tsconfig.test.json` fails when one of them drifts.
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type AvailabilityNotification,
  type BookingNotification,
  createOctoWebhooks,
  type HandlerContext,
  type NotificationType,
  type OctoHydrator,
  type OctoNotification,
  type OctoWebhooksOptions,
  type ProductNotification,
} from "../src/index.ts";

describe("notification types", () => {
  it("onNotification and on('notification') get the union, narrowed by type", () => {
    const webhooks = createOctoWebhooks({ auth: "none" });
    webhooks.onNotification((notification, context) => {
      expectTypeOf(notification).toEqualTypeOf<OctoNotification>();
      expectTypeOf(context.source).toEqualTypeOf<"webhook" | "notification" | "reconciliation" | "replay">();
      if (notification.type === "AVAILABILITY_UPDATE") {
        expectTypeOf(notification.data.localDateStart).toEqualTypeOf<string>();
        expectTypeOf(notification.data.optionId).toEqualTypeOf<string | undefined>();
      }
      if (notification.type === "BOOKING_UPDATE")
        expectTypeOf(notification.data.uuid).toEqualTypeOf<string>();
    });
    webhooks.on("notification", (notification) => {
      expectTypeOf(notification.type).toEqualTypeOf<NotificationType>();
    });
    expectTypeOf<OctoNotification>().toEqualTypeOf<
      BookingNotification | AvailabilityNotification | ProductNotification
    >();
    expectTypeOf<HandlerContext["notification"]>().toEqualTypeOf<OctoNotification | undefined>();
  });

  it("hydrate takes a hydrator or { fetch, cacheMs, timeoutMs }", () => {
    const hydrate: OctoHydrator = async (notification, { signal, supplier }) => {
      expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
      expectTypeOf(supplier).toEqualTypeOf<string | undefined>();
      return notification.type === "PRODUCT_UPDATE" ? { id: notification.data.productId } : null;
    };
    expectTypeOf({ hydrate }).toExtend<OctoWebhooksOptions>();
    expectTypeOf({
      hydrate: { fetch: hydrate, cacheMs: 1000, timeoutMs: 5000 },
    }).toExtend<OctoWebhooksOptions>();
    expect(() =>
      // @ts-expect-error: the hydrator is `fetch`, not `hydrate`
      createOctoWebhooks({ auth: "none", hydrate: { hydrate } }),
    ).toThrow(/`hydrate` must be a function/);
  });
});
