// The events this version models, as data: each one's resource key (the body's object that names it),
// its handler option and method, and where the stale guard reads an identity and a timestamp. Resolution
// (resolve-event.ts), the registry, the receiver's methods and admission all read this one table.

/**
 * Per modelled event: `[resource key, handler option and method, identity field of the resource or
 * undefined when the stale guard does not apply]`. The order of the rows is the order resources are
 * looked for in a body.
 */
export const OCTO_EVENTS = {
  booking_update: ["booking", "onBookingUpdate", "uuid"],
  availability_update: ["availability", "onAvailabilityUpdate", undefined],
  order_update: ["order", "onOrderUpdate", "id"],
  product_update: ["product", "onProductUpdate", "id"],
} as const;

/** A modelled event name. */
export type ModelledEvent = keyof typeof OCTO_EVENTS;

/** Whether `event` is one this version models (`booking_update`, ..., `product_update`). */
export const isModelled = (event: string): event is ModelledEvent => Object.hasOwn(OCTO_EVENTS, event);
