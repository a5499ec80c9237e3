// The mock supplier's read API as reconciliation uses it: every resource read back is the very object
// its webhook deliveries carried (the same JSON text, for the reader's capabilities and Octo-Env), and
// `GET /bookings` lists bookings by date window, reference and product as OCTO specifies.
import { closeAfterEach } from "@octo-webhooks/test-helpers/vitest";
import { describe, expect, it } from "vitest";
import { type MockSupplier, type MockSupplierOptions, startMockSupplier } from "../src/index.ts";
import { recordingServer } from "./helpers.ts";

const onCleanup = closeAfterEach();
const KEY = "k-reads";

async function supplier(options: MockSupplierOptions = {}): Promise<MockSupplier> {
  const started = await startMockSupplier({ apiKey: KEY, retrySchedule: [5, 5], ...options });
  onCleanup(() => started.close());
  return started;
}

async function recorder() {
  const server = await recordingServer();
  onCleanup(server.close);
  return server;
}

async function call(
  s: MockSupplier,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
) {
  const response = await fetch(`${s.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${KEY}`,
      ...headers,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
}

const PRICED_LIVE = { "octo-capabilities": "octo/webhooks, octo/pricing", "octo-env": "live" };

/** Registers a webhook of `event` to a new recording server, with the given headers' capabilities and env. */
async function hook(s: MockSupplier, event: string, headers: Record<string, string> = {}) {
  const server = await recorder();
  const created = await call(
    s,
    "POST",
    "/webhooks",
    { "octo-capabilities": "octo/webhooks", ...headers },
    {
      url: `${server.url}/${event}`,
      event,
    },
  );
  expect(created.status).toBe(200);
  /** The `field` of each body received, as JSON text. */
  const sent = (field: string) => server.requests.map((r) => JSON.stringify(JSON.parse(r.body)[field]));
  return { server, sent };
}

describe("resources read back as they were delivered", () => {
  it("a booking: the same JSON text as its last delivery, for each webhook's capabilities and env", async () => {
    const s = await supplier();
    const plain = await hook(s, "booking_update");
    const priced = await hook(s, "booking_update", PRICED_LIVE);
    await s.simulate.bookingLifecycle();
    const uuid = [...s.bookings.keys()][0] as string;

    const readPlain = await call(s, "GET", `/bookings/${uuid}`);
    const readPriced = await call(s, "GET", `/bookings/${uuid}`, PRICED_LIVE);
    expect(readPlain.text).toBe(plain.sent("booking").at(-1));
    expect(readPriced.text).toBe(priced.sent("booking").at(-1));
    expect(readPriced.json).toMatchObject({
      status: "CANCELLED",
      testMode: false,
      pricing: { currency: "EUR" },
    });
    expect(readPlain.json.pricing).toBeUndefined();
    expect(JSON.stringify(s.bookings.get(uuid))).toBe(readPlain.text);

    // and in a list, by the date of its availability
    const day = (readPlain.json.availability.localDateTimeStart as string).slice(0, 10);
    const listed = await call(s, "GET", `/bookings?localDateStart=${day}&localDateEnd=${day}`, PRICED_LIVE);
    expect(listed.text).toBe(`[${priced.sent("booking").at(-1)}]`);
  });

  it("an order, at /orders/{id} and Ventrata's /order/{id}, and each of its bookings alone", async () => {
    const s = await supplier();
    const orders = await hook(s, "order_update", PRICED_LIVE);
    await s.simulate.orderLifecycle();
    const last = JSON.parse(orders.sent("order").at(-1) as string);
    const [read, ventrata] = await Promise.all([
      call(s, "GET", `/orders/${last.id}`, PRICED_LIVE),
      call(s, "GET", `/order/${last.id}`, PRICED_LIVE),
    ]);
    expect(read.text).toBe(orders.sent("order").at(-1));
    expect(ventrata.text).toBe(read.text);
    expect(read.json.bookings.map((b: { status: string }) => b.status)).toEqual(["CONFIRMED", "CANCELLED"]);
    for (const booking of last.bookings) {
      expect((await call(s, "GET", `/bookings/${booking.uuid}`, PRICED_LIVE)).text).toBe(
        JSON.stringify(booking),
      );
    }
    expect([...s.orders.keys()]).toEqual([last.id]);
    expect(s.orders.get(last.id)?.bookings?.[1]?.status).toBe("CANCELLED");
    expect((await call(s, "GET", `/products/${last.bookings[0].productId}`)).status).toBe(200);
    expect(s.reads.stats().requests.orders).toBe(2);
  });

  it("a product, at /products/{id} and in GET /products", async () => {
    const s = await supplier();
    const products = await hook(s, "product_update", { "octo-capabilities": "octo/webhooks, octo/pricing" });
    await s.simulate.bookingUpdate(); // its product is listed too
    await s.simulate.productChange();
    const sent = products.sent("product").at(-1) as string;
    const id = JSON.parse(sent).id as string;
    const one = await call(s, "GET", `/products/${id}`, { "octo-capabilities": "octo/pricing" });
    expect(one.text).toBe(sent);
    const all = await call(s, "GET", "/products", { "octo-capabilities": "octo/pricing" });
    expect(all.json).toHaveLength(2);
    expect(JSON.stringify(all.json[1])).toBe(sent);
    expect([...s.products.keys()]).toEqual(all.json.map((p: { id: string }) => p.id));
    expect(s.products.get(id)?.options?.[0]?.internalName).toBe("Harbour cruise with lunch (3h)");
  });

  it("answers OCTO errors for unknown ids and 405 for other methods", async () => {
    const s = await supplier();
    const order = await call(s, "GET", "/orders/nope");
    expect([order.status, order.json]).toEqual([
      404,
      { error: "INVALID_ORDER_ID", errorMessage: "no order has this id", orderId: "nope" },
    ]);
    expect((await call(s, "GET", "/bookings/nope")).json.error).toBe("INVALID_BOOKING_UUID");
    expect((await call(s, "GET", "/products/nope")).json.error).toBe("INVALID_PRODUCT_ID");
    const post = await call(s, "POST", "/bookings", {}, {});
    expect([post.status, post.headers.get("allow"), post.json.error]).toEqual([
      405,
      "GET",
      "METHOD_NOT_ALLOWED",
    ]);
    const getAvailability = await call(s, "GET", "/availability");
    expect([getAvailability.status, getAvailability.headers.get("allow")]).toEqual([405, "POST"]);
    expect((await call(s, "DELETE", "/products/x")).status).toBe(405);
    expect((await call(s, "GET", "/products")).json).toEqual([]);
  });
});

describe("GET /bookings", () => {
  it("lists the bookings whose availability starts within the dates, both included, in their current state", async () => {
    const s = await supplier();
    // booking i is made i hours after 2026-11-20T09:15Z and travels 15 days later: 0-14 on 12-05, 15-29 on 12-06
    await s.simulate.bookingBatch({ count: 30, cancelled: 4, amended: 3 });
    const list = async (query: string) => {
      const answer = await call(s, "GET", `/bookings?${query}`);
      expect(answer.status).toBe(200);
      return answer.json as Array<{ uuid: string; status: string; notes: string | null }>;
    };
    const all = [...s.bookings.values()];
    expect((await list("localDateStart=2026-12-05&localDateEnd=2026-12-06")).map((b) => b.uuid)).toEqual(
      all.map((b) => b.uuid),
    );
    expect(await list("localDateStart=2026-12-05&localDateEnd=2026-12-05")).toEqual(all.slice(0, 15));
    expect(await list("localDate=2026-12-06")).toEqual(all.slice(15));
    expect(await list("localDateStart=2026-12-06&localDateEnd=2026-12-31")).toEqual(all.slice(15));
    expect(await list("localDateStart=2026-12-07&localDateEnd=2026-12-31")).toEqual([]);
    const states = (await list("localDate=2026-12-05")).map((b) => `${b.status} ${b.notes !== null}`);
    expect(states.slice(0, 8)).toEqual([
      "CANCELLED true",
      "CANCELLED true",
      "CANCELLED true",
      "CANCELLED true",
      "CONFIRMED true",
      "CONFIRMED true",
      "CONFIRMED true",
      "CONFIRMED false",
    ]);

    const third = all[2] as (typeof all)[number];
    expect(await list(`supplierReference=${third.supplierReference}`)).toEqual([third]);
    expect(await list(`resellerReference=${third.resellerReference}`)).toEqual([third]);
    expect(await list(`localDate=2026-12-05&productId=${third.productId}&optionId=DEFAULT`)).toEqual([third]);
    expect(await list(`localDate=2026-12-05&optionId=PRIVATE`)).toEqual([]);
    expect(s.reads.stats().requests.bookings).toBe(10);
  });

  it("needs a reference or dates, as OCTO says, and checks them", async () => {
    const s = await supplier();
    for (const query of [
      "",
      "productId=x",
      "localDateStart=2026-12-05",
      "localDateStart=2026-12-06&localDateEnd=2026-12-05",
      "localDate=05/12/2026",
      "localDate=2026-12-05&localDateStart=2026-12-05&localDateEnd=2026-12-06",
    ]) {
      const answer = await call(s, "GET", `/bookings?${query}`);
      expect([query, answer.status, answer.json.error]).toEqual([query, 400, "BAD_REQUEST"]);
    }
  });
});
