// The metrics of `openTelemetry()`: names, units and what they count are documented in
// docs/observability.md (keep both in step).
import type { Counter, Histogram, Meter } from "@opentelemetry/api";
import type { TelemetryReceiver } from "./telemetry.ts";

/** The instruments one `openTelemetry()` records to. */
export interface OctoMetrics {
  /** `octo.webhook.deliveries`: deliveries answered, by `octo.event` and `http.response.status_code`. */
  deliveries: Counter;
  /** `octo.webhook.handler.duration` (s): one handler's run, by `octo.event` (and `error.type` when it threw). */
  handlerDuration: Histogram;
  /** `octo.webhook.duplicates`: deliveries `dedupe` kept from the handlers, by `octo.event`. */
  duplicates: Counter;
  /** `octo.webhook.stale`: deliveries `staleGuard` kept from the handlers, by `octo.event`. */
  stale: Counter;
  /** `octo.webhook.body.size` (By): bodies as received, by `octo.event`. */
  bodySize: Histogram;
}

/**
 * Creates the instruments on `meter`, and two observable gauges read at each collection from
 * `receivers`: `octo.webhook.ack_first.queue_depth`, the ack-first deliveries running or waiting in this
 * process, and `octo.webhook.supplier.silence`, the seconds since each supplier's last 2xx delivery.
 */
export function createMetrics(meter: Meter, receivers: ReadonlySet<TelemetryReceiver>): OctoMetrics {
  const gauge = meter.createObservableGauge("octo.webhook.ack_first.queue_depth", {
    description: "Ack-first deliveries running or waiting in this process",
    unit: "{delivery}",
  });
  gauge.addCallback((result) => {
    let depth = 0;
    for (const receiver of receivers) depth += receiver.queue.pending;
    result.observe(depth);
  });
  const silence = meter.createObservableGauge("octo.webhook.supplier.silence", {
    description: "Time since the supplier's last delivery answered 2xx by this process",
    unit: "s",
  });
  silence.addCallback((result) => {
    const now = Date.now();
    for (const receiver of receivers) {
      for (const [supplier, at] of receiver.lastDelivery ?? []) {
        result.observe((now - at) / 1000, supplier === "" ? {} : { "octo.supplier": supplier });
      }
    }
  });
  const counter = (name: string, description: string) =>
    meter.createCounter(name, { description, unit: "{delivery}" });
  const histogram = (name: string, description: string, unit: string) =>
    meter.createHistogram(name, { description, unit });
  return {
    deliveries: counter("octo.webhook.deliveries", "Deliveries answered, by event and HTTP status"),
    handlerDuration: histogram("octo.webhook.handler.duration", "Duration of one handler's run", "s"),
    duplicates: counter(
      "octo.webhook.duplicates",
      "Duplicate deliveries answered without running handlers (dedupe)",
    ),
    stale: counter(
      "octo.webhook.stale",
      "Out-of-order updates answered without running handlers (staleGuard)",
    ),
    bodySize: histogram("octo.webhook.body.size", "Size of delivery bodies as received", "By"),
  };
}
