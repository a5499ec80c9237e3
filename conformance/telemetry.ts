// `telemetry: openTelemetry()` on every adapter: a delivery sent with a sender's `traceparent` is
// recorded, by OpenTelemetry's SDK and its in-memory exporter, as a receive span in the sender's trace
// with a handler span under it. Targets that run in another process say why not (`noTelemetry`).
import type { AdapterOptions } from "@octo-webhooks/core";
import { openTelemetry } from "@octo-webhooks/core/otel";
import { newTraceparent, recordTelemetry } from "@octo-webhooks/test-helpers/otel";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FrameworkUnderTest, PATH, type Target } from "./app.ts";

/**
 * The telemetry case of one adapter (nothing for a target with `noTelemetry`, whose reason is printed).
 *
 * @example
 * ```ts
 * testTelemetry(expressFrameworks[0]);
 * ```
 */
export function testTelemetry(framework: FrameworkUnderTest): void {
  if (framework.noTelemetry !== undefined) {
    console.info(`${framework.name}: no telemetry case: ${framework.noTelemetry}`);
    return;
  }
  describe(`${framework.name}: OpenTelemetry`, () => {
    const otel = recordTelemetry();
    const handled: string[] = [];
    const options: AdapterOptions<unknown> = {
      auth: "none",
      logger: {},
      path: PATH,
      telemetry: openTelemetry(),
      onBookingUpdate: ({ booking }) => void handled.push(booking.uuid),
    };
    let target: Target | undefined;
    beforeAll(async () => {
      target = await framework.start({ options, parser: "none", mount: "app" });
    });
    afterAll(async () => {
      await target?.close();
    });

    it("a delivery with a traceparent: a receive span in the sender's trace, a handler span under it", async () => {
      const sent = newTraceparent();
      const uuid = `otel-${sent.spanId}`;
      const response = await (target as Target).fetch(PATH, {
        method: "POST",
        headers: { "content-type": "application/json", traceparent: sent.traceparent },
        body: JSON.stringify({
          webhook: { event: "booking_update" },
          booking: { uuid, status: "CONFIRMED" },
        }),
        signal: AbortSignal.timeout(10_000),
      });
      expect(response.status).toBe(200);
      expect(handled).toContain(uuid);
      const inTrace = otel.spans().filter((span) => span.spanContext().traceId === sent.traceId);
      const receive = inTrace.filter((span) => span.name === "octo.webhook.receive");
      const handler = inTrace.filter((span) => span.name === "octo.handler booking_update");
      expect(receive).toHaveLength(1);
      expect(receive[0]?.parentSpanContext?.spanId).toBe(sent.spanId);
      expect(receive[0]?.attributes).toMatchObject({
        "http.request.method": "POST",
        "http.response.status_code": 200,
        "octo.event": "booking_update",
        "octo.booking.uuid": uuid,
      });
      expect(handler).toHaveLength(1);
      expect(handler[0]?.parentSpanContext?.spanId).toBe(receive[0]?.spanContext().spanId);
    });
  });
}
