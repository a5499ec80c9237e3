// The OCTO read calls: what hydration needs (`GET /bookings/{uuid}`, `POST /availability`,
// `GET /products/{id}`) and what reconciliation lists (`GET /bookings` by travel dates, `GET /orders/{id}`,
// `GET /products`); typed with core's types, with the client's errors, retries, size limits and redaction.
import type { Availability, Booking, Order, Product } from "@octo-webhooks/core";
import { configError, invalidResponse } from "../errors.ts";
import { type HttpSettings, MAX_BODY_BYTES, send } from "../http/send.ts";

/** The longest booking or product read (an availability range may take up to `MAX_BODY_BYTES`, 16 MiB). */
export const MAX_RESOURCE_BYTES = 4 * 1024 * 1024;

/** The longest identifier put in a path: real ones are uuids and short ids (core refuses longer ones too). */
export const MAX_ID_LENGTH = 256;

/** What `client.availability.check` takes (the fields of `POST /availability`). */
export interface AvailabilityQuery {
  productId: string;
  optionId?: string | undefined;
  /** `YYYY-MM-DD`. */
  localDateStart: string;
  /** `YYYY-MM-DD`. */
  localDateEnd: string;
  /** Other fields the supplier takes (`units`, `availabilityIds`...), sent as they are. */
  [field: string]: unknown;
}

/**
 * What `client.bookings.list` takes (the query of `GET /bookings`): at least one of `resellerReference`,
 * `supplierReference`, `localDate`, or `localDateStart` with `localDateEnd`, as the OCTO specification
 * requires; `productId` and `optionId` narrow it.
 */
export interface BookingsQuery {
  /** `YYYY-MM-DD`: bookings travelling from this date... */
  localDateStart?: string | undefined;
  /** `YYYY-MM-DD`: ...to this one, inclusive. */
  localDateEnd?: string | undefined;
  /** `YYYY-MM-DD`: bookings travelling on this date. */
  localDate?: string | undefined;
  resellerReference?: string | undefined;
  supplierReference?: string | undefined;
  productId?: string | undefined;
  optionId?: string | undefined;
}

/** Options of a read call. */
export interface ReadOptions {
  /** Cancels the request (and its retries). */
  signal?: AbortSignal | undefined;
}

/** `client.bookings`. */
export interface OctoBookingsApi {
  /** `GET /bookings/{uuid}`: the booking in its current state. */
  get(uuid: string, options?: ReadOptions): Promise<Booking>;
  /**
   * `GET /bookings?localDateStart=&localDateEnd=...`: the bookings this reseller made that match the
   * query (one page: ask for a few days at a time; a page over 16 MiB is `RESPONSE_TOO_LARGE`).
   */
  list(query: BookingsQuery, options?: ReadOptions): Promise<Booking[]>;
}

/** `client.orders` (the `octo/cart` capability, sent with these calls). */
export interface OctoOrdersApi {
  /** `GET /orders/{id}`: the order with its bookings, in its current state. */
  get(id: string, options?: ReadOptions): Promise<Order>;
}

/** `client.availability`. */
export interface OctoAvailabilityApi {
  /** `POST /availability`: the availability of a product's option between two dates (a list). */
  check(query: AvailabilityQuery, options?: ReadOptions): Promise<Availability[]>;
}

/** `client.products`. */
export interface OctoProductsApi {
  /** `GET /products/{id}`. */
  get(id: string, options?: ReadOptions): Promise<Product>;
  /** `GET /products`: every product the supplier sells this reseller. */
  list(options?: ReadOptions): Promise<Product[]>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function segment(value: unknown, name: string): string {
  if (typeof value !== "string" || value === "" || value === "." || value === "..") {
    configError(`\`${name}\` must be a non-empty string (not "." or "..")`);
  }
  if (value.length > MAX_ID_LENGTH) configError(`\`${name}\` is longer than ${MAX_ID_LENGTH} characters`);
  return encodeURIComponent(value);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const QUERY_FIELDS = [
  "localDateStart",
  "localDateEnd",
  "localDate",
  "resellerReference",
  "supplierReference",
  "productId",
  "optionId",
] as const;

/** The query string of `GET /bookings`, checked: a filter the specification requires, dates that are dates. */
function bookingsQuery(query: BookingsQuery): string {
  if (!isRecord(query)) configError("`bookings.list` takes { localDateStart, localDateEnd, ... }");
  const params = new URLSearchParams();
  for (const key of QUERY_FIELDS) {
    const value = query[key];
    if (value === undefined) continue;
    if (typeof value !== "string" || value === "" || value.length > MAX_ID_LENGTH) {
      configError(`\`${key}\` must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
    }
    if (key.startsWith("localDate") && !DATE.test(value))
      configError(`\`${key}\` must be a date like 2026-12-01`);
    params.set(key, value);
  }
  if ((query.localDateStart === undefined) !== (query.localDateEnd === undefined)) {
    configError("`localDateStart` and `localDateEnd` go together");
  }
  if (!["resellerReference", "supplierReference", "localDate", "localDateStart"].some((k) => params.has(k))) {
    configError(
      "`bookings.list` needs `localDateStart` and `localDateEnd`, `localDate`, `resellerReference` or `supplierReference`",
    );
  }
  return params.toString();
}

/** The read APIs over `settings`; `cart`: the settings of the `octo/cart` calls (orders). */
export function readCalls(
  settings: HttpSettings,
  cart: HttpSettings = settings,
): {
  bookings: OctoBookingsApi;
  orders: OctoOrdersApi;
  availability: OctoAvailabilityApi;
  products: OctoProductsApi;
} {
  return {
    bookings: {
      async get(uuid, options) {
        const path = `bookings/${segment(uuid, "uuid")}`;
        const { body } = await send(settings, "GET", path, undefined, options?.signal, MAX_RESOURCE_BYTES);
        if (!isRecord(body) || typeof body.uuid !== "string")
          invalidResponse("GET /bookings/:uuid", "a booking");
        return body as unknown as Booking;
      },
      async list(query, options) {
        const path = `bookings?${bookingsQuery(query)}`;
        const { body } = await send(settings, "GET", path, undefined, options?.signal, MAX_BODY_BYTES);
        if (!Array.isArray(body) || !body.every(isRecord))
          invalidResponse("GET /bookings", "a list of bookings");
        return body as unknown as Booking[];
      },
    },
    orders: {
      async get(id, options) {
        const path = `orders/${segment(id, "orderId")}`;
        // an order holds its bookings: it may take what a list does
        const { body } = await send(cart, "GET", path, undefined, options?.signal, MAX_BODY_BYTES);
        if (!isRecord(body) || typeof body.id !== "string") invalidResponse("GET /orders/:id", "an order");
        return body as unknown as Order;
      },
    },
    availability: {
      async check(query, options) {
        if (!isRecord(query))
          configError("`availability.check` takes { productId, optionId?, localDateStart, localDateEnd }");
        segment(query.productId, "productId");
        if (query.optionId !== undefined) segment(query.optionId, "optionId");
        for (const key of ["localDateStart", "localDateEnd"] as const) {
          if (typeof query[key] !== "string" || !DATE.test(query[key])) {
            configError(`\`${key}\` must be a date like 2026-12-01`);
          }
        }
        const sent = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
        const { body } = await send(settings, "POST", "availability", sent, options?.signal, MAX_BODY_BYTES);
        if (!Array.isArray(body) || !body.every(isRecord))
          invalidResponse("POST /availability", "a list of availabilities");
        return body as unknown as Availability[];
      },
    },
    products: {
      async get(id, options) {
        const path = `products/${segment(id, "productId")}`;
        const { body } = await send(settings, "GET", path, undefined, options?.signal, MAX_RESOURCE_BYTES);
        if (!isRecord(body) || typeof body.id !== "string") invalidResponse("GET /products/:id", "a product");
        return body as unknown as Product;
      },
      async list(options) {
        const { body } = await send(settings, "GET", "products", undefined, options?.signal, MAX_BODY_BYTES);
        if (!Array.isArray(body) || !body.every(isRecord))
          invalidResponse("GET /products", "a list of products");
        return body as unknown as Product[];
      },
    },
  };
}
