// The few OCTO read calls hydration needs: `GET /bookings/{uuid}`, `POST /availability`,
// `GET /products/{id}`; typed with core's types, with the client's errors, retries and redaction.
import type { Availability, Booking, Product } from "@octo-webhooks/core";
import { configError, invalidResponse } from "../errors.ts";
import { type HttpSettings, send } from "../http/send.ts";

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

/** Options of a read call. */
export interface ReadOptions {
  /** Cancels the request (and its retries). */
  signal?: AbortSignal | undefined;
}

/** `client.bookings`. */
export interface OctoBookingsApi {
  /** `GET /bookings/{uuid}`: the booking in its current state. */
  get(uuid: string, options?: ReadOptions): Promise<Booking>;
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
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function segment(value: unknown, name: string): string {
  if (typeof value !== "string" || value === "" || value === "." || value === "..") {
    configError(`\`${name}\` must be a non-empty string (not "." or "..")`);
  }
  return encodeURIComponent(value);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The three read APIs over `settings`. */
export function readCalls(settings: HttpSettings): {
  bookings: OctoBookingsApi;
  availability: OctoAvailabilityApi;
  products: OctoProductsApi;
} {
  return {
    bookings: {
      async get(uuid, options) {
        const path = `bookings/${segment(uuid, "uuid")}`;
        const { body } = await send(settings, "GET", path, undefined, options?.signal);
        if (!isRecord(body) || typeof body.uuid !== "string")
          invalidResponse("GET /bookings/:uuid", "a booking");
        return body as unknown as Booking;
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
        const { body } = await send(settings, "POST", "availability", sent, options?.signal);
        if (!Array.isArray(body) || !body.every(isRecord))
          invalidResponse("POST /availability", "a list of availabilities");
        return body as unknown as Availability[];
      },
    },
    products: {
      async get(id, options) {
        const path = `products/${segment(id, "productId")}`;
        const { body } = await send(settings, "GET", path, undefined, options?.signal);
        if (!isRecord(body) || typeof body.id !== "string") invalidResponse("GET /products/:id", "a product");
        return body as unknown as Product;
      },
    },
  };
}
