import { createServer } from "node:http";
import { closeServer, listen } from "@octo-webhooks/test-helpers";
import { afterEach, describe, expect, it } from "vitest";
import { type MockSupplier, startMockSupplier } from "../src/index.ts";
import { recordingServer } from "./helpers.ts";

const KEY = "k-notif";
const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()?.();
});

async function mock(options: Parameters<typeof startMockSupplier>[0] = {}): Promise<MockSupplier> {
  const s = await startMockSupplier({ apiKey: KEY, retrySchedule: [5, 5], ...options });
  open.push(() => s.close());
  return s;
}

async function call(
  s: MockSupplier,
  method: string,
  path: string,
  body?: unknown,
  capabilities = "notifications",
) {
  const answer = await fetch(`${s.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${KEY}`,
      "octo-capabilities": capabilities,
      "content-type": "application/json",
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: answer.status, json: (await answer.json()) as Record<string, unknown> };
}

/** A receiver that, on each notification, reads the booking back from the supplier (a hydration). */
async function hydratingReceiver(s: MockSupplier, fail = 0) {
  const seen: Array<{ body: unknown; headers: Record<string, unknown>; status: unknown }> = [];
  let count = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      count++;
      if (count <= fail) return void res.writeHead(500).end();
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data: { uuid: string } };
      const read = await fetch(`${s.url}/bookings/${body.data.uuid}`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      const booking = (await read.json()) as { status: string };
      seen.push({ body, headers: req.headers, status: booking.status });
      res.writeHead(204).end();
    });
  });
  const port = await listen(server);
  open.push(() => closeServer(server));
  return { url: `http://octo:s3cret@127.0.0.1:${port}/notifications`, seen };
}

describe("mock supplier notifications", () => {
  it("delivers a booking's life as thin notifications; each read sees the state of its step", async () => {
    const s = await mock();
    const receiver = await hydratingReceiver(s, 1);
    const created = await call(s, "POST", "/notifications/subscriptions", {
      url: receiver.url,
      notificationTypes: ["booking_update"],
      headers: { "x-sub": "abc" },
    });
    expect(created.status).toBe(200);
    const deliveries = await s.simulate.bookingLifecycle();
    expect(deliveries.map((d) => [d.event, d.state, d.attempts.length])).toEqual([
      ["BOOKING_UPDATE", "delivered", 2],
      ["BOOKING_UPDATE", "delivered", 1],
      ["BOOKING_UPDATE", "delivered", 1],
      ["BOOKING_UPDATE", "delivered", 1],
    ]);
    const uuid = [...s.bookings.keys()][0];
    expect(receiver.seen.map((x) => x.body)).toEqual(
      Array(4).fill({ type: "BOOKING_UPDATE", data: { uuid } }),
    );
    expect(receiver.seen.map((x) => x.status)).toEqual(["ON_HOLD", "CONFIRMED", "CONFIRMED", "CANCELLED"]);
    expect(receiver.seen[0]?.headers).toMatchObject({
      "x-sub": "abc",
      authorization: `Basic ${btoa("octo:s3cret")}`,
    });
    expect(s.reads.stats().requests.bookings).toBe(4);
  });

  it("notifies availability and product changes, not inactive subscriptions nor other types", async () => {
    const s = await mock();
    const receiver = await recordingServer();
    open.push(() => receiver.close());
    await call(s, "POST", "/notifications/subscriptions", {
      url: receiver.url,
      notificationTypes: ["AVAILABILITY_UPDATE", "PRODUCT_UPDATE"],
    });
    await call(s, "POST", "/notifications/subscriptions", {
      url: `${receiver.url}/off`,
      notificationTypes: ["PRODUCT_UPDATE"],
      active: false,
    });
    await s.simulate.bookingUpdate();
    await s.simulate.availabilityChange({ vacancies: 0 });
    await s.simulate.productChange();
    const bodies = receiver.requests.map((r) => [r.url, JSON.parse(r.body)]);
    expect(bodies).toEqual([
      [
        "/",
        {
          type: "AVAILABILITY_UPDATE",
          data: {
            productId: expect.any(String),
            optionId: "DEFAULT",
            localDateStart: "2026-12-05",
            localDateEnd: "2026-12-05",
          },
        },
      ],
      ["/", { type: "PRODUCT_UPDATE", data: { productId: expect.any(String) } }],
    ]);
    const availability = bodies[0]?.[1] as { data: Record<string, string> };
    const slots = await call(s, "POST", "/availability", availability.data);
    expect(slots.json).toEqual([expect.objectContaining({ status: "SOLD_OUT", vacancies: 0 })]);
  });

  it("gives up after the retry schedule unless retryOnError is false; the control routes", async () => {
    const s = await mock();
    const receiver = await recordingServer([503]);
    open.push(() => receiver.close());
    await call(s, "POST", "/notifications/subcriptions", {
      url: receiver.url,
      notification_types: ["booking_update"],
      retryOnError: false,
    });
    const sent = await call(s, "POST", "/_mock/simulate/notification", {
      type: "booking_update",
      data: { uuid: "u-1" },
    });
    expect(sent.status).toBe(202);
    await s.idle();
    expect(s.deliveries.map((d) => [d.state, d.attempts.length, d.body])).toEqual([
      ["failed", 1, { type: "BOOKING_UPDATE", data: { uuid: "u-1" } }],
    ]);
    const replayed = await s.replay(s.deliveries[0]?.id as string);
    expect([replayed.event, replayed.body, replayed.attempts.length]).toEqual([
      "BOOKING_UPDATE",
      { type: "BOOKING_UPDATE", data: { uuid: "u-1" } },
      1,
    ]);
    const configured = await call(s, "POST", "/_mock/reads", { failureRate: 1, latencyMs: 1 });
    expect(configured.status).toBe(202);
    const read = await call(s, "GET", "/bookings/u-1");
    expect(read).toEqual({
      status: 503,
      json: { error: "SERVICE_UNAVAILABLE", errorMessage: "simulated read failure (readFailureRate)" },
    });
    expect((await call(s, "GET", "/_mock/reads")).json).toMatchObject({
      requests: { bookings: 1 },
      failed: 1,
      maxInFlightSameResource: 1,
    });
    expect((await call(s, "POST", "/_mock/reads", { failureRate: 2 })).status).toBe(400);
  });

  it("answers 400 to bad subscription bodies, the first bad field named, never the URL", async () => {
    const s = await mock();
    const url = "https://octo:secret-pw@h.example/n";
    const types = ["booking_update"];
    const cases: Array<[unknown, string]> = [
      [[1], "the body must be a JSON object"],
      [{ notificationTypes: types }, "url is required and must be an absolute http(s) URL"],
      [{ url: "ftp://octo:secret-pw@h/", notificationTypes: [] }, "url is required"],
      [{ url, notificationTypes: [], active: "no" }, "notificationTypes must be a non-empty list of"],
      [{ url, notificationTypes: ["ORDER_UPDATE"] }, "notificationTypes must be a non-empty list of"],
      [{ url, notificationTypes: types, retryOnError: 1, headers: [] }, "retryOnError must be a boolean"],
      [{ url, notificationTypes: types, headers: { "bad name": "v" } }, "headers must be an object"],
      [{ url, notificationTypes: types, headers: { "x-k": "a\nb" } }, "headers must be an object"],
    ];
    for (const [body, message] of cases) {
      const answer = await call(s, "POST", "/notifications/subscriptions", body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.errorMessage, JSON.stringify(body)).toContain(message);
      expect(JSON.stringify(answer.json)).not.toContain("secret-pw");
    }
    expect(s.subscriptions).toEqual([]);

    const { json } = await call(s, "POST", "/notifications/subscriptions", { url, notificationTypes: types });
    const patched = await call(s, "PATCH", `/notifications/subscriptions/${json.id}`, { active: false });
    expect(patched.json).toMatchObject({ url, notificationTypes: ["BOOKING_UPDATE"], active: false });
    const bad = await call(s, "PATCH", `/notifications/subscriptions/${json.id}`, { notificationTypes: [] });
    expect(bad.status).toBe(400);
    expect(await call(s, "GET", "/notifications/subscriptions/%E0%A4%A")).toEqual({
      status: 400,
      json: {
        error: "BAD_REQUEST",
        errorMessage: "the subscription id in the path is not valid percent-encoding",
      },
    });
  });

  it("answers 404 with an OCTO error for unknown ids, and counts concurrent reads per resource", async () => {
    const s = await mock({ readLatencyMs: 20 });
    expect(await call(s, "GET", "/bookings/nope")).toEqual({
      status: 404,
      json: { error: "INVALID_BOOKING_UUID", errorMessage: "no booking has this uuid", uuid: "nope" },
    });
    expect((await call(s, "GET", "/products/nope")).json).toMatchObject({
      error: "INVALID_PRODUCT_ID",
      productId: "nope",
    });
    s.reads.reset();
    await Promise.all([1, 2, 3].map(() => call(s, "GET", "/bookings/same")));
    await call(s, "GET", "/bookings/other");
    const stats = s.reads.stats();
    expect(stats.maxInFlightSameResource).toBe(3);
    expect(stats.byResource).toEqual({
      "bookings/same": { requests: 3, maxInFlight: 3 },
      "bookings/other": { requests: 1, maxInFlight: 1 },
    });
    expect(() => s.reads.configure({ failureRate: -1 })).toThrow(/readFailureRate/);
  });
});
