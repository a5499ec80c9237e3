// The `hydrate` option wrapped: one call per resource in flight (coalescing), an optional short cache,
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
 *   const response = await fetch(`${api(supplier)}/bookings/${notification.data.uuid}`, { signal });
 *   return response.status === 404 ? null : response.json();
 * };
 * ```
 */
export type OctoHydrator = (
  notification: OctoNotification,
  context: { signal: AbortSignal; supplier?: string | undefined },
) => Promise<unknown>;

/** The `hydrate` option: the function, or it with a cache (`cacheMs`, default none) and a timeout (`timeoutMs`, default 10 s). */
export type HydrateOption = OctoHydrator | { fetch: OctoHydrator; cacheMs?: number; timeoutMs?: number };

/** The default longest time a hydration may take before the delivery is answered 503. */
export const DEFAULT_HYDRATE_TIMEOUT_MS = 10_000;
/** The most resources the cache keeps (the oldest go first). */
const MAX_CACHED = 10_000;

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

/** A checked `hydrate` option: the function, the timeout, the cache time (0: no cache). */
export interface HydrateSettings {
  fetch: OctoHydrator;
  timeoutMs: number;
  cacheMs: number;
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
      "`hydrate` must be a function (notification, { signal, supplier }) => resource, or { fetch, cacheMs, timeoutMs }",
    );
  }
  const timeoutMs = given.timeoutMs ?? DEFAULT_HYDRATE_TIMEOUT_MS;
  const cacheMs = given.cacheMs ?? 0;
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0))
    fail("`hydrate.timeoutMs` must be a positive number");
  if (typeof cacheMs !== "number" || !(cacheMs >= 0))
    fail("`hydrate.cacheMs` must be a number of milliseconds, 0 or more");
  return { fetch: given.fetch, timeoutMs, cacheMs };
}

/** The `hydrate` option wrapped: the resource a notification names (`null`: the supplier has none). */
export type Hydrator = (notification: OctoNotification, supplier: string | undefined) => Promise<unknown>;

/**
 * The hydrator of a receiver. Calls for the same resource (type, identifiers and supplier) share one
 * call: those made before it starts join it; one made while it is in flight waits for the next call,
 * which starts once it settles and which every later one joins (a call that started before a
 * notification arrived may have read the resource before the change it announces). So at most one call
 * per resource is in flight. With `cacheMs`, a resolved answer is reused that long. Rejects with
 * `HydrationFailure` (the function rejected or threw, or `timeoutMs` passed, which aborts its signal).
 */
export function createHydrator({ fetch, timeoutMs, cacheMs }: HydrateSettings): Hydrator {
  // per resource: the call in flight, and the one waiting to start after it
  const calls = new Map<
    string,
    { inFlight?: Promise<unknown> | undefined; waiting?: Promise<unknown> | undefined }
  >();
  const cache = new Map<string, { value: unknown; until: number }>();
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
    if (cacheMs > 0) {
      const hit = cache.get(key);
      if (hit !== undefined && hit.until > Date.now()) return Promise.resolve(hit.value);
      if (hit !== undefined) cache.delete(key);
    }
    const resource = calls.get(key) ?? {};
    calls.set(key, resource);
    if (resource.waiting !== undefined) return resource.waiting;
    const waiting = (resource.inFlight ?? Promise.resolve()).then(ignore, ignore).then(() => {
      resource.waiting = undefined;
      const started = call(notification, supplier);
      resource.inFlight = started;
      started.then((value) => {
        if (cacheMs > 0) {
          if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
          cache.set(key, { value, until: Date.now() + cacheMs });
        }
      }, ignore);
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
