// Whether a parsed delivery's handlers run: its claim (`dedupe`) and its freshness (`staleGuard`),
// both kept in the user's DeliveryStore, and the end of the claim once the handlers are done.
import { OctoRequestError, PACKAGE_PREFIX } from "./errors.ts";
import { LISTS } from "./handler-registry.ts";
import { type ParsedDelivery, toPayload } from "./parse-delivery.ts";
import { parseInstant } from "./parse-instant.ts";
import type { ReceiverSettings } from "./resolve-options.ts";

/** What admission decided: run the handlers, or skip them for a duplicate or a stale update. */
export type Admission = "run" | "duplicate" | "stale";

/** How a claim ends: `"complete"` (the delivery must not run again) or `"release"` (the retry must run). */
export type ClaimEnd = "complete" | "release";

/** Admission of the deliveries of one receiver. */
export interface DeliveryAdmission {
  /**
   * Claims the delivery's key (`dedupe`) and checks its `utcUpdatedAt` (`staleGuard`). Throws
   * `OctoRequestError`: 409 for a duplicate still in progress, 503 when the store fails.
   */
  admit(delivery: ParsedDelivery): Promise<Admission>;
  /** Ends the claim of an admitted delivery (nothing without `dedupe`); a store failure is logged. */
  endClaim(delivery: ParsedDelivery, end: ClaimEnd): Promise<void>;
}

/** A store key of a delivery: its own key, behind its supplier's id when it has one (ids hold no `/`). */
const inStore = (key: string, supplier: string | undefined) =>
  supplier === undefined ? key : `supplier/${supplier}/${key}`;

/** ` from supplier <id>` for a log line, or nothing. */
export const of = (supplier: string | undefined) =>
  supplier === undefined ? "" : ` from supplier ${supplier}`;

const MAX_INSTANT = 8.64e15; // the largest a Date can hold
const toIso = (instant: number) => new Date(instant).toISOString();

/**
 * The admission of `settings` (`undefined` when neither `dedupe` nor `staleGuard` is on, so that
 * every delivery runs). `runHooks` runs the `onDuplicate` and `onStale` hooks.
 */
export function createAdmission(
  { dedupe, staleGuard, logger }: Pick<ReceiverSettings<unknown>, "dedupe" | "staleGuard" | "logger">,
  runHooks: (name: string, ...args: unknown[]) => Promise<void>,
): DeliveryAdmission | undefined {
  if (dedupe === undefined && staleGuard === undefined) return undefined;

  const storeFailed = (what: string, error: unknown) => {
    logger.error?.(
      `${PACKAGE_PREFIX} the delivery store failed (${what}); answered 503 so that the sender retries`,
      error,
    );
    return new OctoRequestError("STORE_UNAVAILABLE", "the delivery could not be processed now; retry later", {
      cause: error,
    });
  };

  const endClaim = async ({ context }: ParsedDelivery, end: ClaimEnd) => {
    if (dedupe === undefined) return;
    try {
      const key = inStore(context.deliveryKey, context.supplier);
      if (end === "complete") await dedupe.store.complete(key, dedupe.ttlMs);
      else await dedupe.store.release(key);
    } catch (error) {
      logger.error?.(
        `${PACKAGE_PREFIX} the delivery store failed to ${end} a claim; ` +
          (end === "complete"
            ? "a duplicate may get 409 until the lease ends"
            : "the retry may get 409 until the lease ends"),
        error,
      );
    }
  };

  /** Claims the key; `"duplicate"` when it was claimed before (after `onDuplicate`). */
  const claim = async (delivery: ParsedDelivery, settings: NonNullable<typeof dedupe>) => {
    const { context, event } = delivery;
    let state: Awaited<ReturnType<typeof settings.store.claim>>;
    try {
      state = await settings.store.claim(inStore(context.deliveryKey, context.supplier), settings.leaseMs);
    } catch (error) {
      throw storeFailed("claim", error);
    }
    if (state === "claimed") return "run";
    if (state === "processing") {
      logger.warn?.(
        `${PACKAGE_PREFIX} a duplicate ${event}${of(context.supplier)} arrived while the original was still being processed ` +
          "(the sender probably timed out); answered 409 so that it retries later. Slow handlers? See `ackFirst`.",
      );
    } else {
      logger.info?.(
        `${PACKAGE_PREFIX} duplicate ${event} ${context.deliveryKey}${of(context.supplier)}: answered 200, not dispatched`,
      );
    }
    await runHooks(LISTS.duplicate, toPayload(delivery), context.with({ state }));
    if (state === "processing") {
      throw new OctoRequestError(
        "DELIVERY_IN_PROGRESS",
        "this delivery is already being processed; retry later",
      );
    }
    return "duplicate";
  };

  /** Records the booking's `utcUpdatedAt`; `"stale"` when a newer one was processed (after `onStale`). */
  const checkFreshness = async (delivery: ParsedDelivery, settings: NonNullable<typeof staleGuard>) => {
    const { body, context } = delivery;
    const booking = body.booking as { uuid: string; utcUpdatedAt?: unknown }; // validated
    const instant = parseInstant(booking.utcUpdatedAt);
    if (instant === undefined) {
      if (typeof booking.utcUpdatedAt === "string") {
        logger.debug?.(`${PACKAGE_PREFIX} unreadable utcUpdatedAt; the stale guard let the delivery through`);
      }
      return "run";
    }
    let newest: number | undefined;
    try {
      // a store may answer with a string (Redis); anything that is not an instant means "none known"
      const answer = Number(
        await settings.store.recordNewest(
          inStore(`booking:${booking.uuid}`, context.supplier),
          instant,
          settings.ttlMs,
        ),
      );
      newest = answer > 0 && answer < MAX_INSTANT ? answer : undefined;
    } catch (error) {
      await endClaim(delivery, "release");
      throw storeFailed("recordNewest", error);
    }
    if (newest === undefined || instant >= newest) return "run";
    await endClaim(delivery, "complete");
    logger.info?.(
      `${PACKAGE_PREFIX} stale booking_update${of(context.supplier)} (utcUpdatedAt ${toIso(instant)} < ${toIso(newest)}): answered 200, not dispatched`,
    );
    await runHooks(
      LISTS.stale,
      body,
      context.with({ updatedAt: toIso(instant), newestUpdatedAt: toIso(newest) }),
    );
    return "stale";
  };

  return {
    async admit(delivery) {
      if (dedupe !== undefined && (await claim(delivery, dedupe)) === "duplicate") return "duplicate";
      if (staleGuard !== undefined && delivery.event === "booking_update") {
        return checkFreshness(delivery, staleGuard);
      }
      return "run";
    },
    endClaim,
  };
}
