// `telemetry: openTelemetry()` recorded by OpenTelemetry's own SDK (in-memory exporters), over real HTTP.

import { serve as serveListener } from "@octo-webhooks/test-helpers";
import { newTraceparent, recordTelemetry } from "@octo-webhooks/test-helpers/otel";
import { closeAfterEach } from "@octo-webhooks/test-helpers/vitest";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createOctoWebhooks, type OctoWebhooks, type OctoWebhooksOptions } from "../src/index.ts";
import { openTelemetry } from "../src/otel.ts";
import { basic, bookingBody, post } from "./helpers.ts";

const otel = recordTelemetry();
const onCleanup = closeAfterEach();
const PASSWORD = "s3cret-pass-9f1c";
const AUTHORIZATION = basic("octo", PASSWORD);

/** A real node:http server over `handle()`; `around` wraps each request (an app's own server span). */
async function serve(webhooks: OctoWebhooks, around = (run: () => Promise<void>) => run()) {
  const server = await serveListener((req, res) =>
    around(async () => {
      const answer = await webhooks.handle({ method: req.method ?? "", headers: req.headers, body: req });
      res.writeHead(answer.status, answer.headers).end(answer.body);
    }),
  );
  onCleanup(server.close);
  return (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.origin}/`, post(body, { authorization: AUTHORIZATION, ...headers }) as RequestInit);
}

const receiver = (options: OctoWebhooksOptions = {}) =>
  createOctoWebhooks({
    auth: { basic: { username: "octo", password: PASSWORD } },
    logger: {},
    telemetry: openTelemetry(),
    ...options,
  });

beforeEach(() => otel.reset());

/** A metric's values (a histogram's count) by attributes; metrics are cumulative over the file. */
const snapshot = async (name: string) =>
  new Map(
    (await otel.points(name)).map(([attributes, value]) => [
      JSON.stringify(attributes),
      typeof value === "number" ? value : (value as { count: number }).count,
    ]),
  );
/** What changed in a metric since `before`. */
const delta = async (name: string, before: Map<string, number>) =>
  Object.fromEntries(
    [...(await snapshot(name))]
      .map(([key, value]) => [key, value - (before.get(key) ?? 0)] as const)
      .filter(([, value]) => value !== 0),
  );

describe("openTelemetry(): spans", () => {
  it("continues the sender's traceparent: a SERVER receive span in its trace, a handler span under it", async () => {
    const webhooks = receiver();
    let activeInHandler: string | undefined;
    webhooks.onBookingUpdate(() => {
      activeInHandler = trace.getActiveSpan()?.spanContext().spanId;
    });
    const sent = newTraceparent();
    const response = await (await serve(webhooks))(bookingBody({ uuid: "b-42" }), {
      traceparent: sent.traceparent,
    });
    expect(response.status).toBe(200);
    const [receive] = otel.named("octo.webhook.receive");
    const [handler] = otel.named("octo.handler booking_update");
    expect(receive?.spanContext().traceId).toBe(sent.traceId);
    expect(receive?.parentSpanContext?.spanId).toBe(sent.spanId);
    expect(receive?.kind).toBe(SpanKind.SERVER);
    expect(receive?.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.response.status_code": 200,
      "octo.event": "booking_update",
      "octo.lifecycle_events": ["booking.confirmed"],
      "octo.booking.uuid": "b-42",
      "octo.delivery.duplicate": false,
      "octo.delivery.stale": false,
    });
    expect(receive?.attributes["octo.delivery.key"]).toMatch(/^[0-9a-f]+$/);
    expect(handler?.spanContext().traceId).toBe(sent.traceId);
    expect(handler?.parentSpanContext?.spanId).toBe(receive?.spanContext().spanId);
    // the handler's own work (a DB call's span...) is a child of the handler span
    expect(activeInHandler).toBe(handler?.spanContext().spanId);
  });

  it("inside the app's server span (HTTP instrumentation): an INTERNAL child of it, linked to the sender's context", async () => {
    const webhooks = receiver();
    webhooks.onBookingUpdate(() => {});
    const tracer = trace.getTracer("app-http");
    let serverSpanId = "";
    const send = await serve(webhooks, (run) =>
      tracer.startActiveSpan("POST /", { kind: SpanKind.SERVER }, async (span) => {
        serverSpanId = span.spanContext().spanId;
        await run();
        span.end();
      }),
    );
    const sent = newTraceparent();
    expect((await send(bookingBody(), { traceparent: sent.traceparent })).status).toBe(200);
    const [receive] = otel.named("octo.webhook.receive");
    expect(receive?.kind).toBe(SpanKind.INTERNAL);
    expect(receive?.parentSpanContext?.spanId).toBe(serverSpanId);
    expect(receive?.links.map((link) => [link.context.traceId, link.context.spanId])).toEqual([
      [sent.traceId, sent.spanId],
    ]);
  });

  it("a failing handler: the exception recorded on its span without the password or the Authorization value", async () => {
    const webhooks = receiver();
    webhooks.onBookingUpdate(() => {
      throw new Error(`db refused ${PASSWORD}; header was ${AUTHORIZATION}`);
    });
    expect(
      (await (await serve(webhooks))(bookingBody(), { traceparent: newTraceparent().traceparent })).status,
    ).toBe(500);
    const [handler] = otel.named("octo.handler booking_update");
    const [receive] = otel.named("octo.webhook.receive");
    expect(handler?.status.code).toBe(SpanStatusCode.ERROR);
    expect(handler?.attributes["error.type"]).toBe("Error");
    expect(handler?.events[0]?.attributes?.["exception.message"]).toMatch(/^db refused \[REDACTED\]/);
    expect(receive?.attributes).toMatchObject({
      "http.response.status_code": 500,
      "error.type": "HANDLER_FAILED",
    });
    const recorded = JSON.stringify(otel.spans().map((s) => [s.attributes, s.events, s.status]));
    expect(recorded).not.toContain(PASSWORD);
    expect(recorded).not.toContain(AUTHORIZATION.slice("Basic ".length));
  });

  it("a refusal (401) keeps its error.type without marking the span failed", async () => {
    const send = await serve(receiver());
    expect((await send(bookingBody(), { authorization: basic("octo", "wrong") })).status).toBe(401);
    const [receive] = otel.named("octo.webhook.receive");
    expect(receive?.attributes).toMatchObject({
      "http.response.status_code": 401,
      "error.type": "UNAUTHORIZED",
    });
    expect(receive?.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it("ack-first: the handlers run in their own span, linked to the receive span", async () => {
    const webhooks = receiver({ ackFirst: true });
    webhooks.onBookingUpdate(async () => {});
    const sent = newTraceparent();
    expect((await (await serve(webhooks))(bookingBody(), { traceparent: sent.traceparent })).status).toBe(
      200,
    );
    await webhooks.drain();
    // the ack-first span ends as its work settles, which drain() may see first
    await vi.waitFor(() => expect(otel.named("octo.webhook.ack_first")).toHaveLength(1));
    const [receive] = otel.named("octo.webhook.receive");
    const [work] = otel.named("octo.webhook.ack_first");
    const [handler] = otel.named("octo.handler booking_update");
    expect(work?.links.map((link) => link.context.spanId)).toEqual([receive?.spanContext().spanId]);
    expect(handler?.parentSpanContext?.spanId).toBe(work?.spanContext().spanId);
  });

  it("a hydrated notification: onNotification and the hydrated event's handlers in handler spans under the receive span", async () => {
    const webhooks = receiver({
      hydrate: async () => ({ uuid: "b-7", status: "CANCELLED", utcUpdatedAt: "2026-03-01T10:00:00Z" }),
      onNotification: () => {},
      onBookingUpdate: () => {},
      onBookingCancelled: async () => {},
    });
    const note = { type: "BOOKING_UPDATE", data: { uuid: "b-7" } };
    expect((await (await serve(webhooks))(note)).status).toBe(200);
    const [receive] = otel.named("octo.webhook.receive");
    expect(receive?.attributes["octo.event"]).toBe("notification");
    const handlers = otel.spans().filter((span) => span.name.startsWith("octo.handler"));
    expect(handlers.map((span) => span.name).sort()).toEqual([
      "octo.handler booking.cancelled",
      "octo.handler booking_update",
      "octo.handler notification",
    ]);
    for (const handler of handlers) {
      expect(handler.parentSpanContext?.spanId).toBe(receive?.spanContext().spanId);
    }
    expect(otel.named("octo.handler booking_update").map((span) => span.attributes["octo.event"])).toEqual([
      "booking_update",
    ]);
  });

  it("an ack-first notification: its hydrated handlers in the ack-first span, linked to the receive span", async () => {
    const webhooks = receiver({
      ackFirst: true,
      hydrate: async () => ({ uuid: "b-8", status: "CONFIRMED" }),
      onBookingUpdate: async () => {},
    });
    expect((await (await serve(webhooks))({ type: "BOOKING_UPDATE", data: { uuid: "b-8" } })).status).toBe(
      200,
    );
    await webhooks.drain();
    await vi.waitFor(() => expect(otel.named("octo.webhook.ack_first")).toHaveLength(1));
    const [receive] = otel.named("octo.webhook.receive");
    const [work] = otel.named("octo.webhook.ack_first");
    await vi.waitFor(() => expect(otel.named("octo.handler booking_update")).toHaveLength(1));
    const [handler] = otel.named("octo.handler booking_update");
    expect(work?.links.map((link) => link.context.spanId)).toEqual([receive?.spanContext().spanId]);
    expect(handler?.parentSpanContext?.spanId).toBe(work?.spanContext().spanId);
  });

  it("receive(): an INTERNAL span continuing the traceparent of the headers given", async () => {
    const webhooks = receiver();
    webhooks.onBookingUpdate(() => {});
    const sent = newTraceparent();
    await webhooks.receive(bookingBody(), { headers: { traceparent: sent.traceparent } });
    const [receive] = otel.named("octo.webhook.receive");
    expect(receive?.kind).toBe(SpanKind.INTERNAL);
    expect(receive?.spanContext().traceId).toBe(sent.traceId);
    expect(receive?.attributes["http.response.status_code"]).toBeUndefined();
  });
});

describe("the telemetry option", () => {
  it("refuses what is not an instrumentation, saying what to give", () => {
    expect(() => createOctoWebhooks({ auth: "none", telemetry: true as never })).toThrow(
      /^\[@octo-webhooks\/core\] `telemetry` must be openTelemetry\(\) from @octo-webhooks\/core\/otel/,
    );
  });
});

describe("openTelemetry(): metrics", () => {
  it("after 200, duplicate, stale, 401 and a handler failure", async () => {
    const webhooks = receiver({ dedupe: true, staleGuard: true });
    webhooks.onBookingUpdate(({ booking }) => {
      if (booking.uuid === "fails") throw new Error("no");
    });
    const send = await serve(webhooks);
    const before = {
      deliveries: await snapshot("octo.webhook.deliveries"),
      duplicates: await snapshot("octo.webhook.duplicates"),
      stale: await snapshot("octo.webhook.stale"),
      durations: await snapshot("octo.webhook.handler.duration"),
      sizes: await snapshot("octo.webhook.body.size"),
    };
    const newer = bookingBody({ uuid: "b-1", utcUpdatedAt: "2026-01-02T10:00:00Z" });
    const older = bookingBody({ uuid: "b-1", utcUpdatedAt: "2026-01-01T10:00:00Z" });
    const statuses = [
      (await send(newer)).status,
      (await send(newer)).status, // duplicate
      (await send(older)).status, // stale
      (await send(newer, { authorization: basic("octo", "wrong") })).status,
      (await send(bookingBody({ uuid: "fails" }))).status,
    ];
    expect(statuses).toEqual([200, 200, 200, 401, 500]);
    expect(await delta("octo.webhook.deliveries", before.deliveries)).toEqual({
      '{"octo.event":"booking_update","http.response.status_code":200}': 3,
      '{"http.response.status_code":401,"error.type":"UNAUTHORIZED"}': 1,
      '{"octo.event":"booking_update","http.response.status_code":500,"error.type":"HANDLER_FAILED"}': 1,
    });
    expect(await delta("octo.webhook.duplicates", before.duplicates)).toEqual({
      '{"octo.event":"booking_update"}': 1,
    });
    expect(await delta("octo.webhook.stale", before.stale)).toEqual({ '{"octo.event":"booking_update"}': 1 });
    // handlers ran for the first delivery and the failing one
    expect(await delta("octo.webhook.handler.duration", before.durations)).toEqual({
      '{"octo.event":"booking_update"}': 1,
      '{"octo.event":"booking_update","error.type":"Error"}': 1,
    });
    expect(otel.unit("octo.webhook.handler.duration")).toBe("s");
    // every body that was read: not the 401's
    expect(await delta("octo.webhook.body.size", before.sizes)).toEqual({
      '{"octo.event":"booking_update"}': 4,
    });
    expect(otel.unit("octo.webhook.body.size")).toBe("By");
  });

  it("octo.webhook.body.size: the body's UTF-8 bytes as received", async () => {
    const webhooks = receiver();
    const text = JSON.stringify(bookingBody({ uuid: "size", notes: "Zürich, 3 € tip 🎉" }));
    const sumOf = async () =>
      (await otel.points("octo.webhook.body.size")).reduce(
        (total, [, value]) => total + ((value as { sum?: number }).sum ?? 0),
        0,
      );
    const before = await sumOf();
    expect((await (await serve(webhooks))(text)).status).toBe(200);
    expect((await sumOf()) - before).toBe(Buffer.byteLength(text));
  });

  it("octo.webhook.ack_first.queue_depth: the deliveries waiting or running in this process", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const webhooks = receiver({ ackFirst: { concurrency: 1 } });
    webhooks.onBookingUpdate(() => held);
    const send = await serve(webhooks);
    await send(bookingBody({ uuid: "q-1" }));
    await send(bookingBody({ uuid: "q-2" }));
    const depth = (await otel.points("octo.webhook.ack_first.queue_depth")).map(([, value]) => value);
    release();
    await webhooks.drain();
    expect(depth).toEqual([2]);
    expect((await otel.points("octo.webhook.ack_first.queue_depth")).map(([, value]) => value)).toEqual([0]);
  });
});

describe("openTelemetry(): handler spans say what each handler runs for", () => {
  it("a lifecycle handler's span is named after its lifecycle event, not the delivery's", async () => {
    const webhooks = receiver({ onBookingUpdate: () => undefined, onBookingCancelled: () => undefined });
    await webhooks.receive(bookingBody({ status: "CANCELLED" }));
    const names = otel
      .spans()
      .map((span) => span.name)
      .filter((name) => name.startsWith("octo.handler"));
    expect(names.sort()).toEqual(["octo.handler booking.cancelled", "octo.handler booking_update"]);
  });
});

describe("openTelemetry(): silent suppliers", () => {
  it("octo.webhook.supplier.silence: seconds since each supplier's last 2xx delivery, by octo.supplier", async () => {
    const webhooks = createOctoWebhooks({
      logger: {},
      telemetry: openTelemetry(),
      suppliers: { peek: { auth: { basic: { username: "peek", password: PASSWORD } } } },
      onBookingUpdate: () => {},
    });
    const answer = await webhooks.handle({
      method: "POST",
      headers: { "content-type": "application/json", authorization: basic("peek", PASSWORD) },
      body: JSON.stringify(bookingBody()),
      supplier: "peek",
    });
    expect(answer.status).toBe(200);
    const points = await otel.points("octo.webhook.supplier.silence");
    const peek = points.find(([attributes]) => attributes["octo.supplier"] === "peek");
    expect(peek?.[1]).toBeGreaterThanOrEqual(0);
    expect(peek?.[1]).toBeLessThan(60);
  });
});
