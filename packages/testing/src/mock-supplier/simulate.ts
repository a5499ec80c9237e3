import type { Booking } from "@octo-webhooks/core";
import {
  createDelivery,
  type Delivery,
  type DeliveryPolicy,
  type DeliveryTarget,
  runDelivery,
} from "../deliver.ts";
import { availabilityUpdate } from "../factories/availability.ts";
import { type BookingUpdateOptions, bookingLifecycle, bookingUpdate } from "../factories/booking.ts";
import { orderUpdate } from "../factories/order.ts";
import { productUpdate } from "../factories/product.ts";
import type { Seed } from "../factories/random.ts";
import type { FactoryOptions } from "../factories/shared.ts";
import type { MockSupplier } from "./mock-supplier.ts";
import type { MockResources } from "./resources.ts";
import type { MockSubscription } from "./subscriptions.ts";
import type { MockWebhook } from "./webhooks.ts";

// The mock supplier's delivery simulation: events made for each registered webhook, really delivered;
// the same changes as thin OCTO notifications (`{ type, data }`) to each subscription of their type, with
// its headers and the supplier's retry schedule (the same as webhooks'); the resources (read back with
// `GET /bookings/{uuid}`...) moved forward as the changes are delivered.

/** What the simulation works on, shared with the server. */
export interface SimulationState {
  readonly store: ReadonlyMap<string, MockWebhook>;
  /** The notification subscriptions. */
  readonly subscriptions: ReadonlyMap<string, MockSubscription>;
  /** The bookings, availability and products the read API serves. */
  readonly resources: MockResources;
  /** Every delivery, in creation order (appended to). */
  readonly deliveries: Delivery[];
  /** The deliveries under way (`idle()` waits for them). */
  readonly pending: Set<Promise<unknown>>;
  readonly policy: DeliveryPolicy;
  readonly seed: Seed;
  /** Called when a delivery is created, before its first attempt. */
  readonly onDelivery?: ((delivery: Delivery) => void) | undefined;
}

/** One step of a simulated change: the thin notification's data, and what the supplier's state is then. */
interface NotificationStep {
  data: Record<string, unknown>;
  /** Called before the step is delivered: the resource reaches this step's state. */
  advance?: (() => void) | undefined;
}

/**
 * Creates the deliveries of `steps` to every active subscription of `type` at once, then sends each
 * subscription's in order (one after the other), subscriptions in parallel; resolves when all are finished.
 */
function notifySubscribers(
  state: SimulationState,
  type: string,
  steps: readonly NotificationStep[],
): Promise<Delivery[]> {
  const { subscriptions, deliveries, pending, policy } = state;
  const chains: Promise<Delivery[]>[] = [];
  for (const subscription of subscriptions.values()) {
    if (!subscription.active || !subscription.notificationTypes.includes(type)) continue;
    const target: DeliveryTarget = {
      webhookId: subscription.id,
      event: type,
      url: subscription.url,
      headers: subscription.headers,
      retryOnError: subscription.retryOnError,
    };
    const queued = steps.map((step) => {
      const body = { type, data: { ...step.data } };
      const delivery = createDelivery(`d${deliveries.length + 1}`, target, body, policy.userAgent);
      deliveries.push(delivery);
      state.onDelivery?.(delivery);
      return { delivery, step };
    });
    const chain = (async () => {
      for (const { delivery, step } of queued) {
        step.advance?.();
        await runDelivery(delivery, target, policy);
      }
      return queued.map((q) => q.delivery);
    })();
    pending.add(chain);
    void chain.finally(() => pending.delete(chain));
    chains.push(chain);
  }
  return Promise.all(chains).then((lists) => lists.flat());
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
    advance?: (step: number) => void,
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
        for (const [step, delivery] of queued.entries()) {
          advance?.(step);
          await runDelivery(delivery, target, policy);
        }
        return queued;
      })();
      pending.add(chain);
      void chain.finally(() => pending.delete(chain));
      chains.push(chain);
    }
    return Promise.all(chains).then((lists) => lists.flat());
  };

  /** A change to the webhooks of `event` and, as thin notifications, to the subscriptions of its type. */
  const bothWays = (
    event: string,
    bodiesFor: (webhook: MockWebhook) => Record<string, unknown>[],
    steps: NotificationStep[],
  ) => {
    const advance = (i: number) => steps[i]?.advance?.();
    const type = event.toUpperCase(); // booking_update -> BOOKING_UPDATE
    const done = Promise.all([
      deliverToSubscribers(event, bodiesFor, advance),
      notifySubscribers(state, type, steps),
    ]);
    // the change happened whoever was told: with no receiver, the resource is at its last state
    return done.then(([webhooks, notifications]) => {
      steps.at(-1)?.advance?.();
      return [...webhooks, ...notifications];
    });
  };
  /** The product of a simulation's seed, so that `GET /products/{id}` of its booking answers. */
  const ensureProduct = (simulation: string, given: FactoryOptions) => {
    const product = productUpdate({ seed: simulation, ...given }).product;
    if (!state.resources.hasProduct(product.id)) state.resources.setProduct(product);
  };
  const asResource = (simulation: string, given: BookingUpdateOptions): BookingUpdateOptions => {
    ensureProduct(simulation, given);
    const { webhook: _w, capabilities: _c, ...rest } = given;
    return { seed: simulation, ...rest, booking: { testMode: true, ...given.booking } };
  };

  // async, so that bad options reject; the deliveries are still created before the first await
  return {
    bookingLifecycle: async (given = {}) => {
      const simulation = nextSimulation();
      const states = bookingLifecycle(asResource(simulation, given)).map((body) => body.booking);
      return bothWays(
        "booking_update",
        (webhook) => bookingLifecycle(asBooking(webhook, simulation, given)),
        recordBooking(state.resources, states),
      );
    },
    bookingUpdate: async (given = {}) => {
      const simulation = nextSimulation();
      const states = [bookingUpdate(asResource(simulation, given)).booking];
      return bothWays(
        "booking_update",
        (webhook) => [bookingUpdate(asBooking(webhook, simulation, given))],
        recordBooking(state.resources, states),
      );
    },
    availabilityChange: async (given = {}) => {
      const simulation = nextSimulation();
      const body = availabilityUpdate({ seed: simulation, ...given });
      const productId = body.productId ?? (body.availability as { productId?: string }).productId ?? "";
      const optionId = body.optionId ?? (body.availability as { optionId?: string }).optionId ?? "DEFAULT";
      const { productId: _p, optionId: _o, ...slot } = body.availability as Record<string, unknown>;
      state.resources.setAvailability(productId, optionId, slot as typeof body.availability);
      ensureProduct(simulation, given);
      const day = (body.availability.localDateTimeStart ?? "").slice(0, 10);
      const data = { productId, optionId, localDateStart: day, localDateEnd: day };
      return bothWays(
        "availability_update",
        (webhook) => [availabilityUpdate(asFromWebhook(webhook, simulation, given))],
        [{ data }],
      );
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
      const changed = {
        option: { internalName: "Harbour cruise with lunch (3h)" },
        seed: simulation,
        ...given,
      };
      const product = productUpdate(changed).product;
      state.resources.setProduct(product);
      return bothWays(
        "product_update",
        (webhook) => [productUpdate({ ...changed, ...asFromWebhook(webhook, simulation, given) })],
        [{ data: { productId: product.id } }],
      );
    },
    notification: async (type, data) => {
      if (typeof type !== "string" || typeof data !== "object" || data === null) {
        throw new TypeError('[@octo-webhooks/testing] send notification("BOOKING_UPDATE", { uuid })');
      }
      return notifySubscribers(state, type.toUpperCase(), [{ data }]);
    },
    event: async (event, body) => {
      const simulation = nextSimulation();
      return deliverToSubscribers(event, (webhook) => [
        { webhook: asFromWebhook(webhook, simulation, {}).webhook, ...body },
      ]);
    },
  };
}

/** A booking's states recorded; each step moves the booking to its state before it is delivered. */
function recordBooking(resources: MockResources, states: Booking[]): NotificationStep[] {
  const first = resources.addBooking(states);
  return states.map((booking, i) => ({
    data: { uuid: booking.uuid },
    advance: () => resources.advanceBooking(booking.uuid, first + i),
  }));
}
