import type { Availability, Booking, Order, Webhook } from "@octo-webhooks/core";
import type { Delivery, DeliveryTarget } from "../deliver.ts";
import { availabilityUpdate } from "../factories/availability.ts";
import {
  type BookingLifecycleOptions,
  type BookingUpdateOptions,
  bookingLifecycle,
  bookingUpdate,
} from "../factories/booking.ts";
import { type OrderUpdateOptions, orderUpdate } from "../factories/order.ts";
import { productUpdate } from "../factories/product.ts";
import type { Seed } from "../factories/random.ts";
import { createdAtOf, type FactoryOptions } from "../factories/shared.ts";
import type { Dispatch } from "./dispatch.ts";
import type { BookingBatchOptions, MockSupplier } from "./mock-supplier.ts";
import { DEFAULT_VIEW, memo, type Render, type ResourceStore, type ResourceView } from "./resource-store.ts";
import type { MockSubscription } from "./subscriptions.ts";
import type { MockWebhook } from "./webhooks.ts";

// The mock supplier's delivery simulation: events made for each registered webhook, really delivered;
// the same changes as thin OCTO notifications (`{ type, data }`) to each subscription of their type, with
// its headers and the supplier's retry schedule (the same as webhooks'); the resources (read back with
// `GET /bookings/{uuid}`...) moved forward as the changes are delivered. A resource and the bodies of
// its deliveries come from the same factory options, the webhook's view (capabilities, live) or the
// reader's, so that what the read API answers is what a webhook with those capabilities was sent.

/** What the simulation works on, shared with the server. */
export interface SimulationState {
  readonly store: ReadonlyMap<string, MockWebhook>;
  /** The notification subscriptions. */
  readonly subscriptions: ReadonlyMap<string, MockSubscription>;
  /** The bookings, orders, availability and products the read API serves. */
  readonly resources: ResourceStore;
  /** Every delivery, in creation order. */
  readonly deliveries: readonly Delivery[];
  /** The deliveries under way (`idle()` waits for them). */
  readonly pending: Set<Promise<unknown>>;
  /** Creates and sends each delivery, with the supplier's failure modes. */
  readonly dispatch: Dispatch;
  readonly seed: Seed;
}

/** One step of a simulated change: the thin notification's data, and what the supplier's state is then. */
interface NotificationStep {
  data: Record<string, unknown>;
  /** Called before the step is delivered: the resource reaches this step's state. */
  advance?: (() => void) | undefined;
}

const HOUR = 60 * 60_000;

/** Sends `queued` in order (one after the other), tracked by `pending`; resolves with them when all are finished. */
function sendInOrder(
  state: SimulationState,
  target: DeliveryTarget,
  queued: readonly Delivery[],
  advance?: (step: number) => void,
): Promise<Delivery[]> {
  const chain = (async () => {
    for (const [step, delivery] of queued.entries()) {
      advance?.(step);
      await state.dispatch.send(delivery, target);
    }
    return [...queued];
  })();
  state.pending.add(chain);
  void chain.finally(() => state.pending.delete(chain));
  return chain;
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
  const chains: Promise<Delivery[]>[] = [];
  for (const subscription of state.subscriptions.values()) {
    if (!subscription.active || !subscription.notificationTypes.includes(type)) continue;
    const target: DeliveryTarget = {
      webhookId: subscription.id,
      event: type,
      url: subscription.url,
      headers: subscription.headers,
      retryOnError: subscription.retryOnError,
    };
    const queued = steps.map((step) => state.dispatch.queue(target, { type, data: { ...step.data } }));
    chains.push(sendInOrder(state, target, queued, (i) => steps[i]?.advance?.()));
  }
  return Promise.all(chains).then((lists) => lists.flat());
}

/** The `webhook` echo of a delivery to `webhook`: its fields, its URL without credentials. */
function echoOf(webhook: MockWebhook): Partial<Webhook> {
  const echo = new URL(webhook.url);
  echo.username = "";
  echo.password = "";
  return {
    id: webhook.id,
    event: webhook.event,
    url: echo.href,
    retryOnError: webhook.retryOnError,
    useContactLanguage: webhook.useContactLanguage,
    capabilities: webhook.capabilities,
  };
}

/** What a webhook's deliveries show of the resources: its capabilities, live when it was created live. */
const viewOf = (webhook: MockWebhook): ResourceView => ({
  capabilities: webhook.capabilities,
  live: webhook.env === "live",
});

/** The factory options of a simulation seen in `view` (the caller's `webhook` echo and capabilities left out). */
function optionsIn<T extends FactoryOptions>(simulation: string, given: T, view: ResourceView): T {
  const { webhook: _w, capabilities: _c, ...rest } = given;
  return { seed: simulation, ...rest, capabilities: view.capabilities } as T;
}

/** A booking simulation's options seen in `view`: live makes `testMode: false`. */
const bookingIn = (simulation: string, given: BookingUpdateOptions, view: ResourceView) => ({
  ...optionsIn(simulation, given, view),
  booking: { testMode: !view.live, ...given.booking },
});

/** The options of a delivery to `webhook`: the simulation's in the webhook's view, with its echo. */
const forWebhook = <T extends FactoryOptions>(
  webhook: MockWebhook,
  options: (view: ResourceView) => T,
): T => ({
  ...options(viewOf(webhook)),
  webhook: echoOf(webhook),
});

/** The checked options of `simulate.bookingBatch`. */
function checkBatch(
  given: BookingBatchOptions,
): BookingBatchOptions & { amended: number; cancelled: number } {
  const fail = (message: string) => new TypeError(`[@octo-webhooks/testing] bookingBatch: ${message}`);
  if (typeof given !== "object" || given === null) throw fail("send { count, amended?, cancelled? }");
  if ("seed" in given) throw fail("each booking gets its own seed; `seed` is not an option");
  const { count, amended = 0, cancelled = 0 } = given;
  const whole = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  if (!whole(count) || count < 1 || count > 10_000) {
    throw fail("`count` must be a whole number from 1 to 10000");
  }
  if (!whole(amended) || !whole(cancelled) || amended + cancelled > count) {
    throw fail("`amended` and `cancelled` must be whole numbers adding up to `count` at most");
  }
  return { ...given, amended, cancelled };
}

/** `supplier.simulate`: each call creates its deliveries at once and resolves when they are finished. */
export function createSimulator(state: SimulationState): MockSupplier["simulate"] {
  const { store, resources, dispatch } = state;
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
      const queued = bodiesFor(webhook).map((body) => dispatch.queue(target, body));
      chains.push(sendInOrder(state, target, queued, advance));
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
  /** The product of a seed, so that `GET /products/{id}` of its bookings answers. */
  const ensureProduct = (seed: string, given: FactoryOptions) => {
    const product = memo((view) => productUpdate(optionsIn(seed, given, view)).product);
    const id = product(DEFAULT_VIEW).id;
    if (!resources.hasProduct(id)) resources.setProduct(id, product);
  };
  /** The first `steps` states of a booking's life (all four: ON_HOLD, CONFIRMED, amended, CANCELLED). */
  const lifecycle = (simulation: string, given: BookingLifecycleOptions, steps: number) => {
    ensureProduct(simulation, given);
    const options = (view: ResourceView) => bookingIn(simulation, given, view);
    const life = memo((view) => bookingLifecycle(options(view)));
    const states = Array.from({ length: steps }, (_, i) => memo((view) => life(view)[i]?.booking as Booking));
    return bothWays(
      "booking_update",
      (webhook) => bookingLifecycle(forWebhook(webhook, options)).slice(0, steps),
      recordBooking(resources, states),
    );
  };
  /** An order's states delivered to every `order_update` webhook (variants of the simulation's options). */
  const orderChanges = (
    simulation: string,
    given: Omit<OrderUpdateOptions, "seed">,
    variants: readonly Partial<OrderUpdateOptions>[],
  ) => {
    const options = (view: ResourceView) => optionsIn(simulation, given as OrderUpdateOptions, view);
    const states = variants.map((variant) =>
      memo((view) => orderUpdate({ ...options(view), ...variant }).order),
    );
    const steps = recordOrder(resources, states);
    // each booking of an order is made from its own seed (orderUpdate's), so has its own product
    const count = states[0]?.(DEFAULT_VIEW).bookings?.length ?? 0;
    for (let i = 0; i < count; i++) ensureProduct(`${simulation}:order:${i}`, given);
    const advance = (i: number) => steps[i]?.();
    return deliverToSubscribers(
      "order_update",
      (webhook) => variants.map((variant) => orderUpdate({ ...forWebhook(webhook, options), ...variant })),
      advance,
    ).then((deliveries) => {
      steps.at(-1)?.();
      return deliveries;
    });
  };

  // async, so that bad options reject; the deliveries are still created before the first await
  return {
    bookingLifecycle: async (given = {}) => lifecycle(nextSimulation(), given, 4),
    bookingBatch: async (given) => {
      const { count, amended, cancelled, createdAt, ...rest } = checkBatch(given);
      const start = createdAtOf(createdAt === undefined ? {} : { createdAt }).getTime();
      const runs = Array.from({ length: count }, (_, i) =>
        lifecycle(
          nextSimulation(),
          { ...rest, createdAt: new Date(start + i * HOUR).toISOString() },
          i < cancelled ? 4 : i < cancelled + amended ? 3 : 2,
        ),
      );
      return Promise.all(runs).then((lists) => lists.flat());
    },
    bookingUpdate: async (given = {}) => {
      const simulation = nextSimulation();
      ensureProduct(simulation, given);
      const options = (view: ResourceView) => bookingIn(simulation, given, view);
      return bothWays(
        "booking_update",
        (webhook) => [bookingUpdate(forWebhook(webhook, options))],
        recordBooking(resources, [memo((view) => bookingUpdate(options(view)).booking)]),
      );
    },
    availabilityChange: async (given = {}) => {
      const simulation = nextSimulation();
      const options = (view: ResourceView) => optionsIn(simulation, given, view);
      const bodyIn = memo((view) => availabilityUpdate(options(view)));
      const body = bodyIn(DEFAULT_VIEW);
      const productId = body.productId ?? (body.availability as { productId?: string }).productId ?? "";
      const optionId = body.optionId ?? (body.availability as { optionId?: string }).optionId ?? "DEFAULT";
      const slotIn = memo((view) => {
        const { productId: _p, optionId: _o, ...slot } = bodyIn(view).availability as Record<string, unknown>;
        return slot as Availability;
      });
      resources.setAvailability(productId, optionId, body.availability.id, slotIn);
      ensureProduct(simulation, given);
      const day = (body.availability.localDateTimeStart ?? "").slice(0, 10);
      const data = { productId, optionId, localDateStart: day, localDateEnd: day };
      return bothWays(
        "availability_update",
        (webhook) => [availabilityUpdate(forWebhook(webhook, options))],
        [{ data }],
      );
    },
    orderLifecycle: async (given = {}) =>
      orderChanges(nextSimulation(), given, [
        {},
        {
          bookings: ["CONFIRMED", "CANCELLED"],
          was: { status: "CONFIRMED", bookings: ["CONFIRMED", "CONFIRMED"] },
        },
      ]),
    orderUpdate: async (given = {}) => orderChanges(nextSimulation(), given, [{}]),
    productChange: async (given = {}) => {
      const simulation = nextSimulation();
      const changed = {
        option: { internalName: "Harbour cruise with lunch (3h)" },
        seed: simulation,
        ...given,
      };
      const product = memo((view) => productUpdate({ ...changed, capabilities: view.capabilities }).product);
      const id = product(DEFAULT_VIEW).id;
      resources.setProduct(id, product);
      const options = (view: ResourceView) => optionsIn(simulation, given, view);
      return bothWays(
        "product_update",
        (webhook) => [productUpdate({ ...changed, ...forWebhook(webhook, options) })],
        [{ data: { productId: id } }],
      );
    },
    notification: async (type, data) => {
      if (typeof type !== "string" || typeof data !== "object" || data === null) {
        throw new TypeError('[@octo-webhooks/testing] send notification("BOOKING_UPDATE", { uuid })');
      }
      return notifySubscribers(state, type.toUpperCase(), [{ data }]);
    },
    event: async (event, body) => {
      nextSimulation(); // keeps the seeds of the simulations after it as they were
      return deliverToSubscribers(event, (webhook) => [{ webhook: echoOf(webhook), ...body }]);
    },
  };
}

/** A booking's states recorded; each step moves the booking to its state before it is delivered. */
function recordBooking(resources: ResourceStore, states: Render<Booking>[]): NotificationStep[] {
  const uuid = (states[0] as Render<Booking>)(DEFAULT_VIEW).uuid;
  const first = resources.addBooking(uuid, states);
  return states.map((_, i) => ({
    data: { uuid },
    advance: () => resources.advanceBooking(uuid, first + i),
  }));
}

/**
 * An order's states recorded, and each state of its bookings (read alone with `GET /bookings/{uuid}`,
 * listed by `GET /bookings`); step `i` moves the order and its bookings to their state `i`.
 */
function recordOrder(resources: ResourceStore, states: Render<Order>[]): Array<() => void> {
  const id = (states[0] as Render<Order>)(DEFAULT_VIEW).id;
  const first = resources.addOrder(id, states);
  return states.map((state, i) => {
    const bookings = (state(DEFAULT_VIEW).bookings ?? []).map((booking, j) => {
      const render = memo((view) => (state(view).bookings ?? [])[j] as Booking);
      return [booking.uuid, resources.addBooking(booking.uuid, [render])] as const;
    });
    return () => {
      resources.advanceOrder(id, first + i);
      for (const [uuid, index] of bookings) resources.advanceBooking(uuid, index);
    };
  });
}
