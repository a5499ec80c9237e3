import type { Supplier, Webhook } from "@octo-webhooks/core";
import { createRandom, type Seed } from "./random.ts";

/** Options every factory takes. */
export interface FactoryOptions {
  /** The same seed gives the same ids (default `1`); a booking and an availability of one seed share a product. */
  seed?: Seed;
  /** When the booking was made (default `2026-11-20T09:15:00Z`); every other time is derived from it. */
  createdAt?: string | Date;
  /** Capabilities the webhook was created with: `octo/pricing` adds `pricing` fields. */
  capabilities?: readonly string[];
  /** Fields of the `webhook` echo to override (the mock supplier puts its registered webhook here). */
  webhook?: Partial<Webhook>;
  /** Fields of the `supplier` object to override, or `null` to leave it out. */
  supplier?: Partial<Supplier> | null;
}

export const DEFAULT_CREATED_AT = "2026-11-20T09:15:00Z";
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** ISO 8601 UTC without milliseconds, the form OCTO's strict schema specifies. */
export const utc = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** A local time as suppliers send it (`2026-12-05T10:00:00+00:00`); the mock supplier sits on UTC. */
export const local = (date: Date) => utc(date).replace(/Z$/, "+00:00");

export function createdAtOf(options: FactoryOptions): Date {
  const date = new Date(options.createdAt ?? DEFAULT_CREATED_AT);
  if (Number.isNaN(date.getTime())) {
    throw new TypeError("[@octo-webhooks/testing] `createdAt` must be a date or an ISO 8601 string");
  }
  return date;
}

/** The product and its slot, shared by the booking and availability factories of one seed. */
export function productOf(options: FactoryOptions) {
  const random = createRandom(`${options.seed ?? 1}:product`);
  const createdAt = createdAtOf(options);
  const day = new Date(Math.floor(createdAt.getTime() / DAY) * DAY + 15 * DAY);
  const start = new Date(day.getTime() + 10 * 60 * MINUTE);
  return {
    productId: random.uuid(),
    optionId: "DEFAULT",
    start,
    end: new Date(start.getTime() + 2 * 60 * MINUTE),
    slot: {
      id: local(start),
      localDateTimeStart: local(start),
      localDateTimeEnd: local(new Date(start.getTime() + 2 * 60 * MINUTE)),
      allDay: false,
      openingHours: [],
    },
  };
}

export function hasPricing(options: FactoryOptions): boolean {
  return options.capabilities?.includes("octo/pricing") ?? false;
}

/** A price in minor units, as the `octo/pricing` capability sends it. */
export function pricing(retail: number) {
  const tax = Math.round(retail - retail / 1.2);
  return {
    original: retail,
    retail,
    net: null,
    currency: "EUR",
    currencyPrecision: 2,
    includedTaxes: [{ name: "VAT 20%", retail: tax, original: tax, net: null }],
  };
}

export function webhookEcho(event: string, options: FactoryOptions): Webhook {
  return {
    id: createRandom(`${options.seed ?? 1}:webhook:${event}`).uuid(),
    event,
    url: "https://reseller.example.test/webhooks/octo",
    retryOnError: true,
    useContactLanguage: false,
    headers: {},
    capabilities: [...(options.capabilities ?? [])],
    ...options.webhook,
  };
}

export function supplierOf(options: FactoryOptions): Supplier | undefined {
  if (options.supplier === null) return undefined;
  return {
    id: createRandom(`${options.seed ?? 1}:supplier`).uuid(),
    name: "Harbour Cruises Ltd",
    endpoint: "https://api.harbour-cruises.example.test/octo",
    contact: {
      website: "https://harbour-cruises.example.test",
      email: "ops@harbour-cruises.example.test",
      telephone: "+44 117 496 0000",
      address: "1 Quay Street, Bristol BS1 4DJ",
    },
    ...options.supplier,
  };
}
