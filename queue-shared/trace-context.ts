// The trace of a delivery across a queue (Redis, PostgreSQL): the receiver stores the active trace context (W3C
// `traceparent`/`tracestate`) in the job's data, and the worker processes the job in an
// `octo.webhook.process` span that continues it. `@opentelemetry/api` is an optional peer dependency,
// loaded with a dynamic import when a queue or worker is made: without it nothing is stored or recorded.
import type * as OpenTelemetryApi from "@opentelemetry/api";

let api: typeof OpenTelemetryApi | undefined;
let loading: Promise<unknown> | undefined;

/** Loads `@opentelemetry/api` if it is installed (once per process); resolves either way. */
export function loadTraceApi(): Promise<unknown> {
  loading ??= import("@opentelemetry/api").then(
    (loaded) => {
      api = loaded;
    },
    () => undefined,
  );
  return loading;
}

/** The active trace context (the handler span's, with core's `telemetry`) as W3C headers, if any. */
export function activeTraceContext(): Record<string, string> | undefined {
  if (api === undefined) return undefined;
  const carrier: Record<string, string> = {};
  api.propagation.inject(api.context.active(), carrier);
  return carrier.traceparent === undefined ? undefined : carrier;
}

/** What the worker's span says about a job. */
export interface ProcessedJob {
  id?: string | undefined;
  name: string;
  attemptsMade: number;
  queueName: string;
  data: { key?: unknown; supplier?: unknown; trace?: unknown };
}

/**
 * Runs `run` in an `octo.webhook.process` span (kind CONSUMER) whose parent is the trace context the
 * receiver stored with the job; `run` alone without `@opentelemetry/api`.
 */
export async function inProcessSpan<T>(
  job: ProcessedJob,
  run: () => Promise<T>,
  queue: {
    /** `messaging.system` ("bullmq", "graphile_worker"). */
    system: string;
    /** The tracer's name: the queue package's. */
    tracer: string;
  },
): Promise<T> {
  await loadTraceApi();
  const otel = api;
  if (otel === undefined) return run();
  const stored = job.data.trace;
  const carrier = typeof stored === "object" && stored !== null ? (stored as Record<string, unknown>) : {};
  const parent = otel.propagation.extract(otel.ROOT_CONTEXT, carrier, {
    get: (from, key) => (typeof from[key] === "string" ? (from[key] as string) : undefined),
    keys: (from) => Object.keys(from),
  });
  const attributes: OpenTelemetryApi.Attributes = {
    "messaging.system": queue.system,
    "messaging.destination.name": job.queueName,
    "messaging.operation.type": "process",
    "octo.event": job.name,
    "octo.delivery.attempt": job.attemptsMade + 1,
  };
  if (job.id !== undefined) attributes["messaging.message.id"] = job.id;
  if (typeof job.data.key === "string") attributes["octo.delivery.key"] = job.data.key;
  if (typeof job.data.supplier === "string") attributes["octo.supplier"] = job.data.supplier;
  const tracer = otel.trace.getTracer(queue.tracer);
  return tracer.startActiveSpan(
    "octo.webhook.process",
    { kind: otel.SpanKind.CONSUMER, attributes },
    parent,
    async (span) => {
      try {
        return await run();
      } catch (error) {
        // core's errors carry no credentials; a handler's message is recorded by core's handler span
        const type = error instanceof Error ? error.name : "_OTHER";
        span.setAttribute("error.type", type);
        span.setStatus({ code: otel.SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
