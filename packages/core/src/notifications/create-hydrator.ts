// The `hydrate` option wrapped: one call per resource in flight (coalescing), no answer kept after it,
// and a timeout through the AbortSignal the user's function gets.
import { PACKAGE_PREFIX } from "../errors/codes.ts";
import { type OctoNotification, resourceKey } from "./notification.ts";

/**
 * What core calls to fetch the resource a thin notification names: a Booking for `BOOKING_UPDATE`, an
 * array of Availability slots for `AVAILABILITY_UPDATE`, a Product for `PRODUCT_UPDATE`. Resolve
 * `null` when the supplier answered that the resource does not exist (404): final, `onError` sees a
 * `RESOURCE_NOT_FOUND` and the answer is 200. Reject when it could not be fetched now: the answer is
 * 503 with `Retry-After`, so that the supplier retries. `client.hydrator()` of `@octo-webhooks/client`
 * is one.
 *
 * @example
 * ```ts
 * const hydrate: OctoHydrator = async (notification, { signal, supplier }) => {
 *   if (notification.type !== "BOOKING_UPDATE") return null;
 *   // the uuid comes from the body: encoded, so that `../../admin` stays one path segment
 *   const url = `${api(supplier)}/bookings/${encodeURIComponent(notification.data.uuid)}`;
 *   const response = await fetch(url, { signal });
 *   if (response.status === 404) return null;
 *   if (!response.ok) throw new Error(`the supplier answered ${response.status}`); // 503: retried
 *   return response.json();
 * };
 * ```
 */
export type OctoHydrator = (
  notification: OctoNotification,
  context: { signal: AbortSignal; supplier?: string | undefined },
) => Promise<unknown>;

/** The `hydrate` option: the function, or it with a timeout (`timeoutMs`, default 10 s). */
export type HydrateOption =
  | OctoHydrator
  | {
      fetch: OctoHydrator;
      /**
       * @deprecated No longer used: a notification is always answered by a read that started after it
       * arrived (a cached read could hold the state from before the change it announces). Still accepted.
       */
      cacheMs?: number;
      timeoutMs?: number;
    };

/** The default longest time a hydration may take before the delivery is answered 503. */
export const DEFAULT_HYDRATE_TIMEOUT_MS = 10_000;

/** Why a hydration did not resolve: its timeout passed (`timedOut`), or the function rejected (`cause`). */
export class HydrationFailure extends Error {
  constructor(
    readonly timedOut: boolean,
    options?: { cause?: unknown },
  ) {
    super(
      timedOut
        ? `${PACKAGE_PREFIX} the hydrator did not settle within hydrate.timeoutMs`
        : `${PACKAGE_PREFIX} the hydrator rejected`,
      options,
    );
    this.name = "HydrationFailure";
  }
}

/** A checked `hydrate` option: the function and the timeout. */
export interface HydrateSettings {
  fetch: OctoHydrator;
  timeoutMs: number;
}

/** The settings of a `hydrate` option; `fail` throws the `CONFIG_INVALID` of a bad one. */
export function resolveHydrate(
  option: HydrateOption | undefined,
  fail: (message: string) => never,
): HydrateSettings | undefined {
  if (option === undefined) return undefined;
  const given = typeof option === "function" ? { fetch: option } : option;
  if (typeof given !== "object" || given === null || typeof given.fetch !== "function") {
    fail(
      "`hydrate` must be a function (notification, { signal, supplier }) => resource, or { fetch, timeoutMs }",
    );
  }
  const timeoutMs = given.timeoutMs ?? DEFAULT_HYDRATE_TIMEOUT_MS;
  const cacheMs = given.cacheMs ?? 0; // checked so that a typo still says so; unused (see HydrateOption)
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0))
    fail("`hydrate.timeoutMs` must be a positive number");
  if (typeof cacheMs !== "number" || !(cacheMs >= 0))
    fail("`hydrate.cacheMs` must be a number of milliseconds, 0 or more");
  return { fetch: given.fetch, timeoutMs };
}

/** The `hydrate` option wrapped: the resource a notification names (`null`: the supplier has none). */
export type Hydrator = (notification: OctoNotification, supplier: string | undefined) => Promise<unknown>;

/**
 * The hydrator of a receiver. Calls for the same resource (type, identifiers and supplier) share one
 * call: those made before it starts join it; one made while it is in flight waits for the next call,
 * which starts once it settles and which every later one joins (a call that started before a
 * notification arrived may have read the resource before the change it announces). So at most one call
 * per resource is in flight, and no answer is kept after it (not even "not found"): a notification is
 * never answered by a read that started before it arrived. Rejects with
 * `HydrationFailure` (the function rejected or threw, or `timeoutMs` passed, which aborts its signal).
 */
export function createHydrator({ fetch, timeoutMs }: HydrateSettings): Hydrator {
  // per resource: the call in flight, and the one waiting to start after it
  const calls = new Map<
    string,
    { inFlight?: Promise<unknown> | undefined; waiting?: Promise<unknown> | undefined }
  >();
  const ignore = () => undefined;

  const call = (notification: OctoNotification, supplier: string | undefined): Promise<unknown> => {
    const controller = new AbortController();
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new HydrationFailure(true));
        controller.abort(new HydrationFailure(true));
      }, timeoutMs);
      const settle = (fn: () => void) => {
        clearTimeout(timer);
        fn();
      };
      try {
        const { signal } = controller;
        Promise.resolve(fetch(notification, supplier === undefined ? { signal } : { signal, supplier })).then(
          (value) => settle(() => resolve(value === undefined ? null : value)),
          (error: unknown) => settle(() => reject(new HydrationFailure(false, { cause: error }))),
        );
      } catch (error) {
        settle(() => reject(new HydrationFailure(false, { cause: error })));
      }
    });
  };

  return (notification, supplier) => {
    const key = resourceKey(notification, supplier);
    const resource = calls.get(key) ?? {};
    calls.set(key, resource);
    if (resource.waiting !== undefined) return resource.waiting;
    const waiting = (resource.inFlight ?? Promise.resolve()).then(ignore, ignore).then(() => {
      resource.waiting = undefined;
      const started = call(notification, supplier);
      resource.inFlight = started;
      started.then(ignore, ignore).then(() => {
        if (resource.inFlight !== started) return;
        resource.inFlight = undefined;
        if (resource.waiting === undefined) calls.delete(key);
      });
      return started;
    });
    resource.waiting = waiting;
    return waiting;
  };
}
