import type { IncomingMessage } from "node:http";
import type { Booking } from "@octo-webhooks/core";
import { createRandom, type Seed } from "../factories/random.ts";
import { badRequest, decodeSegment, OctoErrorBody, readJsonBody } from "./octo-error-body.ts";
import type { ResourceStore, ResourceView } from "./resource-store.ts";

// The OCTO read API over the mock supplier's resources (resource-store.ts): what hydration of a thin
// notification reads (`GET /bookings/{uuid}`, `POST /availability`, `GET /products/{id}`) and what
// reconciliation lists (`GET /bookings?localDateStart=&localDateEnd=`, `GET /orders/{id}`,
// `GET /products`). The simulation moves each resource forward as its changes are delivered, so a read
// returns the current state. For tests: a fraction of reads can fail (503), reads can be slowed, and
// every read is counted.

/** Counts of the read API, for tests of hydration (coalescing, caching, retries). */
export interface MockReadStats {
  /** Read requests received, by kind (failed ones included). */
  requests: { bookings: number; availability: number; products: number; orders: number };
  /** Reads answered 503 by `readFailureRate`. */
  failed: number;
  /** Reads being answered now. */
  inFlight: number;
  /** The most reads in flight at once. */
  maxInFlight: number;
  /** The most reads of one resource in flight at once (1: never two fetches of the same resource together). */
  maxInFlightSameResource: number;
  /**
   * Per resource (`bookings/<uuid>`, `orders/<id>`, `products/<id>`,
   * `availability/<productId>/<optionId>/<from>/<to>`) or list (`bookings?<query>`, `products`).
   */
  byResource: Record<string, { requests: number; maxInFlight: number }>;
}

/** How reads behave; changed with `supplier.reads.configure` or `POST /octo/_mock/reads`. */
export interface MockReadSettings {
  /** The fraction of reads (0 to 1) answered `503 SERVICE_UNAVAILABLE` (default 0). */
  failureRate: number;
  /** How long each read takes, in ms (default 0). */
  latencyMs: number;
}

const emptyStats = (): MockReadStats => ({
  requests: { bookings: 0, availability: 0, products: 0, orders: 0 },
  failed: 0,
  inFlight: 0,
  maxInFlight: 0,
  maxInFlightSameResource: 0,
  byResource: {},
});

/** The `Octo-Capabilities` and `Octo-Env` of a read request: whom the resource is rendered for. */
function viewOfRequest(req: IncomingMessage): ResourceView {
  const header = req.headers["octo-capabilities"];
  const capabilities = (typeof header === "string" ? header : "")
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "");
  return { capabilities, live: req.headers["octo-env"] === "live" };
}

const READ_PATH = /^\/(?:bookings|products|orders?)\/[^/]+$|^\/(?:bookings|products|availability)$/;

/**
 * The read API over the resources of `store`: `GET /bookings` (by date, reference, product),
 * `GET /bookings/{uuid}`, `GET /orders/{id}` (and Ventrata's `/order/{id}`), `GET /products`,
 * `GET /products/{id}`, `POST /availability`; each resource rendered for the request's view.
 */
export function createResources(seed: Seed, settings: MockReadSettings, store: ResourceStore) {
  const chance = createRandom(`${seed}:read-failures`);
  let stats = emptyStats();
  const inFlight = new Map<string, number>();

  const checkSettings = (next: Partial<MockReadSettings>) => {
    if (next.failureRate !== undefined && !(next.failureRate >= 0 && next.failureRate <= 1)) {
      throw new TypeError("[@octo-webhooks/testing] `readFailureRate` must be a number from 0 to 1");
    }
    if (next.latencyMs !== undefined && !(next.latencyMs >= 0 && Number.isFinite(next.latencyMs))) {
      throw new TypeError("[@octo-webhooks/testing] `readLatencyMs` must be a non-negative number of ms");
    }
  };
  checkSettings(settings);

  /** Answers one read, counted; `key` names the resource, `kind` the API. */
  async function counted(
    kind: keyof MockReadStats["requests"],
    key: string,
    work: () => unknown,
  ): Promise<unknown> {
    stats.requests[kind]++;
    const entry = stats.byResource[key] ?? { requests: 0, maxInFlight: 0 };
    stats.byResource[key] = entry;
    entry.requests++;
    const now = (inFlight.get(key) ?? 0) + 1;
    inFlight.set(key, now);
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    entry.maxInFlight = Math.max(entry.maxInFlight, now);
    stats.maxInFlightSameResource = Math.max(stats.maxInFlightSameResource, now);
    const own = stats;
    try {
      if (settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.latencyMs));
      if (settings.failureRate > 0 && chance.int(0, 999_999) < settings.failureRate * 1_000_000) {
        own.failed++;
        throw new OctoErrorBody(503, "SERVICE_UNAVAILABLE", "simulated read failure (readFailureRate)");
      }
      return work();
    } finally {
      own.inFlight--;
      const left = (inFlight.get(key) ?? 1) - 1;
      if (left === 0) inFlight.delete(key);
      else inFlight.set(key, left);
    }
  }

  const dateOf = (value: unknown, name: string): string => {
    if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      throw badRequest(`${name} is required, a date like 2026-12-05`);
    }
    return value;
  };

  const notFound = (error: string, what: string, field: string, id: string) =>
    new OctoErrorBody(404, error, `no ${what} has this ${field === "uuid" ? "uuid" : "id"}`, {
      [field]: id.slice(0, 100),
    });

  /** The answer to a read request (`path` without the base path, one of {@link isReadPath}'s). */
  async function read(req: IncomingMessage, path: string): Promise<unknown> {
    const method = req.method ?? "";
    const view = viewOfRequest(req);
    const wanted = path === "/availability" ? "POST" : "GET";
    if (method !== wanted) {
      throw new OctoErrorBody(405, "METHOD_NOT_ALLOWED", `${method} is not allowed here; use ${wanted}`);
    }
    if (path === "/bookings") {
      const query = new URL(req.url ?? "/", "http://mock").searchParams;
      const matches = bookingFilter(query);
      return counted("bookings", `bookings?${query}`, () =>
        [...store.bookings(view).values()].filter(matches),
      );
    }
    if (path === "/products")
      return counted("products", "products", () => [...store.products(view).values()]);
    const one = /^\/(bookings|products|orders?)\/([^/]+)$/.exec(path);
    if (one !== null) {
      const kind = one[1] === "order" ? "orders" : (one[1] as "bookings" | "products" | "orders");
      const id = decodeSegment(
        one[2] as string,
        kind === "bookings" ? "booking uuid" : `${kind.slice(0, -1)} id`,
      );
      return counted(kind, `${kind}/${id}`, () => {
        if (kind === "bookings") {
          return store.booking(id, view) ?? fail(notFound("INVALID_BOOKING_UUID", "booking", "uuid", id));
        }
        if (kind === "orders") {
          return store.order(id, view) ?? fail(notFound("INVALID_ORDER_ID", "order", "orderId", id));
        }
        return store.product(id, view) ?? fail(notFound("INVALID_PRODUCT_ID", "product", "productId", id));
      });
    }
    const body = await readJsonBody(req);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw badRequest("the body must be a JSON object");
    }
    const query = body as Record<string, unknown>;
    if (typeof query.productId !== "string" || query.productId === "")
      throw badRequest("productId is required");
    const productId = query.productId;
    const from = dateOf(query.localDateStart, "localDateStart");
    const to = dateOf(query.localDateEnd, "localDateEnd");
    const optionId = typeof query.optionId === "string" ? query.optionId : undefined;
    const key = `availability/${productId}/${optionId ?? "*"}/${from}/${to}`;
    return counted("availability", key, () => {
      if (store.slots(productId, undefined, view).length === 0 && !store.hasProduct(productId)) {
        throw notFound("INVALID_PRODUCT_ID", "product", "productId", productId);
      }
      return store.slots(productId, optionId, view).filter((slot) => {
        const day = (slot.localDateTimeStart ?? "").slice(0, 10);
        return day >= from && day <= to;
      });
    });
  }

  return {
    read,
    /** Whether `path` (without the base path) is one of the read API's. */
    isReadPath: (path: string) => READ_PATH.test(path),
    stats: () => structuredClone(stats),
    configure(next: Partial<MockReadSettings>) {
      checkSettings(next);
      if (next.failureRate !== undefined) settings.failureRate = next.failureRate;
      if (next.latencyMs !== undefined) settings.latencyMs = next.latencyMs;
    },
    /** Starts counting again from zero (reads in flight are no longer counted). */
    reset() {
      stats = emptyStats();
      inFlight.clear();
    },
  };
}

/** The read API of a mock supplier (see {@link createResources}). */
export type MockResources = ReturnType<typeof createResources>;

const fail = (error: OctoErrorBody): never => {
  throw error;
};

/**
 * The filter of `GET /bookings`: OCTO asks for `resellerReference`, `supplierReference`, `localDate`, or
 * `localDateStart` and `localDateEnd` (dates of the booking's availability, both included); `productId`
 * and `optionId` narrow it. A `400` answer when none of the first four is given, or a date is not one.
 */
function bookingFilter(query: URLSearchParams): (booking: Booking) => boolean {
  const text = (name: string) => {
    const value = query.get(name);
    return value === null || value === "" ? undefined : value;
  };
  const reseller = text("resellerReference");
  const supplier = text("supplierReference");
  const productId = text("productId");
  const optionId = text("optionId");
  const day = text("localDate");
  let from = text("localDateStart");
  let to = text("localDateEnd");
  if (day !== undefined) {
    if (from !== undefined || to !== undefined) {
      throw badRequest("send localDate, or localDateStart and localDateEnd, not both");
    }
    from = to = day;
  }
  if ((from === undefined) !== (to === undefined)) {
    throw badRequest("localDateStart and localDateEnd go together");
  }
  if (reseller === undefined && supplier === undefined && from === undefined) {
    throw badRequest(
      "GET /bookings needs resellerReference, supplierReference, localDate, or localDateStart and localDateEnd",
    );
  }
  for (const [name, value] of [
    ["localDateStart", from],
    ["localDateEnd", to],
  ] as const) {
    if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      throw badRequest(`${day === undefined ? name : "localDate"} must be a date like 2026-12-05`);
    }
  }
  if (from !== undefined && to !== undefined && to < from) {
    throw badRequest("localDateEnd is before localDateStart");
  }
  return (booking) => {
    if (reseller !== undefined && booking.resellerReference !== reseller) return false;
    if (supplier !== undefined && booking.supplierReference !== supplier) return false;
    if (productId !== undefined && booking.productId !== productId) return false;
    if (optionId !== undefined && booking.optionId !== optionId) return false;
    if (from === undefined || to === undefined) return true;
    const date = booking.availability?.localDateTimeStart?.slice(0, 10);
    return date !== undefined && date >= from && date <= to;
  };
}
