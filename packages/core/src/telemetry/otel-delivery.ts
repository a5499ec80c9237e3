// One delivery recorded with OpenTelemetry: the `octo.webhook.receive` span, a span per handler, the
// ack-first span linked to it, and the metrics. The parent rule is in docs/observability.md.
import {
  type Attributes,
  context,
  isSpanContextValid,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { type HeaderLookup, toHeaderGetter } from "../http/headers.ts";
import { bodyBytes, bounded, deliveryAttributes, errorType, metricEvent, scrub } from "./otel-attributes.ts";
import type { OctoMetrics } from "./otel-metrics.ts";
import type { DeliveryTelemetry, TelemetryDelivery } from "./telemetry.ts";

type Getter = ReturnType<typeof toHeaderGetter>;
const GETTER: TextMapGetter<Getter> = { get: (header, key) => header(key), keys: () => [] };

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  ((typeof value === "object" && value !== null) || typeof value === "function") &&
  typeof (value as { then?: unknown }).then === "function";

/** What every delivery of one receiver shares. */
export interface OtelReceiver {
  tracer: Tracer;
  /** The instruments, `undefined` while no meter provider is registered. */
  metrics: () => OctoMetrics | undefined;
  secrets: readonly string[];
}

/** A delivery's telemetry when nothing is recorded: runs what it is given. */
const IDLE: DeliveryTelemetry = {
  traceId: undefined,
  parsed: () => {},
  handler: (_index, run) => run(),
  background: (run) => run(),
  end: () => {},
};

/** Records `error` on `span` (message and stack scrubbed) and marks it failed with its `error.type`. */
function fail(span: Span, error: unknown, secrets: readonly string[]): string {
  const type = errorType(error);
  const message = scrub(error instanceof Error ? error.message : String(error), secrets);
  span.recordException({
    name: type,
    message,
    ...(error instanceof Error && error.stack ? { stack: scrub(error.stack, secrets) } : {}),
  });
  span.setAttribute("error.type", type);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  return type;
}

/**
 * Starts a delivery's receive span. Parent: the active span when there is one (the HTTP
 * instrumentation's server span: `INTERNAL`, with a link to the sender's `traceparent`), else the
 * sender's `traceparent` itself (`SERVER` over HTTP, `INTERNAL` for `receive()`).
 */
export function startDelivery(
  receiver: OtelReceiver,
  method: string | undefined,
  headers: HeaderLookup | undefined,
): DeliveryTelemetry {
  const header = toHeaderGetter(headers);
  const sent = propagation.extract(ROOT_CONTEXT, header, GETTER);
  const sentSpan = trace.getSpanContext(sent);
  const active = context.active();
  const activeSpan = trace.getSpanContext(active);
  const inApp = activeSpan !== undefined && isSpanContextValid(activeSpan);
  const links: Link[] = inApp && sentSpan && isSpanContextValid(sentSpan) ? [{ context: sentSpan }] : [];
  const attributes: Attributes = {};
  if (method !== undefined) attributes["http.request.method"] = method;
  const span = receiver.tracer.startSpan(
    "octo.webhook.receive",
    { kind: method !== undefined && !inApp ? SpanKind.SERVER : SpanKind.INTERNAL, attributes, links },
    inApp ? active : sent,
  );
  // no SDK at all (a no-op span with no context, no meter provider): nothing to record or carry on
  if (!span.isRecording() && !isSpanContextValid(span.spanContext()) && receiver.metrics() === undefined) {
    return IDLE;
  }
  // the request's own Authorization value is scrubbed from what this delivery records
  const authorization = header("authorization");
  const secrets = authorization ? [...receiver.secrets, authorization] : receiver.secrets;
  let parent = trace.setSpan(inApp ? active : sent, span);
  let known: Attributes = {};
  let ended = false;

  const handlerSpan = (index: number, run: () => unknown, runsFor?: string): unknown => {
    const metrics = receiver.metrics();
    // a notification's hydrated deliveries: the event each handler runs for, not the notification's
    const event = runsFor ?? (known["octo.event"] as string | undefined);
    const handler = receiver.tracer.startSpan(
      `octo.handler ${event === undefined ? "delivery" : bounded(event)}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          ...known,
          ...(event === undefined ? {} : { "octo.event": bounded(event) }),
          "octo.handler.index": index,
        },
      },
      parent,
    );
    const started = performance.now();
    const done = (error?: unknown, failed = false) => {
      const measured: Attributes = event === undefined ? {} : { "octo.event": metricEvent(event) };
      if (failed) measured["error.type"] = fail(handler, error, secrets);
      metrics?.handlerDuration.record((performance.now() - started) / 1000, measured);
      handler.end();
    };
    let result: unknown;
    try {
      result = context.with(trace.setSpan(parent, handler), run);
    } catch (error) {
      done(error, true);
      throw error;
    }
    if (isThenable(result)) {
      result.then(
        () => done(),
        (error: unknown) => done(error, true),
      );
    } else done();
    return result;
  };

  return {
    get traceId() {
      return span.isRecording() ? span.spanContext().traceId : undefined;
    },
    parsed(delivery: TelemetryDelivery) {
      // a span that records nothing (no SDK, or sampled out) is spared the delivery key's hash
      known = span.isRecording() ? deliveryAttributes(delivery) : { "octo.event": bounded(delivery.event) };
      span.setAttributes(known);
      const metrics = receiver.metrics();
      const size = metrics && bodyBytes(delivery.context.rawBody);
      if (size !== undefined) metrics?.bodySize.record(size, { "octo.event": metricEvent(delivery.event) });
    },
    handler: handlerSpan,
    background(run) {
      // the answer is given: the handlers run in a span of their own, linked to the receive span
      const work = receiver.tracer.startSpan(
        "octo.webhook.ack_first",
        { kind: SpanKind.INTERNAL, attributes: known, links: [{ context: span.spanContext() }], root: true },
        ROOT_CONTEXT,
      );
      parent = trace.setSpan(ROOT_CONTEXT, work);
      return run().then(
        () => work.end(),
        (error: unknown) => {
          fail(work, error, secrets);
          work.end();
          throw error;
        },
      );
    },
    end(status, error, skipped) {
      if (ended) return;
      ended = true;
      const metrics = receiver.metrics();
      const event = known["octo.event"];
      const byEvent: Attributes = event === undefined ? {} : { "octo.event": metricEvent(String(event)) };
      const counted: Attributes = { ...byEvent };
      if (status !== undefined) {
        span.setAttribute("http.response.status_code", status);
        counted["http.response.status_code"] = status;
      }
      const code = (error as { code?: unknown } | undefined)?.code;
      const duplicate = skipped === "duplicate" || code === "DELIVERY_IN_PROGRESS";
      if (event !== undefined) {
        span.setAttribute("octo.delivery.duplicate", duplicate);
        span.setAttribute("octo.delivery.stale", skipped === "stale");
      }
      if (duplicate) metrics?.duplicates.add(1, byEvent);
      if (skipped === "stale") metrics?.stale.add(1, byEvent);
      if (error !== undefined) {
        counted["error.type"] = errorType(error);
        // a refusal (4xx) is the sender's, not ours: its type is kept, the span is not marked failed
        if (status === undefined || status >= 500) fail(span, error, secrets);
        else span.setAttribute("error.type", counted["error.type"]);
      }
      metrics?.deliveries.add(1, counted);
      span.end();
    },
  };
}
