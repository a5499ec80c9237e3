// OpenTelemetry's own SDK with its in-memory exporters, registered globally (context manager on
// AsyncLocalStorage, W3C propagator, tracer and meter providers), for the telemetry tests. One per test
// file: the API's globals are per process, and vitest runs each file in its own worker.
import { context, metrics, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  AggregationTemporality,
  type DataPoint,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";

/** A metric's data points as `[attributes, value]` (a histogram's value is its count and sum). */
export type Points = Array<[Record<string, unknown>, unknown]>;

/** A sender's `traceparent` with a fresh trace id, and its parts. */
export function newTraceparent(): { traceparent: string; traceId: string; spanId: string } {
  const hex = (bytes: number) =>
    Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join(
      "",
    );
  const traceId = hex(16);
  const spanId = hex(8);
  return { traceparent: `00-${traceId}-${spanId}-01`, traceId, spanId };
}

let recorder: ReturnType<typeof createRecorder> | undefined;

/**
 * Registers the SDK globally with in-memory exporters (once per process: later calls return the same
 * recorder) and returns what they recorded: `spans()` (finished spans), `points(name)` (the data points
 * of a metric, collected now), `reset()`.
 */
export function recordTelemetry() {
  recorder ??= createRecorder();
  return recorder;
}

function createRecorder() {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  context.disable();
  trace.disable();
  metrics.disable();
  propagation.disable();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);

  return {
    tracerProvider,
    meterProvider,
    /** The finished spans so far, in the order they ended. */
    spans: (): ReadableSpan[] => spanExporter.getFinishedSpans(),
    /** The finished spans named `name`. */
    named: (name: string): ReadableSpan[] => spanExporter.getFinishedSpans().filter((s) => s.name === name),
    /** Collects now and returns the data points of the metric `name` (cumulative since the start). */
    async points(name: string): Promise<Points> {
      metricExporter.reset();
      await reader.forceFlush();
      const found: Points = [];
      for (const resource of metricExporter.getMetrics()) {
        for (const scope of resource.scopeMetrics) {
          for (const metric of scope.metrics) {
            if (metric.descriptor.name !== name) continue;
            for (const point of metric.dataPoints as DataPoint<unknown>[]) {
              const value = point.value as number | { count: number; sum?: number };
              found.push([
                { ...point.attributes },
                typeof value === "number" ? value : { count: value.count, sum: value.sum },
              ]);
            }
          }
        }
      }
      return found;
    },
    /** The unit of the metric `name` as recorded (after a `points()` call). */
    unit(name: string): string | undefined {
      for (const resource of metricExporter.getMetrics()) {
        for (const scope of resource.scopeMetrics) {
          const metric = scope.metrics.find((m) => m.descriptor.name === name);
          if (metric) return metric.descriptor.unit;
        }
      }
      return undefined;
    },
    /** Forgets the finished spans (metrics are cumulative). */
    reset: () => spanExporter.reset(),
  };
}
