import type { Availability, AvailabilityUpdateEvent } from "@octo-webhooks/core";
import {
  type FactoryOptions,
  hasPricing,
  MINUTE,
  pricing,
  productOf,
  supplierOf,
  utc,
  webhookEcho,
} from "./shared.ts";

/** An availability status: the OCTO ones autocomplete; any string is accepted. */
export type AvailabilityStatus = NonNullable<Availability["status"]>;

/** Options of {@link availabilityUpdate}; every one has a default. */
export interface AvailabilityUpdateOptions extends FactoryOptions {
  /**
   * The slot's status. Default: derived from `vacancies` when given (0 -> SOLD_OUT, a fifth of the
   * capacity or less -> LIMITED), else AVAILABLE.
   */
  status?: AvailabilityStatus;
  /** Seats left (default by status: 12 AVAILABLE, 3 LIMITED, 0 SOLD_OUT/CLOSED, null FREESALE). */
  vacancies?: number | null;
  /** Seats in total (default 24; null for FREESALE). */
  capacity?: number | null;
  /** Default: the product of the seed (the same as `bookingUpdate` of the same seed). */
  productId?: string;
  /** Default: the option of the seed's product. */
  optionId?: string;
  /**
   * Where `productId`/`optionId` go: `"top"` (default, as in Ventrata's spec) or `"availability"`
   * (inside it, as in the capability document's example). Receivers must accept both.
   */
  idsIn?: "top" | "availability";
  /** Availability fields to override, applied last (shallow). */
  availability?: Partial<Availability>;
}

const CAPACITY = 24;

function statusFor(options: AvailabilityUpdateOptions): AvailabilityStatus {
  if (options.status !== undefined) return options.status;
  const { vacancies } = options;
  if (vacancies === undefined) return "AVAILABLE";
  if (vacancies === null) return "FREESALE";
  if (vacancies <= 0) return "SOLD_OUT";
  return vacancies <= (options.capacity ?? CAPACITY) / 5 ? "LIMITED" : "AVAILABLE";
}

const DEFAULT_VACANCIES: Record<string, number | null> = {
  AVAILABLE: 12,
  LIMITED: 3,
  SOLD_OUT: 0,
  CLOSED: 0,
  FREESALE: null,
};

/**
 * A realistic `availability_update` body, valid against OCTO's strict schema
 * (`strictSchemas.AvailabilityUpdate`) and the same for the same options.
 *
 * @example
 * ```ts
 * import { availabilityUpdate } from "@octo-webhooks/testing";
 *
 * const body = availabilityUpdate({ vacancies: 0 }); // status SOLD_OUT, available false
 * await webhooks.receive(body);
 * ```
 */
export function availabilityUpdate(options: AvailabilityUpdateOptions = {}): AvailabilityUpdateEvent {
  const product = productOf(options);
  const status = statusFor(options);
  const freesale = status === "FREESALE";
  const vacancies =
    options.vacancies !== undefined
      ? options.vacancies
      : status in DEFAULT_VACANCIES
        ? (DEFAULT_VACANCIES[status] as number | null)
        : 12;
  const capacity = options.capacity !== undefined ? options.capacity : freesale ? null : CAPACITY;
  const productId = options.productId ?? product.productId;
  const optionId = options.optionId ?? product.optionId;
  const inside = options.idsIn === "availability";

  const availability: Availability = {
    ...product.slot,
    utcCutoffAt: utc(new Date(product.start.getTime() - 60 * MINUTE)),
    available: !(status === "SOLD_OUT" || status === "CLOSED"),
    status,
    vacancies,
    capacity,
    maxUnits: capacity,
    ...(inside ? { productId, optionId } : {}),
    ...(hasPricing(options)
      ? {
          unitPricing: [
            { unitId: "adult", ...pricing(4500) },
            { unitId: "child", ...pricing(2500) },
          ],
        }
      : {}),
    ...options.availability,
  };
  const body: Record<string, unknown> = {
    webhook: webhookEcho("availability_update", options),
    availability,
  };
  if (!inside) Object.assign(body, { productId, optionId });
  const supplier = supplierOf(options);
  if (supplier !== undefined) body.supplier = supplier;
  return body as AvailabilityUpdateEvent;
}
