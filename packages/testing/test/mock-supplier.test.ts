import { createServer } from "node:http";
import { createOctoWebhooks } from "@octo-webhooks/core";
import { closeServer, listen } from "@octo-webhooks/test-helpers";
import { closeAfterEach } from "@octo-webhooks/test-helpers/vitest";
import { describe, expect, it } from "vitest";
import {
  type MockSupplier,
  type MockSupplierOptions,
  startMockSupplier,
  startReceiver,
} from "../src/index.ts";
import { closedPort, recordingServer } from "./helpers.ts";

const onCleanup = closeAfterEach();

async function supplier(options: MockSupplierOptions = {}): Promise<MockSupplier> {
  const started = await startMockSupplier({ apiKey: "k-123", retrySchedule: [5, 5], ...options });
  onCleanup(() => started.close());
  return started;
}

async function recorder(statuses?: number[]) {
  const server = await recordingServer(statuses);
  onCleanup(server.close);
  return server;
}

const HEADERS = { authorization: "Bearer k-123", "octo-capabilities": "octo/webhooks" };

async function call(
  s: MockSupplier,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = HEADERS,
) {
  const response = await fetch(`${s.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
}

describe("the management API", () => {
  it("refuses a missing or wrong key with 401 and an OCTO error body that echoes nothing", async () => {
    const s = await supplier();
    const none = await call(s, "GET", "/webhooks", undefined, { "octo-capabilities": "octo/webhooks" });
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ error: "UNAUTHORIZED", errorMessage: expect.stringContaining("Bearer") });
    const wrong = await call(s, "GET", "/webhooks", undefined, {
      ...HEADERS,
      authorization: "Bearer nope-987",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain("nope-987");
    expect(s.requests.map((r) => [r.status, r.error])).toEqual([
      [401, "UNAUTHORIZED"],
      [401, "UNAUTHORIZED"],
    ]);
  });

  it("needs octo/webhooks in Octo-Capabilities, and records the capabilities and Octo-Env sent", async () => {
    const s = await supplier();
    const missing = await call(s, "GET", "/webhooks", undefined, { authorization: "Bearer k-123" });
    expect(missing.status).toBe(400);
    expect(missing.json.errorMessage).toContain("octo/webhooks");
    await call(s, "GET", "/webhooks", undefined, {
      ...HEADERS,
      "octo-capabilities": "octo/webhooks, octo/pricing",
      "octo-env": "live",
    });
    expect(s.requests[1]).toMatchObject({
      status: 200,
      capabilities: ["octo/webhooks", "octo/pricing"],
      env: "live",
    });
    expect((await call(s, "GET", "/webhooks", undefined, { ...HEADERS, "octo-env": "prod" })).status).toBe(
      400,
    );
  });

  it("creates, lists, updates and deletes webhooks", async () => {
    const s = await supplier();
    const created = await call(
      s,
      "POST",
      "/webhooks",
      { url: "https://u:p@shop.example/hook", event: "booking_update" },
      {
        ...HEADERS,
        "octo-capabilities": "octo/webhooks, octo/pricing",
      },
    );
    expect(created.status).toBe(200);
    expect(created.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      event: "booking_update",
      url: "https://u:p@shop.example/hook",
      retryOnError: true,
      useContactLanguage: false,
      headers: {},
      capabilities: ["octo/pricing"],
      active: true,
    });
    const id = created.json.id as string;
    expect((await call(s, "GET", "/webhooks")).json).toEqual([created.json]);

    const patched = await call(s, "PATCH", `/webhooks/${id}`, {
      retryOnError: false,
      headers: { "x-api-key": "abc" },
    });
    expect(patched.json).toMatchObject({
      id,
      retryOnError: false,
      headers: { "x-api-key": "abc" },
      url: "https://u:p@shop.example/hook",
    });
    expect(s.webhooks).toEqual([patched.json]);

    const deleted = await call(s, "DELETE", `/webhooks/${id}`);
    expect(deleted.json).toEqual(patched.json);
    expect((await call(s, "GET", "/webhooks")).json).toEqual([]);
    const again = await call(s, "DELETE", `/webhooks/${id}`);
    expect(again.status).toBe(404);
    expect(again.json).toEqual({
      error: "INVALID_WEBHOOK_ID",
      errorMessage: "no webhook has this id",
      webhookId: id,
    });
  });

  it("answers 400 with a clear OCTO error to bad bodies, without echoing the URL", async () => {
    const s = await supplier();
    const cases: Array<[unknown, string]> = [
      [{ event: "booking_update" }, "url"],
      [{ url: "not a url", event: "booking_update" }, "url"],
      [{ url: "ftp://x:secret-pw@host/", event: "booking_update" }, "url"],
      [
        { url: "https://x:secret-pw@host/", event: "order_created" },
        "event must be one of booking_update, availability_update",
      ],
      [{ url: "https://host/", event: "booking_update", retryOnError: "yes" }, "retryOnError"],
      [{ url: "not a url", event: "order_created", active: 1 }, "url"],
      [{ url: "https://host/", event: "booking_update", capabilities: "x", active: 1 }, "capabilities"],
      [
        { url: "https://host/", event: "booking_update", useContactLanguage: 1, headers: [] },
        "useContactLanguage must be a boolean",
      ],
      [{ url: "https://host/", event: "booking_update", headers: { "x-k": 5 } }, "headers"],
      [{ url: "https://host/", event: "booking_update", headers: { "bad name": "v" } }, "headers"],
      ["{not json", "not valid JSON"],
      [[1, 2], "JSON object"],
    ];
    for (const [body, message] of cases) {
      const answer = await call(s, "POST", "/webhooks", body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.error).toBe("BAD_REQUEST");
      expect(answer.json.errorMessage).toContain(message);
      expect(answer.text).not.toContain("secret-pw");
    }
    expect(s.webhooks).toEqual([]);
  });

  it("routes: 404 with a hint elsewhere, 405 with Allow for other methods, 404 for PATCH on an older supplier", async () => {
    const s = await supplier({ supportsPatch: false });
    const root = await fetch(s.url.replace(/\/octo$/, "/webhooks"), { headers: HEADERS });
    expect(root.status).toBe(404);
    expect(((await root.json()) as { errorMessage: string }).errorMessage).toContain("/octo");
    const put = await call(s, "PUT", "/webhooks", {});
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, POST");
    const { json } = await call(s, "POST", "/webhooks", {
      url: "https://h.example/",
      event: "booking_update",
    });
    const patch = await call(s, "PATCH", `/webhooks/${json.id}`, { retryOnError: false });
    expect(patch.status).toBe(404);
    expect(patch.json.error).toBe("NOT_FOUND");
    expect((await call(s, "DELETE", "/webhooks/%E0%A4%A")).status).toBe(400);
  });

  it("fails the next calls on purpose (failNext), with Retry-After or a non-JSON body", async () => {
    const s = await supplier();
    s.failNext(2, { retryAfterSeconds: 3 });
    s.failNext(1, { status: 502, body: "<html>Bad Gateway</html>" });
    const first = await call(s, "GET", "/webhooks");
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("3");
    expect(first.json.error).toBe("SERVICE_UNAVAILABLE");
    expect((await call(s, "GET", "/webhooks")).status).toBe(503);
    const html = await fetch(`${s.url}/webhooks`, { headers: HEADERS });
    expect([html.status, html.headers.get("content-type"), await html.text()]).toEqual([
      502,
      "text/html; charset=utf-8",
      "<html>Bad Gateway</html>",
    ]);
    expect((await call(s, "GET", "/webhooks")).status).toBe(200);
    expect(s.requests.map((r) => r.status)).toEqual([503, 503, 502, 200]);
  });
});

describe("deliveries", () => {
  it("sends the URL's credentials as Basic (decoded exactly), the webhook's headers, JSON and a user-agent", async () => {
    const s = await supplier();
    const target = await recorder();
    const password = "p@ss:w/rd?#% é€";
    const url = `http://octo:${encodeURIComponent(password)}@127.0.0.1:${target.port}/hooks?tenant=1`;
    await call(s, "POST", "/webhooks", {
      url,
      event: "booking_update",
      headers: { "X-Api-Key": "hdr-secret" },
    });
    const [delivery] = await s.simulate.bookingUpdate({ status: "CONFIRMED" });

    const [request] = target.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/hooks?tenant=1");
    const decoded = Buffer.from(
      (request?.headers.authorization ?? "").replace(/^Basic /, ""),
      "base64",
    ).toString("utf8");
    expect(decoded).toBe(`octo:${password}`);
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": "octo-webhooks-mock-supplier/1.0",
      "x-api-key": "hdr-secret",
      "content-length": String(Buffer.byteLength(request?.body ?? "")),
    });
    expect(request?.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const body = JSON.parse(request?.body ?? "{}");
    expect(body.booking.status).toBe("CONFIRMED");
    expect(body.booking.testMode).toBe(true);
    // the echo names the webhook, without its credentials
    expect(body.webhook).toMatchObject({
      event: "booking_update",
      url: `http://127.0.0.1:${target.port}/hooks?tenant=1`,
    });
    expect(JSON.stringify(body)).not.toContain("p%40ss");

    expect(delivery).toMatchObject({
      state: "delivered",
      event: "booking_update",
      url: `http://127.0.0.1:${target.port}/hooks?tenant=1`,
    });
    expect(delivery?.headers.authorization).toBe("Basic ***");
    expect(delivery?.attempts).toEqual([
      expect.objectContaining({ attempt: 1, status: 200, answer: '{"status":200}', error: undefined }),
    ]);
  });

  it("retries non-2xx answers on the schedule and records every attempt", async () => {
    const s = await supplier({ retrySchedule: [5, 5, 5] });
    const target = await recorder([500, 429, 200]);
    await call(s, "POST", "/webhooks", { url: `${target.url}/h`, event: "booking_update" });
    const [delivery] = await s.simulate.bookingUpdate();
    expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 429, 200]);
    expect(delivery?.state).toBe("delivered");
    expect(new Set(target.requests.map((r) => r.body)).size).toBe(1);
  });

  it("gives up after the schedule, and does not retry when retryOnError is false", async () => {
    const s = await supplier({ retrySchedule: [5] });
    const target = await recorder([503]);
    await call(s, "POST", "/webhooks", { url: `${target.url}/retry`, event: "booking_update" });
    await call(s, "POST", "/webhooks", {
      url: `${target.url}/once`,
      event: "booking_update",
      retryOnError: false,
    });
    const deliveries = await s.simulate.bookingUpdate();
    const byUrl = Object.fromEntries(deliveries.map((d) => [new URL(d.url).pathname, d]));
    expect(byUrl["/retry"]?.attempts.map((a) => a.status)).toEqual([503, 503]);
    expect(byUrl["/retry"]?.state).toBe("failed");
    expect(byUrl["/once"]?.attempts.map((a) => a.status)).toEqual([503]);
  });

  it("retries network errors and timeouts, recording why there was no answer", async () => {
    const s = await supplier({ retrySchedule: [5], deliveryTimeoutMs: 100 });
    const port = await closedPort();
    const silent = createServer(() => undefined); // accepts, never answers
    const silentPort = await listen(silent);
    onCleanup(() => closeServer(silent));
    await call(s, "POST", "/webhooks", {
      url: `http://127.0.0.1:${port}/down`,
      event: "availability_update",
    });
    await call(s, "POST", "/webhooks", {
      url: `http://127.0.0.1:${silentPort}/slow`,
      event: "availability_update",
    });
    const deliveries = await s.simulate.availabilityChange({ vacancies: 0 });
    const byPath = Object.fromEntries(deliveries.map((d) => [new URL(d.url).pathname, d]));
    expect(byPath["/down"]?.attempts.map((a) => a.error)).toEqual(["ECONNREFUSED", "ECONNREFUSED"]);
    expect(byPath["/slow"]?.attempts.map((a) => a.error)).toEqual([
      "no answer within 100 ms",
      "no answer within 100 ms",
    ]);
    expect(
      deliveries.every((d) => d.state === "failed" && d.attempts.every((a) => a.status === undefined)),
    ).toBe(true);
  });

  it("delivers a lifecycle in order to booking webhooks only, with each webhook's capabilities and env", async () => {
    const s = await supplier();
    const plain = await recorder();
    const priced = await recorder();
    const availability = await recorder();
    await call(s, "POST", "/webhooks", { url: `${plain.url}/b`, event: "booking_update" });
    await call(
      s,
      "POST",
      "/webhooks",
      { url: `${priced.url}/b`, event: "booking_update" },
      {
        ...HEADERS,
        "octo-capabilities": "octo/webhooks, octo/pricing",
        "octo-env": "live",
      },
    );
    await call(s, "POST", "/webhooks", { url: `${availability.url}/a`, event: "availability_update" });
    const deliveries = await s.simulate.bookingLifecycle();
    expect(deliveries).toHaveLength(8);
    expect(availability.requests).toEqual([]);
    const plainBodies = plain.requests.map((r) => JSON.parse(r.body));
    const pricedBodies = priced.requests.map((r) => JSON.parse(r.body));
    expect(plainBodies.map((b) => b.booking.status)).toEqual([
      "ON_HOLD",
      "CONFIRMED",
      "CONFIRMED",
      "CANCELLED",
    ]);
    expect(plainBodies.every((b) => b.booking.pricing === undefined && b.booking.testMode === true)).toBe(
      true,
    );
    expect(
      pricedBodies.every((b) => b.booking.pricing?.currency === "EUR" && b.booking.testMode === false),
    ).toBe(true);
    // the same booking goes to every webhook; the next simulation is another booking
    expect(pricedBodies[0].booking.uuid).toBe(plainBodies[0].booking.uuid);
    const [next] = await s.simulate.bookingUpdate();
    expect(next?.body.booking).not.toMatchObject({ uuid: plainBodies[0].booking.uuid });
    expect(s.deliveries).toHaveLength(10);
  });

  it("delivers an order confirmed with two bookings, then one cancelled inside it, and a renamed option, to a real receiver", async () => {
    const s = await supplier();
    const seen: string[] = [];
    const webhooks = createOctoWebhooks({
      onOrderUpdate: ({ order }, context) => void seen.push(`${context.lifecycle} ${order.bookings?.length}`),
      onBookingConfirmed: ({ booking }, { order }) =>
        void seen.push(`confirmed ${booking.uuid === order?.bookings?.[0]?.uuid ? 0 : 1}`),
      onBookingCancelled: ({ booking }, { order }) =>
        void seen.push(`cancelled ${booking.uuid === order?.bookings?.[1]?.uuid ? 1 : 0}`),
      onProductUpdate: ({ product }) => void seen.push(String(product.options?.[0]?.internalName)),
    });
    const receiver = await startReceiver(webhooks);
    onCleanup(() => receiver.close());
    const order = await call(s, "POST", "/webhooks", {
      url: receiver.url,
      event: "order_update",
      capabilities: ["octo/pricing"],
    });
    expect(order.json.capabilities).toEqual(["octo/cart", "octo/pricing"]);
    expect(order.json.active).toBe(true);
    await call(s, "POST", "/webhooks", { url: `${receiver.url}?kind=product`, event: "product_update" });
    await call(s, "POST", "/webhooks", {
      url: `${receiver.url}?kind=off`,
      event: "order_update",
      active: false,
    });
    const deliveries = await s.simulate.orderLifecycle();
    expect(deliveries.map((d) => d.attempts.at(-1)?.status)).toEqual([200, 200]);
    expect(deliveries[0]?.body.webhook).toMatchObject({ capabilities: ["octo/cart", "octo/pricing"] });
    expect((deliveries[0]?.body.order as { pricing?: unknown } | undefined)?.pricing).toBeDefined();
    await s.simulate.productChange();
    expect(seen).toEqual([
      "order.confirmed 2",
      "confirmed 0",
      "confirmed 1",
      "order.amended 2",
      "cancelled 1",
      "Harbour cruise with lunch (3h)",
    ]);
  });

  it("keeps a webhook's capabilities and active flag as PATCHed, and refuses bad ones", async () => {
    const s = await supplier();
    const { json } = await call(s, "POST", "/webhooks", {
      url: "https://r.example.test/h",
      event: "booking_update",
    });
    const patched = await call(s, "PATCH", `/webhooks/${json.id}`, {
      capabilities: ["octo/pricing"],
      active: false,
    });
    expect(patched.json).toMatchObject({ capabilities: ["octo/pricing"], active: false });
    const bad = await call(s, "PATCH", `/webhooks/${json.id}`, { capabilities: "octo/pricing" });
    expect(bad.status).toBe(400);
    expect(bad.json.errorMessage).toMatch(/capabilities/);
    expect((await call(s, "PATCH", `/webhooks/${json.id}`, { active: "yes" })).status).toBe(400);
  });

  it("delivers raw events to the webhooks of that event, adding the webhook echo", async () => {
    const s = await supplier({ events: ["booking_update", "order_update"] });
    const target = await recorder();
    const { json } = await call(s, "POST", "/webhooks", { url: `${target.url}/o`, event: "order_update" });
    await s.simulate.event("order_update", { order: { id: "o-1", status: "CONFIRMED" } });
    expect(JSON.parse(target.requests[0]?.body ?? "{}")).toEqual({
      webhook: expect.objectContaining({ id: json.id, event: "order_update" }),
      order: { id: "o-1", status: "CONFIRMED" },
    });
  });

  it("can be driven over HTTP through /octo/_mock/*", async () => {
    const s = await supplier();
    const target = await recorder();
    await call(s, "POST", "/webhooks", { url: `${target.url}/b`, event: "booking_update" });
    const started = await call(s, "POST", "/_mock/simulate/booking-lifecycle", {});
    expect(started.status).toBe(202);
    expect(started.json).toEqual({ deliveries: ["d1", "d2", "d3", "d4"] });
    await s.idle();
    expect(target.requests).toHaveLength(4);
    const listed = await call(s, "GET", "/_mock/deliveries");
    expect(listed.json.map((d: { state: string }) => d.state)).toEqual([
      "delivered",
      "delivered",
      "delivered",
      "delivered",
    ]);
    expect((await call(s, "POST", "/_mock/simulate/event", { body: {} })).status).toBe(400);
    const badDate = await call(s, "POST", "/_mock/simulate/booking-update", { createdAt: "yesterday" });
    expect([badDate.status, badDate.json.errorMessage]).toEqual([
      400,
      "[@octo-webhooks/testing] `createdAt` must be a date or an ISO 8601 string",
    ]);
    expect((await call(s, "POST", "/_mock/simulate/booking-update", [1])).status).toBe(400);
    await expect(s.simulate.bookingLifecycle({ createdAt: "yesterday" })).rejects.toThrow("createdAt");
    expect(s.deliveries).toHaveLength(4);
    expect((await call(s, "POST", "/_mock/simulate/nothing", {})).status).toBe(404);
    expect(
      (await call(s, "POST", "/_mock/simulate/booking-update", {}, { authorization: "Bearer x" })).status,
    ).toBe(401);
    // control calls are not management calls
    expect(s.requests.map((r) => r.path)).toEqual(["/octo/webhooks"]);
  });

  it("close() cancels pending retries and in-flight deliveries at once, leaving nothing running", async () => {
    const s = await startMockSupplier({ retrySchedule: [60_000] });
    const target = await recorder([500]);
    await call(
      s,
      "POST",
      "/webhooks",
      { url: `${target.url}/x`, event: "booking_update" },
      {
        ...HEADERS,
        authorization: "Bearer mock-api-key",
      },
    );
    const done = s.simulate.bookingUpdate();
    // the first attempt's answer is in (on a busy machine it can lag behind the receiver's record)
    while (!s.deliveries.some((d) => d.attempts.some((a) => a.status === 500))) {
      await new Promise((r) => setTimeout(r, 5));
    }
    // with the 60 s retry still pending, this would outlive the test's timeout
    await s.close();
    const [delivery] = await done;
    expect(delivery?.state).toBe("cancelled");
    expect(delivery?.attempts.map((a) => a.status)).toEqual([500]);
    await expect(fetch(`${s.url}/webhooks`)).rejects.toThrow();
  });
});
