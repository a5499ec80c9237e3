// A delivery's trace across Redis, recorded by OpenTelemetry's SDK (in-memory exporter): the mock
// supplier's traceparent, the receiver's spans, the job's stored context, the worker's spans.
import { openTelemetry } from "@octo-webhooks/core/otel";
import { recordTelemetry } from "@octo-webhooks/test-helpers/otel";
import { expect, it } from "vitest";
import { jobIdOf } from "../src/index.ts";
import { describeWithRedis, waitFor } from "./helpers.ts";
import { auth, queueTests } from "./setup.ts";

const otel = recordTelemetry();
const t = queueTests();

describeWithRedis("telemetry across the queue", () => {
  it("the mock supplier's traceparent: receive span, then the worker's octo.webhook.process in the same trace", async () => {
    const queue = t.queue();
    const receiver = await t.receiver(queue, { auth, telemetry: openTelemetry() });
    const seen: string[] = [];
    t.worker(queue, {
      telemetry: openTelemetry(),
      onBookingUpdate: ({ booking }) => void seen.push(booking.uuid),
    });
    const supplier = await t.supplier(receiver.url, []);
    const [delivery] = await supplier.simulate.bookingUpdate();
    expect(delivery?.attempts.map((attempt) => attempt.status)).toEqual([200]);
    const [, traceId, supplierSpanId] = (delivery?.headers.traceparent ?? "").split("-");
    const inTrace = (name: string) =>
      otel.spans().filter((span) => span.name === name && span.spanContext().traceId === traceId);

    const processed = await waitFor(() => inTrace("octo.webhook.process")[0], "the worker's span");
    const [receive] = inTrace("octo.webhook.receive").filter(
      (span) => span.parentSpanContext?.spanId === supplierSpanId,
    );
    const [enqueue] = inTrace("octo.handler booking_update").filter(
      (span) => span.parentSpanContext?.spanId === receive?.spanContext().spanId,
    );
    expect(receive?.attributes["http.response.status_code"]).toBe(200);
    // the job carries the enqueueing handler's context; the worker's span continues it
    expect(processed.parentSpanContext?.spanId).toBe(enqueue?.spanContext().spanId);
    expect(processed.attributes).toMatchObject({
      "messaging.system": "bullmq",
      "octo.event": "booking_update",
      "octo.delivery.attempt": 1,
    });
    // the worker's own receive span (receive(), INTERNAL) and its handler span sit under it
    const workerReceive = inTrace("octo.webhook.receive").find(
      (span) => span.parentSpanContext?.spanId === processed.spanContext().spanId,
    );
    expect(workerReceive).toBeDefined();
    const workerHandler = inTrace("octo.handler booking_update").find(
      (span) => span.parentSpanContext?.spanId === workerReceive?.spanContext().spanId,
    );
    expect(workerHandler).toBeDefined();
    expect(seen).toHaveLength(1);
    const key = String(receive?.attributes["octo.delivery.key"]);
    const job = await queue.queue.getJob(jobIdOf(key));
    expect(job?.data.trace?.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
  });
});
