// A small real OCTO supplier for the reconciliation tests: the read API (`GET /bookings` by travel dates,
// `GET /bookings/{uuid}`, `GET /orders/{id}`, `GET /products`, `POST /availability`) and the webhook and
// notification subscription collections, over node:http, from in-memory maps; with switches for 429 +
// Retry-After, slowness and failures, and a record of every request (when, and how many at once).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { closeServer, listen } from "@octo-webhooks/test-helpers";

export const READ_KEY = "sk_read_7c1e9a";

/** A booking as the supplier holds it, and the date it travels. */
export interface HeldBooking {
  localDate: string;
  booking: Record<string, unknown>;
}

export interface ReadSupplier {
  /** The OCTO endpoint (`baseUrl`). */
  url: string;
  bookings: Map<string, HeldBooking>;
  orders: Map<string, Record<string, unknown>>;
  products: Map<string, Record<string, unknown>>;
  webhooks: Array<Record<string, unknown> & { id: string }>;
  subscriptions: Array<Record<string, unknown> & { id: string }>;
  /** Every request: method, path with query, when it arrived, its `Octo-Capabilities`. */
  requests: Array<{ method: string; path: string; at: number; capabilities: string | undefined }>;
  /** The most requests in progress at once. */
  maxInFlight: number;
  /** The next `count` requests are answered 429 (with `Retry-After: retryAfter` when given). */
  tooManyRequests(count: number, retryAfter?: string): void;
  /** Every answer waits this long. */
  delayMs: number;
  /** Requests whose path starts with one of these are answered 500. */
  failing: Set<string>;
  /** `GET /bookings` over more days than this answers a body over the client's 16 MiB limit. */
  maxListDays: number;
  /** Holds (or replaces) a booking: `status`, `utcUpdatedAt` and any other field. */
  put(uuid: string, localDate: string, fields: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;

export async function startReadSupplier(): Promise<ReadSupplier> {
  let inFlight = 0;
  let throttled = 0;
  let retryAfter: string | undefined;
  let nextId = 1;
  const supplier: ReadSupplier = {
    url: "",
    bookings: new Map(),
    orders: new Map(),
    products: new Map(),
    webhooks: [],
    subscriptions: [],
    requests: [],
    maxInFlight: 0,
    tooManyRequests(count, after) {
      throttled = count;
      retryAfter = after;
    },
    delayMs: 0,
    failing: new Set(),
    maxListDays: Number.POSITIVE_INFINITY,
    put(uuid, localDate, fields) {
      const booking = {
        uuid,
        id: `id-${uuid}`,
        status: "CONFIRMED",
        productId: "p-1",
        optionId: "DEFAULT",
        availabilityId: `${localDate}T10:00:00Z`,
        ...fields,
      };
      supplier.bookings.set(uuid, { localDate, booking });
      return booking;
    },
    close: async () => {},
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  };

  const answer = async (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url ?? "/", "http://supplier.test");
    const path = url.pathname.replace(/^\/octo\//, "");
    if (req.headers.authorization !== `Bearer ${READ_KEY}`) {
      return send(res, 401, { error: "UNAUTHORIZED", errorMessage: "wrong key" });
    }
    if (throttled > 0) {
      throttled--;
      return send(
        res,
        429,
        { error: "TOO_MANY_REQUESTS", errorMessage: "slow down" },
        retryAfter ? { "retry-after": retryAfter } : {},
      );
    }
    if ([...supplier.failing].some((prefix) => path.startsWith(prefix))) {
      return send(res, 500, { error: "INTERNAL_SERVER_ERROR", errorMessage: "down" });
    }
    const [collection, id, more] = path.split("/").map(decodeURIComponent);
    if (req.method === "GET" && collection === "bookings" && id === undefined) {
      const start = url.searchParams.get("localDateStart");
      const end = url.searchParams.get("localDateEnd");
      if (start === null || end === null)
        return send(res, 400, { error: "BAD_REQUEST", errorMessage: "dates" });
      if (days(start, end) > supplier.maxListDays) {
        // declared too large: the client stops reading at the header
        res.writeHead(200, {
          "content-type": "application/json",
          "content-length": String(17 * 1024 * 1024),
        });
        res.write("[");
        return;
      }
      const listed = [...supplier.bookings.values()]
        .filter((held) => held.localDate >= start && held.localDate <= end)
        .map((held) => held.booking);
      return send(res, 200, listed);
    }
    if (req.method === "GET" && collection === "bookings" && id !== undefined) {
      const held = supplier.bookings.get(id);
      return held
        ? send(res, 200, held.booking)
        : send(res, 400, { error: "INVALID_BOOKING_UUID", errorMessage: "no such booking", uuid: id });
    }
    if (req.method === "GET" && collection === "orders" && id !== undefined) {
      const order = supplier.orders.get(id);
      return order
        ? send(res, 200, order)
        : send(res, 404, { error: "NOT_FOUND", errorMessage: "no such order" });
    }
    if (req.method === "GET" && collection === "products" && id === undefined) {
      return send(res, 200, [...supplier.products.values()]);
    }
    if (req.method === "POST" && collection === "availability") {
      const query = JSON.parse(text) as { productId: string; localDateStart: string; localDateEnd: string };
      const slots = [];
      for (let d = 0; d < days(query.localDateStart, query.localDateEnd); d++) {
        const date = new Date(Date.parse(query.localDateStart) + d * 86_400_000).toISOString().slice(0, 10);
        slots.push({
          id: `${date}T09:00:00Z`,
          localDateTimeStart: `${date}T09:00:00Z`,
          status: "AVAILABLE",
          vacancies: 10,
        });
      }
      return send(res, 200, slots);
    }
    const registrations =
      collection === "webhooks"
        ? supplier.webhooks
        : collection === "notifications" && id === "subscriptions"
          ? supplier.subscriptions
          : undefined;
    const key = collection === "webhooks" ? id : more;
    if (registrations !== undefined) {
      if (req.method === "GET" && key === undefined) return send(res, 200, registrations);
      if (req.method === "POST" && key === undefined) {
        const created = { ...(JSON.parse(text) as Record<string, unknown>), id: `reg-${nextId++}` };
        registrations.push(created);
        return send(res, 200, created);
      }
      if (req.method === "DELETE" && key !== undefined) {
        const at = registrations.findIndex((r) => r.id === key);
        if (at === -1) return send(res, 404, { error: "NOT_FOUND", errorMessage: "none" });
        registrations.splice(at, 1);
        return send(res, 200, {});
      }
    }
    return send(res, 404, { error: "NOT_FOUND", errorMessage: `no ${req.method} ${path}` });
  };

  const server = createServer((req, res) => {
    inFlight++;
    supplier.maxInFlight = Math.max(supplier.maxInFlight, inFlight);
    res.on("close", () => void inFlight--);
    supplier.requests.push({
      method: req.method ?? "",
      path: (req.url ?? "").replace(/^\/octo\//, ""),
      at: Date.now(),
      capabilities: req.headers["octo-capabilities"] as string | undefined,
    });
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      setTimeout(() => void answer(req, res, Buffer.concat(chunks).toString("utf8")), supplier.delayMs);
    });
  });
  const port = await listen(server);
  supplier.url = `http://127.0.0.1:${port}/octo`;
  supplier.close = () => closeServer(server);
  return supplier;
}

/** The most requests that arrived within any `windowMs` (a sliding window over arrival times). */
export function mostWithin(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    while ((sorted[to] as number) - (sorted[from] as number) >= windowMs) from++;
    most = Math.max(most, to - from + 1);
  }
  return most;
}
