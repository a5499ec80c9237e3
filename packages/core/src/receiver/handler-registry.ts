// The handlers of a receiver, by event name, and the hooks (`onError`, `onDuplicate`, `onStale`).
import { PACKAGE_PREFIX } from "../errors/codes.ts";
import { configError } from "../errors/errors.ts";
import { BOOKING_LIFECYCLE_EVENTS } from "../events/booking-lifecycle.ts";
import { OCTO_EVENTS } from "../events/event-table.ts";
import { ORDER_LIFECYCLE_EVENTS, type OrderBookingEvent } from "../events/order-lifecycle.ts";
import type { Logger } from "../log/logger.ts";

/** Any handler or hook, as the registry keeps it (each is called with what its list is for). */
export type AnyHandler = (...args: never[]) => unknown;

/** The names of the lists that are not event names. */
export const LISTS = {
  any: "*",
  unknown: "unknown",
  error: "error",
  duplicate: "duplicate",
  stale: "stale",
} as const;

/** Names of the internal lists and lifecycle events, which an unknown event of that name must never reach. */
const RESERVED = new Set<string>([
  ...Object.values(LISTS),
  "notification",
  ...Object.keys(BOOKING_LIFECYCLE_EVENTS),
  ...Object.keys(ORDER_LIFECYCLE_EVENTS),
]);

/** Every lifecycle event with its handler option: bookings', then orders'. */
export const LIFECYCLE_OPTIONS: ReadonlyArray<[string, string]> = [
  ...Object.entries(BOOKING_LIFECYCLE_EVENTS),
  ...Object.entries(ORDER_LIFECYCLE_EVENTS),
];

/**
 * The handlers a delivery runs, in order, with the lifecycle event each runs for (`runsFor[i]`, for the
 * handler spans), or `undefined` for one that runs for the delivery's own event.
 */
export type Selection = readonly AnyHandler[] & { readonly runsFor: ReadonlyArray<string | undefined> };

/** What selects the handlers of a delivery. */
export interface HandlerSelector {
  event: string;
  /** Whether the event is one this version models (`booking_update`, ..., `product_update`). */
  known: boolean;
  /** Its lifecycle event (`booking.cancelled`, `order.confirmed`...), for a `booking_update` or `order_update`. */
  context: {
    readonly lifecycle: string | undefined;
    with?(extra: object): unknown;
  };
  /** The booking lifecycle events of an `order_update`'s bookings. */
  bookings?: OrderBookingEvent[] | undefined;
  /** The body, which an order's booking events are built from. */
  body?: Record<string, unknown>;
}

/** Handlers by name: add, remove, select those of a delivery, run hooks. */
export interface HandlerRegistry {
  /** Registers `handler` (checked to be a function) under `name`; returns its remover. */
  add(name: string, handler: unknown): () => void;
  remove(name: string, handler: AnyHandler): void;
  /**
   * The handlers a delivery runs: its event's, its lifecycle event's, `onUnknownEvent`'s, `onAny`'s.
   * Shared between deliveries of the same event: never mutate it.
   */
  select(delivery: HandlerSelector): Selection;
  /** Runs the hooks of `name` one after the other; a hook that throws is logged and changes nothing. */
  runHooks(name: string, ...args: unknown[]): Promise<void>;
}

/** A handler given as an option: the name of the list it joins, and what was given (one or several). */
export type HandlerEntry = readonly [name: string, given: unknown];

/**
 * The handler options of `options` (`onBookingUpdate`, `onBookingConfirmed`..., `onAny`, the hooks), by
 * the name of the list each joins: one per row of the event and lifecycle tables, and the rest.
 */
export function handlersIn(options: object): HandlerEntry[] {
  const byName = options as Record<string, unknown>;
  const entries: HandlerEntry[] = [];
  const given = (name: string, option: string) => {
    if (byName[option] !== undefined) entries.push([name, byName[option]]);
  };
  for (const [event, [, option]] of Object.entries(OCTO_EVENTS)) given(event, option);
  for (const [event, option] of LIFECYCLE_OPTIONS) given(event, option);
  given("notification", "onNotification");
  given(LISTS.any, "onAny");
  given(LISTS.unknown, "onUnknownEvent");
  given(LISTS.error, "onError");
  given(LISTS.duplicate, "onDuplicate");
  given(LISTS.stale, "onStale");
  return entries;
}

/** A registry holding `handlers` (from `handlersIn`); a handler that is not a function throws `CONFIG_INVALID`. */
export function createHandlerRegistry(handlers: readonly HandlerEntry[], logger: Logger): HandlerRegistry {
  const lists = new Map<string, AnyHandler[]>();
  /**
   * What `select` answered, by event and lifecycle event, for deliveries without an order's bookings:
   * a new array each, never the lists themselves, dropped whenever a handler is added or removed (so a
   * selection already handed out, as ack-first keeps it, never changes under its holder).
   */
  const selections = new Map<string, Map<string | undefined, Selection>>();
  const remove = (name: string, handler: AnyHandler) => {
    const list = lists.get(name);
    const index = list?.indexOf(handler) ?? -1;
    if (list && index >= 0) {
      list.splice(index, 1);
      selections.clear();
    }
  };
  const isHandler = (value: unknown): value is AnyHandler => typeof value === "function";
  const add = (name: string, handler: unknown): (() => void) => {
    if (!isHandler(handler)) configError(`the handler for "${name}" must be a function`);
    const list = lists.get(name) ?? [];
    list.push(handler);
    lists.set(name, list);
    selections.clear();
    return () => remove(name, handler);
  };
  for (const [name, given] of handlers) {
    for (const handler of Array.isArray(given) ? given : [given]) add(name, handler);
  }

  return {
    add,
    remove,
    select({ event, known, context, bookings, body }) {
      const lifecycle = context.lifecycle;
      const orderBookings = bookings !== undefined && bookings.length > 0;
      // only modelled events are remembered: an unknown event's name comes from the body, unbounded
      const remembered = known && !orderBookings ? selections.get(event)?.get(lifecycle) : undefined;
      if (remembered !== undefined) return remembered;
      const runsFor: Array<string | undefined> = [];
      const selected = Object.assign([] as AnyHandler[], { runsFor });
      const push = (name: string, lifecycleEvent?: string) => {
        const list = lists.get(name);
        if (list === undefined) return;
        for (const handler of list) {
          selected.push(handler);
          runsFor.push(lifecycleEvent);
        }
      };
      if (known || !RESERVED.has(event)) push(event);
      if (lifecycle !== undefined) push(lifecycle, lifecycle);
      // an order's bookings: each booking lifecycle handler once per booking, with that booking's body
      for (const { lifecycle, booking, diff } of bookings ?? []) {
        const payload = { webhook: body?.webhook, booking, diff, supplier: body?.supplier };
        const bookingContext = context.with?.({ lifecycle, order: body?.order });
        for (const handler of lists.get(lifecycle) ?? []) {
          selected.push((() =>
            (handler as (p: unknown, c: unknown) => unknown)(payload, bookingContext)) as AnyHandler);
          runsFor.push(lifecycle);
        }
      }
      if (!known) push(LISTS.unknown);
      push(LISTS.any);
      if (known && !orderBookings) {
        const byLifecycle = selections.get(event) ?? new Map<string | undefined, Selection>();
        byLifecycle.set(lifecycle, selected);
        selections.set(event, byLifecycle);
      }
      return selected;
    },
    async runHooks(name, ...args) {
      for (const hook of lists.get(name) ?? []) {
        try {
          await (hook as (...a: unknown[]) => unknown)(...args);
        } catch (hookError) {
          logger.error?.(`${PACKAGE_PREFIX} an on${name[0]?.toUpperCase()}${name.slice(1)} handler threw`, {
            error: hookError,
          });
        }
      }
    },
  };
}
