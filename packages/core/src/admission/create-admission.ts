// The admit step: whether a parsed delivery's handlers run: its claim (`dedupe`) and its freshness (`staleGuard`),
// both kept in the user's DeliveryStore, and the end of the claim once the handlers are done.

import { PACKAGE_PREFIX, shown } from "../errors/codes.ts";
import { OctoRequestError } from "../errors/errors.ts";
import { deliveryKey } from "../events/delivery-key.ts";
import { isModelled, OCTO_EVENTS } from "../events/event-table.ts";
import { type ParsedDelivery, toPayload } from "../events/parse-delivery.ts";
import { parseInstant } from "../events/parse-instant.ts";
import { fromSupplier, logFields } from "../log/log-fields.ts";
import type { Logger } from "../log/logger.ts";
import { LISTS } from "../receiver/handler-registry.ts";
import type { DeliveryStore, ResourceState } from "./delivery-store.ts";

/** Duplicate suppression, when on: where claims are kept, how long a processed key is, how long a claim is. */
export interface DedupeSettings {
  store: DeliveryStore;
  ttlMs: number;
  leaseMs: number;
}

/** The stale-update guard, when on: where the newest `utcUpdatedAt` of each booking is kept, and how long. */
export interface StaleGuardSettings {
  store: DeliveryStore;
  ttlMs: number;
  /** How far ahead of this clock a `utcUpdatedAt` may be and still order updates. */
  maxFutureSkewMs: number;
}

/**
 * What admission decided: run the handlers, or skip them for a duplicate, a stale update, or a resource
 * identical to the one last applied (`"unchanged"`: same `utcUpdatedAt`, same content).
 */
export type Admission = "run" | "duplicate" | "stale" | "unchanged";

/** How a claim ends: `"complete"` (the delivery must not run again) or `"release"` (the retry must run). */
export type ClaimEnd = "complete" | "release";

/** Admission of the deliveries of one receiver. */
export interface DeliveryAdmission {
  /**
   * Claims the delivery's key (`dedupe`) and checks its `utcUpdatedAt` (`staleGuard`). Throws
   * `OctoRequestError`: 409 for a duplicate still in progress, 503 when the store fails.
   */
  admit(delivery: ParsedDelivery): Promise<Admission>;
  /**
   * Ends an admitted delivery: its claim (`dedupe`) and, after a failure (`"release"`), the state the
   * stale guard recorded for it, so that the retry runs. A store failure is logged.
   */
  endClaim(delivery: ParsedDelivery, end: ClaimEnd): Promise<void>;
  /** The status the stale guard last applied for the resource of an admitted delivery, when known. */
  previousStatus(delivery: ParsedDelivery): string | undefined;
}

/** A store key of a delivery: its own key, behind its supplier's id when it has one (ids hold no `/`). */
export const inStore = (key: string, supplier: string | undefined) =>
  supplier === undefined ? key : `supplier/${supplier}/${key}`;

const MAX_INSTANT = 8.64e15; // the largest a Date can hold
const toIso = (instant: number) => new Date(instant).toISOString();

/** The longest identifier kept as it is in a store key; longer ones are hashed (a 1 MB uuid cost 1 MB per key). */
export const MAX_KEY_ID_LENGTH = 200;
/** `prefix` and `id` as a store key of at most `MAX_KEY_ID_LENGTH` + 24 characters. */
export const storeKey = (prefix: string, id: string) =>
  id.length <= MAX_KEY_ID_LENGTH ? `${prefix}:${id}` : `${prefix}-hash:${deliveryKey(id)}`;

/** A token unique to one claim, so that only its run can end it. */
const claimToken = (): string => globalThis.crypto.randomUUID();

/**
 * The admission of `settings` (`undefined` when neither `dedupe` nor `staleGuard` is on, so that
 * every delivery runs). `runHooks` runs the `onDuplicate` and `onStale` hooks.
 */
export function createAdmission(
  {
    dedupe,
    staleGuard,
    logger,
  }: { dedupe: DedupeSettings | undefined; staleGuard: StaleGuardSettings | undefined; logger: Logger },
  runHooks: (name: string, ...args: unknown[]) => Promise<void>,
): DeliveryAdmission | undefined {
  if (dedupe === undefined && staleGuard === undefined) return undefined;

  const storeFailed = (what: string, error: unknown, delivery: ParsedDelivery) => {
    logger.error?.(
      `${PACKAGE_PREFIX} the delivery store failed (${what}); answered 503 so that the sender retries`,
      logFields(delivery, { status: 503, code: "STORE_UNAVAILABLE", error }),
    );
    return new OctoRequestError("STORE_UNAVAILABLE", "the delivery could not be processed now; retry later", {
      cause: error,
    });
  };

  // the token of each admitted delivery's claim, until its end
  const tokens = new WeakMap<ParsedDelivery, string>();
  // what the stale guard recorded for each admitted delivery, and what it replaced, until its end
  const recorded = new WeakMap<
    ParsedDelivery,
    { key: string; ours: ResourceState; previous: ResourceState | undefined }
  >();

  const endClaim = async (delivery: ParsedDelivery, end: ClaimEnd) => {
    const state = recorded.get(delivery);
    if (state !== undefined) {
      recorded.delete(delivery);
      if (end === "release") await restore(delivery, state);
    }
    if (dedupe === undefined) return;
    const token = tokens.get(delivery);
    tokens.delete(delivery);
    const key = claimKey(delivery);
    try {
      if (end === "complete") await dedupe.store.complete(key, dedupe.ttlMs, token);
      else await dedupe.store.release(key, token);
    } catch (error) {
      logger.error?.(
        `${PACKAGE_PREFIX} the delivery store failed to ${end} a claim; ` +
          (end === "complete"
            ? "a duplicate may get 409 until the lease ends"
            : "the retry may get 409 until the lease ends"),
        logFields(delivery, { error }),
      );
    }
  };

  const claimKey = ({ context }: ParsedDelivery) =>
    inStore(
      context.deliveryKey.length <= MAX_KEY_ID_LENGTH
        ? context.deliveryKey
        : storeKey("key", context.deliveryKey),
      context.supplier,
    );

  /** Claims the key; `"duplicate"` when it was claimed before (after `onDuplicate`). */
  const claim = async (delivery: ParsedDelivery, settings: NonNullable<typeof dedupe>) => {
    const { context } = delivery;
    const event = shown(delivery.event);
    let state: Awaited<ReturnType<typeof settings.store.claim>>;
    const token = claimToken();
    try {
      state = await settings.store.claim(claimKey(delivery), settings.leaseMs, token, {
        payload: toPayload(delivery),
        context,
      });
    } catch (error) {
      throw storeFailed("claim", error, delivery);
    }
    if (state === "claimed") {
      tokens.set(delivery, token);
      return "run";
    }
    // a hydrated notification's twin (the same resource, fetched for another notification) is running:
    // its own notification is answered 500 and retried if it fails, so this one can be acknowledged
    const twin = state === "processing" && context.notification !== undefined;
    if (twin) {
      logger.info?.(
        `${PACKAGE_PREFIX} the same ${event}${fromSupplier(context.supplier)} hydrated for another notification is being processed: answered 200, not dispatched`,
      );
    } else if (state === "processing") {
      logger.warn?.(
        `${PACKAGE_PREFIX} a duplicate ${event}${fromSupplier(context.supplier)} arrived while the original was still being processed ` +
          "(the sender probably timed out); answered 409 so that it retries later. Slow handlers? See `ackFirst`.",
        logFields(delivery, { status: 409, code: "DELIVERY_IN_PROGRESS" }),
      );
    } else {
      logger.info?.(
        `${PACKAGE_PREFIX} duplicate ${event} ${context.deliveryKey}${fromSupplier(context.supplier)}: answered 200, not dispatched`,
        logFields(delivery, { status: 200 }),
      );
    }
    await runHooks(LISTS.duplicate, toPayload(delivery), context.with({ state }));
    if (state === "processing" && !twin) {
      throw new OctoRequestError(
        "DELIVERY_IN_PROGRESS",
        "this delivery is already being processed; retry later",
      );
    }
    return "duplicate";
  };

  /**
   * Records the resource's `utcUpdatedAt` (booking, order or product); `"stale"` when a newer one was
   * processed for the same resource (after `onStale`).
   */
  const checkFreshness = async (
    delivery: ParsedDelivery,
    settings: NonNullable<typeof staleGuard>,
    [resource, , idKey]: readonly [string, string, string],
  ) => {
    const { body, context, event } = delivery;
    const target = body[resource] as Record<string, unknown>; // validated: an object with a string id
    const instant = parseInstant(target.utcUpdatedAt);
    if (instant === undefined) {
      if (typeof target.utcUpdatedAt === "string") {
        logger.debug?.(
          `${PACKAGE_PREFIX} unreadable utcUpdatedAt; the stale guard let the delivery through`,
          logFields(delivery),
        );
      }
      return checkContent(delivery, settings, resource, target, String(target[idKey]));
    }
    // an instant past the allowed skew is not trusted for ordering: recorded, it would make every
    // later real update (a CANCELLED included) stale
    const latest = Date.now() + settings.maxFutureSkewMs;
    if (instant > latest) {
      logger.warn?.(
        `${PACKAGE_PREFIX} ${event} with utcUpdatedAt ${toIso(instant)}, more than staleGuard.maxFutureSkewMs ahead of this clock: ` +
          "dispatched, not used for ordering",
        logFields(delivery),
      );
      return "run";
    }
    let newest: number | undefined;
    let previous: ResourceState | undefined;
    const key = inStore(storeKey(resource, String(target[idKey])), context.supplier);
    const { store } = settings;
    const ours: ResourceState | undefined =
      store.recordState === undefined
        ? undefined
        : {
            instant,
            hash: deliveryKey(target),
            status: typeof target.status === "string" ? target.status : undefined,
            // kept for listing back; an id too long to read back by is not kept
            id: String(target[idKey]).length <= 1000 ? String(target[idKey]) : undefined,
          };
    try {
      // a store may answer with a string (Redis); anything that is not an instant means "none known",
      // and so does an instant in the future that an older version stored
      if (ours !== undefined) previous = normalise(await store.recordState?.(key, ours, settings.ttlMs));
      const answer = Number(
        ours === undefined ? await store.recordNewest(key, instant, settings.ttlMs) : previous?.instant,
      );
      newest = answer > 0 && answer <= Math.min(latest, MAX_INSTANT) ? answer : undefined;
    } catch (error) {
      await endClaim(delivery, "release");
      throw storeFailed(ours === undefined ? "recordNewest" : "recordState", error, delivery);
    }
    if (newest === undefined || instant > newest) {
      if (ours !== undefined) recorded.set(delivery, { key, ours, previous });
      return "run";
    }
    if (instant === newest) {
      // the same instant: the same content was applied already, other content is news (second-resolution clocks)
      if (ours === undefined || previous?.hash === undefined || previous.hash !== ours.hash) {
        if (ours !== undefined) recorded.set(delivery, { key, ours, previous });
        return "run";
      }
      await endClaim(delivery, "complete");
      logger.info?.(
        `${PACKAGE_PREFIX} unchanged ${event}${fromSupplier(context.supplier)} (the same utcUpdatedAt and content as the one applied): answered 200, not dispatched`,
        logFields(delivery, { status: 200 }),
      );
      return "unchanged";
    }
    await endClaim(delivery, "complete");
    logger.info?.(
      `${PACKAGE_PREFIX} stale ${event}${fromSupplier(context.supplier)} (utcUpdatedAt ${toIso(instant)} < ${toIso(newest)}): answered 200, not dispatched`,
      logFields(delivery, { status: 200 }),
    );
    await runHooks(
      LISTS.stale,
      body,
      context.with({ updatedAt: toIso(instant), newestUpdatedAt: toIso(newest) }),
    );
    return "stale";
  };

  /**
   * A resource without a readable `utcUpdatedAt` (most products): never stale, but one identical to the
   * one last applied without an instant (instant 0, content only) is `"unchanged"`.
   */
  async function checkContent(
    delivery: ParsedDelivery,
    settings: NonNullable<typeof staleGuard>,
    resource: string,
    target: Record<string, unknown>,
    id: string,
  ): Promise<Admission> {
    const { store } = settings;
    if (store.recordState === undefined) return "run";
    const key = inStore(storeKey(resource, id), delivery.context.supplier);
    const status = typeof target.status === "string" ? target.status : undefined;
    const ours: ResourceState = {
      instant: 0,
      hash: deliveryKey(target),
      status,
      id: id.length <= 1000 ? id : undefined,
    };
    let previous: ResourceState | undefined;
    try {
      previous = normalise(await store.recordState(key, ours, settings.ttlMs), true);
    } catch (error) {
      await endClaim(delivery, "release");
      throw storeFailed("recordState", error, delivery);
    }
    if (previous === undefined || previous.instant === 0) {
      if (previous?.hash !== undefined && previous.hash === ours.hash) {
        await endClaim(delivery, "complete");
        logger.info?.(
          `${PACKAGE_PREFIX} unchanged ${shown(delivery.event)}${fromSupplier(delivery.context.supplier)} (the same content as the one applied): answered 200, not dispatched`,
          logFields(delivery, { status: 200 }),
        );
        return "unchanged";
      }
      recorded.set(delivery, { key, ours, previous });
    }
    return "run";
  }

  return {
    async admit(delivery) {
      if (dedupe !== undefined && (await claim(delivery, dedupe)) === "duplicate") return "duplicate";
      const row = isModelled(delivery.event) ? OCTO_EVENTS[delivery.event] : undefined;
      if (staleGuard !== undefined && row?.[2] !== undefined) {
        return checkFreshness(delivery, staleGuard, row as readonly [string, string, string]);
      }
      return "run";
    },
    endClaim,
    previousStatus: (delivery) => recorded.get(delivery)?.previous?.status,
  };

  /** Puts back what the stale guard replaced for a delivery whose handlers failed. */
  async function restore(
    delivery: ParsedDelivery,
    { key, ours, previous }: { key: string; ours: ResourceState; previous?: ResourceState | undefined },
  ) {
    try {
      await staleGuard?.store.restoreState?.(key, ours, previous, staleGuard.ttlMs);
    } catch (error) {
      logger.error?.(
        `${PACKAGE_PREFIX} the delivery store failed to restore a resource's state after a failure; its retry may be answered unchanged`,
        logFields(delivery, { error }),
      );
    }
  }
}

/**
 * A store's answer as a state (a Redis store answers text): `undefined` unless it has an instant (or,
 * with `contentOnly`, the instant 0 of a resource kept without one).
 */
function normalise(state: unknown, contentOnly = false): ResourceState | undefined {
  if (typeof state !== "object" || state === null) return undefined;
  const { instant, hash, status, id } = state as Record<string, unknown>;
  const at = Number(instant);
  if (!(at > 0 || (contentOnly && at === 0))) return undefined;
  return {
    instant: at,
    hash: typeof hash === "string" ? hash : undefined,
    status: typeof status === "string" ? status : undefined,
    id: typeof id === "string" ? id : undefined,
  };
}
