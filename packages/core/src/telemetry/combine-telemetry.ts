// Two instrumentations of a receiver as one: the user's `telemetry` and the delivery log's.
import type { DeliveryTelemetry, ReceiverTelemetry } from "./telemetry.ts";

/** Two instrumentations as one: `outer` (the user's) around `inner` (the log). */
export function combineTelemetry(
  outer: ReceiverTelemetry | undefined,
  inner: ReceiverTelemetry | undefined,
): ReceiverTelemetry | undefined {
  if (outer === undefined) return inner;
  if (inner === undefined) return outer;
  return {
    start(method, headers) {
      const a = outer.start(method, headers);
      const b = inner.start(method, headers);
      return {
        get traceId() {
          return a.traceId;
        },
        read(body) {
          a.read?.(body);
          b.read?.(body);
        },
        parsed(delivery) {
          a.parsed(delivery);
          b.parsed(delivery);
        },
        handler: (index, run, event) => a.handler(index, () => b.handler(index, run, event), event),
        scheduled() {
          a.scheduled?.();
          b.scheduled?.();
        },
        background: (run) => a.background(() => b.background(run)),
        end(status, error, skipped) {
          a.end(status, error, skipped);
          b.end(status, error, skipped);
        },
      } satisfies DeliveryTelemetry;
    },
  };
}
