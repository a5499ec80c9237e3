import { createDelivery, type Delivery, type DeliveryPolicy, runDelivery } from "../deliver.ts";
import { availabilityUpdate } from "../factories/availability.ts";
import { type BookingUpdateOptions, bookingLifecycle, bookingUpdate } from "../factories/booking.ts";
import { orderUpdate } from "../factories/order.ts";
import { productUpdate } from "../factories/product.ts";
import type { Seed } from "../factories/random.ts";
import type { FactoryOptions } from "../factories/shared.ts";
import type { MockWebhook } from "./management.ts";
import type { MockSupplier } from "./types.ts";

// The mock supplier's delivery simulation: events made for each registered webhook, really delivered.

/** What the simulation works on, shared with the server. */
export interface SimulationState {
  readonly store: ReadonlyMap<string, MockWebhook>;
  /** Every delivery, in creation order (appended to). */
  readonly deliveries: Delivery[];
  /** The deliveries under way (`idle()` waits for them). */
  readonly pending: Set<Promise<unknown>>;
  readonly policy: DeliveryPolicy;
  readonly seed: Seed;
  /** Called when a delivery is created, before its first attempt. */
  readonly onDelivery?: ((delivery: Delivery) => void) | undefined;
}

/** The factory options that make a body look like it came from this webhook. */
function asFromWebhook(webhook: MockWebhook, simulation: string, given: FactoryOptions) {
  const echo = new URL(webhook.url);
  echo.username = "";
  echo.password = "";
  return {
    seed: simulation,
    ...given,
    capabilities: webhook.capabilities,
    webhook: {
      id: webhook.id,
      event: webhook.event,
      url: echo.href,
      retryOnError: webhook.retryOnError,
      useContactLanguage: webhook.useContactLanguage,
      capabilities: webhook.capabilities,
    },
  };
}

const asBooking = (
  webhook: MockWebhook,
  simulation: string,
  given: BookingUpdateOptions,
): BookingUpdateOptions => ({
  ...asFromWebhook(webhook, simulation, given),
  booking: { testMode: webhook.env !== "live", ...given.booking },
});

/** `supplier.simulate`: each call creates its deliveries at once and resolves when they are finished. */
export function createSimulator(state: SimulationState): MockSupplier["simulate"] {
  const { store, deliveries, pending, policy } = state;
  let simulations = 0;
  // one seed per simulation: every webhook gets the same booking, each simulation a new one
  const nextSimulation = () => `${state.seed}:${++simulations}`;

  /** Delivers each webhook's bodies in order (one after the other), webhooks in parallel. */
  const deliverToSubscribers = (
    event: string,
    bodiesFor: (webhook: MockWebhook) => Record<string, unknown>[],
  ) => {
    const chains: Promise<Delivery[]>[] = [];
    for (const webhook of store.values()) {
      if (webhook.event !== event || !webhook.active) continue;
      const target = {
        webhookId: webhook.id,
        event,
        url: webhook.url,
        headers: webhook.headers,
        retryOnError: webhook.retryOnError,
      };
      const queued = bodiesFor(webhook).map((body) => {
        const delivery = createDelivery(`d${deliveries.length + 1}`, target, body, policy.userAgent);
        deliveries.push(delivery);
        state.onDelivery?.(delivery);
        return delivery;
      });
      const chain = (async () => {
        for (const delivery of queued) await runDelivery(delivery, target, policy);
        return queued;
      })();
      pending.add(chain);
      void chain.finally(() => pending.delete(chain));
      chains.push(chain);
    }
    return Promise.all(chains).then((lists) => lists.flat());
  };

  // async, so that bad options reject; the deliveries are still created before the first await
  return {
    bookingLifecycle: async (given = {}) => {
      const simulation = nextSimulation();
      return deliverToSubscribers("booking_update", (webhook) =>
        bookingLifecycle(asBooking(webhook, simulation, given)),
      );
    },
    bookingUpdate: async (given = {}) => {
      const simulation = nextSimulation();
      return deliverToSubscribers("booking_update", (webhook) => [
        bookingUpdate(asBooking(webhook, simulation, given)),
      ]);
    },
    availabilityChange: async (given = {}) => {
      const simulation = nextSimulation();
      return deliverToSubscribers("availability_update", (webhook) => [
        availabilityUpdate(asFromWebhook(webhook, simulation, given)),
      ]);
    },
    orderLifecycle: async (given = {}) => {
      const simulation = nextSimulation();
      return deliverToSubscribers("order_update", (webhook) => {
        const options = asFromWebhook(webhook, simulation, given);
        return [
          orderUpdate(options),
          orderUpdate({
            ...options,
            bookings: ["CONFIRMED", "CANCELLED"],
            was: { status: "CONFIRMED", bookings: ["CONFIRMED", "CONFIRMED"] },
          }),
        ];
      });
    },
    orderUpdate: async (given = {}) => {
      const simulation = nextSimulation();
      return deliverToSubscribers("order_update", (webhook) => [
        orderUpdate(asFromWebhook(webhook, simulation, given)),
      ]);
    },
    productChange: async (given = {}) => {
      const simulation = nextSimulation();
      return deliverToSubscribers("product_update", (webhook) => [
        productUpdate({
          option: { internalName: "Harbour cruise with lunch (3h)" },
          ...asFromWebhook(webhook, simulation, given),
        }),
      ]);
    },
    event: async (event, body) => {
      const simulation = nextSimulation();
      return deliverToSubscribers(event, (webhook) => [
        { webhook: asFromWebhook(webhook, simulation, {}).webhook, ...body },
      ]);
    },
  };
}
