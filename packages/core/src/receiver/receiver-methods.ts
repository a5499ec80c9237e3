// The registration methods of a receiver (`on`, `onBookingUpdate`..., the hooks, `removeListener`),
// all over its handler registry. See docs/architecture.md.

import { configError } from "../errors/errors.ts";
import { OCTO_EVENTS } from "../events/event-table.ts";
import { type HandlerRegistry, LIFECYCLE_OPTIONS, LISTS } from "./handler-registry.ts";
import { checkEventName } from "./known-names.ts";
import type { LifecycleHandlerMethods, OctoWebhooks } from "./types.ts";

/** What a receiver offers to register and remove handlers. */
export type ReceiverMethods<TContext> = Omit<
  OctoWebhooks<TContext>,
  "receive" | "handle" | "fetch" | "drain" | "remembered" | "lastDelivery"
>;

/** The registration methods over `registry`: one per row of the event and lifecycle tables, and the rest. */
export function receiverMethods<TContext>(registry: HandlerRegistry): ReceiverMethods<TContext> {
  const add = registry.add;
  // onOrderUpdate, onBookingConfirmed...: one method per row of the event and lifecycle tables
  const eventMethods = Object.fromEntries(
    [...Object.entries(OCTO_EVENTS).map(([event, [, method]]) => [event, method]), ...LIFECYCLE_OPTIONS].map(
      ([event, method]) => [method, (handler: unknown) => add(event as string, handler)],
    ),
  ) as LifecycleHandlerMethods &
    Pick<
      OctoWebhooks<TContext>,
      "onBookingUpdate" | "onAvailabilityUpdate" | "onOrderUpdate" | "onProductUpdate"
    >;

  return {
    ...eventMethods,
    // one implementation of both overloads of `on`
    on: ((event: string | readonly string[], handler: unknown) => {
      const names = (typeof event === "string" ? [event] : event).map((given) => {
        const checked = checkEventName(given);
        return "name" in checked ? checked.name : configError(checked.refusal);
      });
      const removers = names.map((name) => add(name, handler));
      return () => {
        for (const remove of removers) remove();
      };
    }) as OctoWebhooks<TContext>["on"],
    onNotification: (handler) => add("notification", handler),
    onAny: (handler) => add(LISTS.any, handler),
    onUnknownEvent: (handler) => add(LISTS.unknown, handler),
    onError: (handler) => add(LISTS.error, handler),
    onDuplicate: (handler) => add(LISTS.duplicate, handler),
    onStale: (handler) => add(LISTS.stale, handler),
    removeListener: (event, handler) => {
      for (const name of typeof event === "string" ? [event] : event) registry.remove(name, handler);
    },
  };
}
