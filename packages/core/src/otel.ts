/**
 * OpenTelemetry for receivers: `openTelemetry()` is a `telemetry` option that records each delivery
 * as spans (`octo.webhook.receive`, one `octo.handler <event>` per handler, `octo.webhook.ack_first`)
 * and metrics (`octo.webhook.deliveries`...) through `@opentelemetry/api`, an optional peer dependency
 * that only this entry imports. Spans, metrics and the parent rule: docs/observability.md.
 *
 * @packageDocumentation
 */
import {
  createNoopMeter,
  type Meter,
  type MeterProvider,
  metrics,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import { configuredSecrets } from "./telemetry/otel-attributes.ts";
import { startDelivery } from "./telemetry/otel-delivery.ts";
import { createMetrics, type OctoMetrics } from "./telemetry/otel-metrics.ts";
import type { OctoTelemetry, TelemetryReceiver } from "./telemetry/telemetry.ts";

declare const __OCTO_CORE_VERSION__: string | undefined;

/**
 * The instrumentation scope (tracer and meter name) of every span and metric recorded, to select them
 * in a view or a sampler.
 *
 * @example
 * ```ts
 * const views = [{ meterName: INSTRUMENTATION_SCOPE, instrumentName: "octo.webhook.body.size", aggregation: { type: AggregationType.DROP } }];
 * ```
 */
export const INSTRUMENTATION_SCOPE = "@octo-webhooks/core";

const VERSION = typeof __OCTO_CORE_VERSION__ === "string" ? __OCTO_CORE_VERSION__ : "0.0.0-source";

/** Options of {@link openTelemetry}. */
export interface OpenTelemetryOptions {
  /** Where spans go (default: the global one, `trace.setGlobalTracerProvider()`, which the SDKs register). */
  tracerProvider?: TracerProvider;
  /** Where metrics go (default: the global one, `metrics.setGlobalMeterProvider()`). */
  meterProvider?: MeterProvider;
}

/**
 * The `telemetry` option that records deliveries with OpenTelemetry: traces continue the sender's
 * `traceparent` (W3C, through the API's propagator), metrics count deliveries, duplicates, stale
 * updates, handler durations, body sizes and the ack-first queue. It records to the providers you
 * registered (the SDK's `NodeSDK`, `@vercel/otel`...); with none registered, the API's no-ops cost
 * next to nothing. Credentials never reach a span: the `Authorization` header and the configured
 * `auth`/`suppliers` secrets are scrubbed from recorded error messages.
 *
 * @example
 * ```ts
 * import { createOctoWebhooks } from "@octo-webhooks/core";
 * import { openTelemetry } from "@octo-webhooks/core/otel";
 *
 * const webhooks = createOctoWebhooks({ auth: "none", telemetry: openTelemetry() });
 * ```
 */
export function openTelemetry(options: OpenTelemetryOptions = {}): OctoTelemetry {
  const tracerProvider = options.tracerProvider;
  const meterProvider = options.meterProvider;
  return {
    instrument(receiver) {
      // the meter provider is checked at each delivery (a property read), so that one registered after
      // the receiver was made is the one used; each meter gets its instruments once
      let provider: MeterProvider | undefined;
      let current: OctoMetrics | undefined;
      const metricsOf = () => {
        const now = meterProvider ?? metrics.getMeterProvider();
        if (now === provider) return current;
        provider = now;
        const meter = now.getMeter(INSTRUMENTATION_SCOPE, VERSION);
        // no meter provider registered: the API's no-op meter, nothing to measure (the body's size...)
        if (meter instanceof NOOP_METER) {
          current = undefined;
          return current;
        }
        let recorded = INSTRUMENTS.get(meter);
        if (recorded === undefined) {
          const receivers = new Set<TelemetryReceiver>();
          recorded = { metrics: createMetrics(meter, receivers), receivers };
          INSTRUMENTS.set(meter, recorded);
        }
        recorded.receivers.add(receiver);
        current = recorded.metrics;
        return current;
      };
      metricsOf();
      const shared = {
        tracer: (tracerProvider ?? trace).getTracer(INSTRUMENTATION_SCOPE, VERSION),
        metrics: metricsOf,
        secrets: configuredSecrets(receiver.options),
      };
      return {
        start: (method, headers) => startDelivery(shared, method, headers),
      };
    },
  };
}

/** The class of the API's no-op meter, what `getMeter()` answers while no meter provider is registered. */
const NOOP_METER = createNoopMeter().constructor as new () => Meter;

/** The instruments of each meter, and the receivers its gauges read (queue depths, silent suppliers). */
const INSTRUMENTS = new WeakMap<Meter, { metrics: OctoMetrics; receivers: Set<TelemetryReceiver> }>();

export type { OctoTelemetry } from "./telemetry/telemetry.ts";
