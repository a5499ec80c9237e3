// Every log line carries OctoLogFields second, in one shape; the trace id with `telemetry`.
import { recordTelemetry } from "@octo-webhooks/test-helpers/otel";
import { describe, expect, it } from "vitest";
import { createOctoWebhooks } from "../src/index.ts";
import { openTelemetry } from "../src/otel.ts";
import { basic, bookingBody, capturingLogger, post } from "./helpers.ts";

const otel = recordTelemetry();
const auth = { basic: { username: "octo", password: "log-fields-pass-1" } };
const authorization = basic("octo", "log-fields-pass-1");

describe("log lines: OctoLogFields", () => {
  it("a handler failure, a refusal and a duplicate, each with its fields and the delivery's trace id", async () => {
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({ auth, logger, dedupe: true, telemetry: openTelemetry() });
    const failure = new Error("the database is down");
    webhooks.onBookingUpdate(({ booking }) => {
      if (booking.uuid === "fails") throw failure;
    });
    expect((await webhooks.handle(post(bookingBody({ uuid: "fails" }), { authorization }))).status).toBe(500);
    expect((await webhooks.handle(post(bookingBody(), { authorization: basic("octo", "no") }))).status).toBe(
      401,
    );
    expect((await webhooks.handle(post(bookingBody(), { authorization }))).status).toBe(200);
    expect((await webhooks.handle(post(bookingBody(), { authorization }))).status).toBe(200);

    const traces = otel.named("octo.webhook.receive").map((span) => span.spanContext().traceId);
    const at = (start: string) => logger.fields[logger.lines.findIndex((line) => line.startsWith(start))];
    expect(at("error")).toEqual({
      event: "booking_update",
      deliveryKey: expect.stringMatching(/^[0-9a-f]+$/),
      supplier: undefined,
      traceId: traces[0],
      code: "HANDLER_FAILED",
      error: failure,
    });
    expect(at("warn [@octo-webhooks/core] refused")).toEqual({
      status: 401,
      code: "UNAUTHORIZED",
      supplier: undefined,
      traceId: traces[1],
    });
    expect(at("info")).toEqual({
      event: "booking_update",
      deliveryKey: expect.stringMatching(/^[0-9a-f]+$/),
      supplier: undefined,
      traceId: traces[3],
      status: 200,
    });
    // every line has its object, the one-off warnings included
    expect(logger.fields).toHaveLength(logger.lines.length);
    expect(JSON.stringify(logger.fields)).not.toContain("log-fields-pass-1");
  });

  it("without telemetry: the same fields, no trace id", async () => {
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({ auth: "none", logger, ackFirst: { concurrency: 1, maxQueued: 1 } });
    webhooks.onBookingUpdate(() => new Promise(() => {}));
    for (const uuid of ["a", "b", "c"]) await webhooks.handle(post(bookingBody({ uuid })));
    const full = logger.lines.findIndex((line) => line.includes("queue is full"));
    expect(logger.fields[full]).toMatchObject({ event: "booking_update", status: 503, code: "OVERLOADED" });
    expect(logger.fields[full]?.traceId).toBeUndefined();
  });
});
