import type { Availability, Booking, Order, Product } from "@octo-webhooks/core";

// The mock supplier's bookings, orders, products and availability, each kept as the way to render it
// for a reader: a webhook's deliveries carry the fields of its capabilities (`octo/pricing` adds
// `pricing`) and `testMode: false` when it was made live, so the read API renders a resource for the
// `Octo-Capabilities` and `Octo-Env` of the request, from the same factory options as the deliveries:
// a reader with the webhook's capabilities reads back the very object it was delivered.

/** Who reads a resource: the capabilities it sends and whether it is live (`Octo-Env: live`). */
export interface ResourceView {
  readonly capabilities: readonly string[];
  readonly live: boolean;
}

/** The view of a reader that sends no capabilities, in test mode (`supplier.bookings`...). */
export const DEFAULT_VIEW: ResourceView = { capabilities: [], live: false };

/** A resource in one of its states, rendered for a view. */
export type Render<T> = (view: ResourceView) => T;

/** Past this many views of one state, its renderings are forgotten (a reader can send any capabilities). */
const MAX_VIEWS = 16;

/** `render`, computed once per view: the same view always gets the same object. */
export function memo<T>(render: Render<T>): Render<T> {
  const cache = new Map<string, T>();
  return (view) => {
    const key = `${view.live ? "live" : "test"}|${[...view.capabilities].sort().join(",")}`;
    const known = cache.get(key);
    if (known !== undefined) return known;
    const value = render(view);
    if (cache.size >= MAX_VIEWS) cache.clear();
    cache.set(key, value);
    return value;
  };
}

/** A resource's states in order and the index of the current one (it only moves forward). */
interface Timeline<T> {
  states: Render<T>[];
  at: number;
}

/** An availability slot with the product and option it belongs to. */
interface Slot {
  productId: string;
  optionId: string;
  render: Render<Availability>;
}

/** The resources of one mock supplier (what its simulations create and change). */
export function createResourceStore() {
  const bookings = new Map<string, Timeline<Booking>>();
  const orders = new Map<string, Timeline<Order>>();
  const products = new Map<string, Render<Product>>();
  const availability = new Map<string, Slot>();

  /** Appends `states` to the timeline of `id`; a new one starts at its first state. The index of the first. */
  function append<T>(timelines: Map<string, Timeline<T>>, id: string, states: Render<T>[]): number {
    const known = timelines.get(id);
    if (known === undefined) {
      timelines.set(id, { states: [...states], at: 0 });
      return 0;
    }
    const first = known.states.length;
    known.states.push(...states);
    return first;
  }
  /** Moves a timeline to its state `index` (never back: a late reader sees the latest state). */
  function advance<T>(timelines: Map<string, Timeline<T>>, id: string, index: number) {
    const timeline = timelines.get(id);
    if (timeline !== undefined)
      timeline.at = Math.max(timeline.at, Math.min(index, timeline.states.length - 1));
  }
  const current = <T>(timeline: Timeline<T>, view: ResourceView) =>
    (timeline.states[timeline.at] as Render<T>)(view);
  const all = <T>(timelines: Map<string, Timeline<T>>, view: ResourceView) =>
    new Map([...timelines].map(([id, timeline]) => [id, current(timeline, view)]));

  return {
    /** Records the next states of a booking (in order); returns the index of the first, for `advanceBooking`. */
    addBooking: (uuid: string, states: Render<Booking>[]) => append(bookings, uuid, states),
    advanceBooking: (uuid: string, index: number) => advance(bookings, uuid, index),
    /** Records the next states of an order (in order); returns the index of the first, for `advanceOrder`. */
    addOrder: (id: string, states: Render<Order>[]) => append(orders, id, states),
    advanceOrder: (id: string, index: number) => advance(orders, id, index),
    setProduct(id: string, render: Render<Product>) {
      products.set(id, render);
    },
    hasProduct: (id: string) => products.has(id),
    setAvailability(productId: string, optionId: string, slotId: string, render: Render<Availability>) {
      availability.set(`${productId}/${optionId}/${slotId}`, { productId, optionId, render });
    },
    /** A booking in its current state, or `undefined`. */
    booking(uuid: string, view: ResourceView): Booking | undefined {
      const timeline = bookings.get(uuid);
      return timeline === undefined ? undefined : current(timeline, view);
    },
    order(id: string, view: ResourceView): Order | undefined {
      const timeline = orders.get(id);
      return timeline === undefined ? undefined : current(timeline, view);
    },
    product: (id: string, view: ResourceView): Product | undefined => products.get(id)?.(view),
    /** Every booking in its current state, by uuid, in the order they were made. */
    bookings: (view: ResourceView = DEFAULT_VIEW): Map<string, Booking> => all(bookings, view),
    orders: (view: ResourceView = DEFAULT_VIEW): Map<string, Order> => all(orders, view),
    products: (view: ResourceView = DEFAULT_VIEW): Map<string, Product> =>
      new Map([...products].map(([id, render]) => [id, render(view)])),
    /** The slots of a product (of one option when given), with their product and option. */
    slots(productId: string, optionId: string | undefined, view: ResourceView) {
      return [...availability.values()]
        .filter((s) => s.productId === productId && (optionId === undefined || s.optionId === optionId))
        .map((s) => s.render(view));
    },
  };
}

/** The resources of a mock supplier (see {@link createResourceStore}). */
export type ResourceStore = ReturnType<typeof createResourceStore>;
