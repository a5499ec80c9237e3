import type { BookingUpdateEvent } from "@octo-webhooks/core";

/**
 * An `onBookingUpdate` that holds every delivery until `release()`, then records its booking's uuid in
 * `done`: shows whether an answer (ack-first) or a shutdown (`drain()`, `app.close()`) waited for it.
 * `release()` holds for later calls too: a handler that starts after it (its call still on its way, as
 * from a Bun or Deno process under load) runs straight through instead of waiting for a release that
 * already happened.
 */
export function heldBookingHandler() {
  let released = false;
  const waiting: Array<() => void> = [];
  const done: string[] = [];
  return {
    done,
    release: () => {
      released = true;
      for (const resume of waiting.splice(0)) resume();
    },
    onBookingUpdate: async ({ booking }: BookingUpdateEvent) => {
      if (!released) await new Promise<void>((resolve) => waiting.push(resolve));
      done.push(booking.uuid);
    },
  };
}
