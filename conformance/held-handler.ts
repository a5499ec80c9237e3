import type { BookingUpdateEvent } from "@octo-webhooks/core";

/**
 * An `onBookingUpdate` that holds every delivery until `release()`, then records its booking's uuid in
 * `done`: shows whether an answer (ack-first) or a shutdown (`drain()`, `app.close()`) waited for it.
 */
export function heldBookingHandler() {
  const waiting: Array<() => void> = [];
  const done: string[] = [];
  return {
    done,
    release: () => {
      for (const resume of waiting.splice(0)) resume();
    },
    onBookingUpdate: async ({ booking }: BookingUpdateEvent) => {
      await new Promise<void>((resolve) => waiting.push(resolve));
      done.push(booking.uuid);
    },
  };
}
