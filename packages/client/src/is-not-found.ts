import { OctoApiError } from "./errors.ts";

/** The OCTO error codes that mean "no such resource" (suppliers answer them with 400 or 404). */
const NOT_FOUND_CODES = new Set(["INVALID_BOOKING_UUID", "INVALID_PRODUCT_ID", "INVALID_OPTION_ID"]);

/**
 * Whether an error of a read call means the resource does not exist (final), not "try again later":
 * a 404, or a 400 with `INVALID_BOOKING_UUID`, `INVALID_PRODUCT_ID` or `INVALID_OPTION_ID`.
 *
 * @example
 * ```ts
 * const booking = await client.bookings.get(uuid).catch((e) => (isNotFound(e) ? null : Promise.reject(e)));
 * ```
 */
export function isNotFound(error: unknown): boolean {
  return (
    error instanceof OctoApiError &&
    (error.status === 404 || (error.status === 400 && NOT_FOUND_CODES.has(error.code)))
  );
}
