import type { IncomingMessage } from "node:http";
import type { Availability, Booking, Product } from "@octo-webhooks/core";
import { createRandom, type Seed } from "../factories/random.ts";
import { badRequest, decodeSegment, OctoErrorBody, readJsonBody } from "./octo-error-body.ts";

// The mock supplier's resources and the OCTO read API over them (`GET /bookings/{uuid}`,
// `POST /availability`, `GET /products/{id}`): what hydration of a thin notification reads. The
// simulation moves each booking forward as its life is delivered, so a read returns the current state.
// For tests: a fraction of reads can fail (503), reads can be slowed, and every read is counted.

/** Counts of the read API, for tests of hydration (coalescing, caching, retries). */
export interface MockReadStats {
  /** Read requests received, by kind (failed ones included). */
  requests: { bookings: number; availability: number; products: number };
  /** Reads answered 503 by `readFailureRate`. */
  failed: number;
  /** Reads being answered now. */
  inFlight: number;
  /** The most reads in flight at once. */
  maxInFlight: number;
  /** The most reads of one resource in flight at once (1: never two fetches of the same resource together). */
  maxInFlightSameResource: number;
  /** Per resource (`bookings/<uuid>`, `products/<id>`, `availability/<productId>/<optionId>/<from>/<to>`). */
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
  requests: { bookings: 0, availability: 0, products: 0 },
  failed: 0,
  inFlight: 0,
  maxInFlight: 0,
  maxInFlightSameResource: 0,
  byResource: {},
});

/** A booking's states in order and the index of the current one (it only moves forward). */
interface BookingTimeline {
  states: Booking[];
  at: number;
}

/** The resources of one mock supplier and its read API. */
export function createResources(seed: Seed, settings: MockReadSettings) {
  const bookings = new Map<string, BookingTimeline>();
  const products = new Map<string, Product>();
  const availability = new Map<string, Availability & { productId: string; optionId: string }>();
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

  /** `GET /bookings/{uuid}`, `POST /availability`, `GET /products/{id}`; `undefined` for another path. */
  async function read(req: IncomingMessage, path: string): Promise<unknown> {
    const method = req.method ?? "";
    const booking = /^\/bookings\/([^/]+)$/.exec(path);
    if (booking && method === "GET") {
      const uuid = decodeSegment(booking[1] as string, "booking uuid");
      return counted("bookings", `bookings/${uuid}`, () => {
        const timeline = bookings.get(uuid);
        if (timeline === undefined) {
          throw new OctoErrorBody(404, "INVALID_BOOKING_UUID", "no booking has this uuid", {
            uuid: uuid.slice(0, 100),
          });
        }
        return timeline.states[timeline.at];
      });
    }
    const product = /^\/products\/([^/]+)$/.exec(path);
    if (product && method === "GET") {
      const id = decodeSegment(product[1] as string, "product id");
      return counted("products", `products/${id}`, () => {
        const found = products.get(id);
        if (found === undefined) {
          throw new OctoErrorBody(404, "INVALID_PRODUCT_ID", "no product has this id", {
            productId: id.slice(0, 100),
          });
        }
        return found;
      });
    }
    if (path === "/availability" && method === "POST") {
      const body = await readJsonBody(req);
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw badRequest("the body must be a JSON object");
      }
      const query = body as Record<string, unknown>;
      if (typeof query.productId !== "string" || query.productId === "")
        throw badRequest("productId is required");
      const from = dateOf(query.localDateStart, "localDateStart");
      const to = dateOf(query.localDateEnd, "localDateEnd");
      const optionId = typeof query.optionId === "string" ? query.optionId : undefined;
      const key = `availability/${query.productId}/${optionId ?? "*"}/${from}/${to}`;
      return counted("availability", key, () => {
        const all = [...availability.values()].filter((a) => a.productId === query.productId);
        if (all.length === 0 && !products.has(query.productId as string)) {
          throw new OctoErrorBody(404, "INVALID_PRODUCT_ID", "no product has this id", {
            productId: (query.productId as string).slice(0, 100),
          });
        }
        return all
          .filter((a) => optionId === undefined || a.optionId === optionId)
          .filter((a) => {
            const day = (a.localDateTimeStart ?? "").slice(0, 10);
            return day >= from && day <= to;
          })
          .map(({ productId: _p, optionId: _o, ...slot }) => slot);
      });
    }
    return undefined;
  }

  return {
    read,
    isReadPath: (path: string) => /^\/(bookings|products)\/[^/]+$|^\/availability$/.test(path),
    /**
     * Records the next states of a booking (in order); a new booking starts at its first state. Returns
     * the index of the first of them, for `advanceBooking`.
     */
    addBooking(states: Booking[]): number {
      const uuid = states[0]?.uuid;
      if (uuid === undefined) return 0;
      const known = bookings.get(uuid);
      if (known === undefined) {
        bookings.set(uuid, { states: [...states], at: 0 });
        return 0;
      }
      const first = known.states.length;
      known.states.push(...states);
      return first;
    },
    /** Moves a booking to its state `index` (never back: a late reader sees the latest state). */
    advanceBooking(uuid: string, index: number) {
      const timeline = bookings.get(uuid);
      if (timeline !== undefined)
        timeline.at = Math.max(timeline.at, Math.min(index, timeline.states.length - 1));
    },
    setProduct(product: Product) {
      products.set(product.id, product);
    },
    hasProduct: (id: string) => products.has(id),
    setAvailability(productId: string, optionId: string, slot: Availability) {
      availability.set(`${productId}/${optionId}/${slot.id}`, { ...slot, productId, optionId });
    },
    /** Current bookings by uuid. */
    bookings(): Map<string, Booking> {
      return new Map([...bookings].map(([uuid, t]) => [uuid, t.states[t.at] as Booking]));
    },
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

/** The resources of a mock supplier (see {@link createResources}). */
export type MockResources = ReturnType<typeof createResources>;
