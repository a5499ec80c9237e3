// Names a user types (event names for `on()`, option names) checked against core's own tables, so
// that a typo is refused at registration with a "did you mean" instead of never firing.
import { BOOKING_LIFECYCLE_EVENTS } from "../events/booking-lifecycle.ts";
import { ORDER_LIFECYCLE_EVENTS } from "../events/order-lifecycle.ts";
import { RESOURCE_EVENTS } from "../events/resolve-event.ts";
import { nearest } from "./nearest.ts";

/** `booking_update` → `onBookingUpdate`: the handler option and method of a delivery event. */
export const handlerOptionOf = (event: string): string =>
  `on${event.replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase())}`;

/** The events this version dispatches to typed handlers (from the resource table of `resolve-event.ts`). */
export const knownEvents = (): string[] => RESOURCE_EVENTS.map(([, event]) => event);

/** Every name `on()` is meant for: the modelled events and the lifecycle events of bookings and orders. */
const eventNames = (): string[] => [
  ...knownEvents(),
  "notification",
  ...Object.keys(BOOKING_LIFECYCLE_EVENTS),
  ...Object.keys(ORDER_LIFECYCLE_EVENTS),
];

/** The handler options and methods: one per event and per lifecycle event, and the hooks. */
export const handlerOptionNames = (): string[] => [
  ...knownEvents().map(handlerOptionOf),
  ...Object.values(BOOKING_LIFECYCLE_EVENTS),
  ...Object.values(ORDER_LIFECYCLE_EVENTS),
  "onNotification",
  "onAny",
  "onUnknownEvent",
  "onError",
  "onDuplicate",
  "onStale",
];

/** The prefix of an explicit custom event name, for a name that would otherwise be refused as a typo. */
export const CUSTOM_EVENT_PREFIX = "custom:";

/**
 * The name `on()` registers for `name`, or the message of its refusal: an unknown name that looks like
 * a known event or lifecycle event (a typo of one, or a `booking.*` name) is refused with a suggestion.
 * `"custom:<name>"` registers `<name>` as it is.
 */
export function checkEventName(name: string): { name: string } | { refusal: string } {
  if (name.startsWith(CUSTOM_EVENT_PREFIX)) return { name: name.slice(CUSTOM_EVENT_PREFIX.length) };
  const names = eventNames();
  if (names.includes(name)) return { name };
  const suggestion = nearest(name, names);
  const lifecycleLike = /^booking\./.test(name);
  if (suggestion === undefined && !lifecycleLike) return { name };
  const hint =
    suggestion === undefined
      ? `lifecycle events are ${Object.keys(BOOKING_LIFECYCLE_EVENTS).join(", ")}`
      : `did you mean "${suggestion}"?`;
  return {
    refusal: `on("${name}"): no such event; ${hint} (to register an event of your own by that name, write on("${CUSTOM_EVENT_PREFIX}${name}", handler))`,
  };
}

/**
 * The message for option names that are typos of known ones (`onBookingUpdat`, `maxBodyByte`), or
 * `undefined`. `known` is every option name the caller accepts.
 */
export function misspeltOptions(keys: readonly string[], known: readonly string[]): string | undefined {
  const wrong = keys
    .filter((key) => !known.includes(key))
    .map((key) => [key, nearest(key, known) ?? (/^on[A-Z]/.test(key) ? "" : undefined)] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
  if (wrong.length === 0) return undefined;
  return wrong
    .map(([key, near]) =>
      near === ""
        ? `unknown option \`${key}\`; the handler options are ${handlerOptionNames().join(", ")}`
        : `unknown option \`${key}\`; did you mean \`${near}\`?`,
    )
    .join("; ");
}
