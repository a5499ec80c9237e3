// Pins the worker's public types to core's. `tsc -p tsconfig.test.json` fails when they drift.
import type { OctoWebhooksOptions } from "@octo-webhooks/core";
import { describe, expectTypeOf, it } from "vitest";
import type {
  AvailabilityUpdateEvent,
  BookingLifecyclePayload,
  BookingUpdateEvent,
  HandlerContext,
  OctoQueueReceiverOptions,
  OctoWorker,
  OctoWorkerOptions,
} from "../src/index.ts";

describe("public types", () => {
  it("worker handlers are core's: the typed body, then the context", () => {
    type Handler<K extends keyof OctoWorkerOptions> = Extract<
      NonNullable<OctoWorkerOptions[K]>,
      (...args: never[]) => unknown
    >;
    expectTypeOf<Parameters<Handler<"onBookingUpdate">>>().toEqualTypeOf<
      [BookingUpdateEvent, HandlerContext]
    >();
    expectTypeOf<Parameters<Handler<"onBookingCancelled">>>().toEqualTypeOf<
      [BookingLifecyclePayload<"booking.cancelled">, HandlerContext]
    >();
    expectTypeOf<Parameters<Handler<"onAvailabilityUpdate">>>().toEqualTypeOf<
      [AvailabilityUpdateEvent, HandlerContext]
    >();
    expectTypeOf<OctoWorkerOptions["onBookingUpdate"]>().toEqualTypeOf<
      OctoWebhooksOptions["onBookingUpdate"]
    >();
  });

  it("a worker registers handlers with core's methods, typed by event name", () => {
    expectTypeOf<OctoWorker["on"]>().toBeFunction();
    const register = (worker: OctoWorker) => {
      worker.on("booking.cancelled", ({ booking }) => booking.uuid);
      worker.onBookingUpdate(({ booking }, { deliveryKey }) => {
        expectTypeOf(deliveryKey).toEqualTypeOf<string>();
        // @ts-expect-error booking.uuid is a string
        const uuid: number = booking.uuid;
        void uuid;
      });
    };
    void register;
  });

  it("a queue's receiver takes no handler besides onError and onDuplicate, and no ackFirst", () => {
    expectTypeOf<OctoQueueReceiverOptions>().toHaveProperty("auth");
    expectTypeOf<OctoQueueReceiverOptions>().toHaveProperty("onError");
    // @ts-expect-error handlers run in the worker
    const handler: OctoQueueReceiverOptions = { onBookingUpdate: () => {} };
    // @ts-expect-error the answer waits for Redis
    const ackFirst: OctoQueueReceiverOptions = { ackFirst: true };
    void handler;
    void ackFirst;
  });
});
