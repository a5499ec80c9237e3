// The `suppliers` option applied to a request: which configured supplier sent a delivery, decided by the
// credentials that matched and, when the path names one (`/webhooks/octo/:supplier`), by that too.

import { PACKAGE_PREFIX } from "../errors/codes.ts";
import { OctoRequestError, OctoWebhooksError } from "../errors/errors.ts";
import type { Logger } from "../log/logger.ts";
import {
  type Authenticator,
  type AuthRequest,
  createAuthenticator,
  type SupplierConfig,
  type SuppliersOption,
} from "./credentials.ts";

/** Identifies a request's supplier; throws `OctoRequestError` (401, or 500 when the lookup fails). */
export type SupplierAuth = (request: AuthRequest, pathId: string | undefined) => Promise<string>;

/** What a supplier id may be: it appears in paths, store keys and log lines. */
export const SUPPLIER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_CACHED = 10_000;
/** Ids the suppliers lookup did not find, remembered for `supplierCacheMs`. */
const MAX_UNKNOWN = 1000;
/** Lookups in flight at once. */
const MAX_IN_FLIGHT = 100;
/** Lookups of ids never found before: a sustained rate, and a burst. */
const NEW_ID_LOOKUPS_PER_SECOND = 20;
const NEW_ID_LOOKUP_BURST = 100;

/** A token bucket: `take(now)` is true while the rate allows one more. */
function tokenBucket(perSecond: number, burst: number): (now: number) => boolean {
  let tokens = burst;
  let last = 0;
  return (now) => {
    tokens = Math.min(burst, tokens + ((now - last) * perSecond) / 1000);
    last = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

function fail(message: string): never {
  throw new OctoWebhooksError("CONFIG_INVALID", `suppliers: ${message}`);
}

/** Checks one supplier's entry (naming its id, never a secret) and prepares its authenticator. */
function prepare(id: string, config: unknown): Authenticator {
  if (typeof config !== "object" || config === null) fail(`\`${id}\` must be { auth: {...} }`);
  for (const key of Object.keys(config)) {
    if (key !== "auth") fail(`\`${id}\`: unknown key \`${key}\`; a supplier takes \`auth\``);
  }
  const { auth } = config as SupplierConfig;
  if (auth === undefined) fail(`\`${id}\` needs \`auth\`: the credentials its registrations carry`);
  try {
    return createAuthenticator(auth);
  } catch (error) {
    if (error instanceof OctoWebhooksError)
      fail(`\`${id}\`: ${error.message.replace(`${PACKAGE_PREFIX} `, "")}`);
    throw error;
  }
}

const unauthorized = () => new OctoRequestError("UNAUTHORIZED", "missing or invalid credentials");

/**
 * The request check of a `suppliers` option (checked here, throwing `CONFIG_INVALID`). A path id
 * chooses the one supplier whose credentials may pass; without one, the record's suppliers are all
 * tried and exactly one must accept. An unknown id and wrong credentials get the same 401.
 */
export function createSupplierAuth(
  suppliers: SuppliersOption,
  cacheMs: number,
  logger: Logger,
): SupplierAuth {
  const misconfigured = (detail: string, cause?: unknown) => {
    logger.error?.(`${PACKAGE_PREFIX} refusing a delivery: ${detail}`, {
      status: 500,
      code: "AUTH_MISCONFIGURED",
    });
    return new OctoRequestError("AUTH_MISCONFIGURED", "auth is misconfigured", { cause });
  };
  // a `verify` that throws refuses like wrong credentials (401): a 500 for a known id only would tell
  // an unauthenticated caller which ids exist
  const accepts = async (authenticator: Authenticator, request: AuthRequest, id: string) => {
    try {
      return await authenticator(request);
    } catch (error) {
      // the body read by `rawBody()` was refused (413, 408...): that is the delivery's answer
      if (error instanceof OctoRequestError) throw error;
      logger.error?.(
        `${PACKAGE_PREFIX} the \`verify\` of supplier ${id} threw; the delivery was answered 401`,
        {
          status: 401,
          code: "UNAUTHORIZED",
          supplier: id,
          error,
        },
      );
      return false;
    }
  };

  if (typeof suppliers === "function") {
    const lookup = suppliers;
    // ids the lookup found (kept past their expiry, so that a known supplier is always looked up again),
    // ids it did not find, and lookups in flight: each bounded, so that unauthenticated requests with
    // random ids can neither push known suppliers out nor grow memory
    const known = new Map<string, { expires: number; authenticator: Authenticator }>();
    const unknown = new Map<string, number>();
    const inFlight = new Map<string, Promise<Authenticator | undefined>>();
    const newIds = tokenBucket(NEW_ID_LOOKUPS_PER_SECOND, NEW_ID_LOOKUP_BURST);
    const remember = <V>(map: Map<string, V>, id: string, value: V, max: number) => {
      map.delete(id);
      if (map.size >= max) map.delete(map.keys().next().value as string);
      map.set(id, value);
    };
    const find = (id: string): Promise<Authenticator | undefined> => {
      const now = Date.now();
      const cached = known.get(id);
      if (cached !== undefined && cached.expires > now) return Promise.resolve(cached.authenticator);
      if ((unknown.get(id) ?? 0) > now) return Promise.resolve(undefined);
      const pending = inFlight.get(id);
      if (pending !== undefined) return pending;
      // an id never found is looked up at a bounded rate: past it, refused as unknown without a lookup
      if (cached === undefined && (inFlight.size >= MAX_IN_FLIGHT || !newIds(now))) {
        logger.debug?.(
          `${PACKAGE_PREFIX} refused a delivery for an id the suppliers lookup has not found: too many unknown ids at once`,
          { status: 401, code: "UNAUTHORIZED" },
        );
        return Promise.resolve(undefined);
      }
      const entry = (async () => {
        const config = await lookup(id);
        return config === null || config === undefined ? undefined : prepare(id, config);
      })();
      inFlight.set(id, entry);
      // a failed lookup is not remembered: the retry asks again
      entry.then(
        (authenticator) => {
          const expires = Date.now() + cacheMs;
          if (authenticator === undefined) remember(unknown, id, expires, MAX_UNKNOWN);
          else remember(known, id, { expires, authenticator }, MAX_CACHED);
        },
        () => undefined,
      );
      void entry.then(
        () => inFlight.delete(id),
        () => inFlight.delete(id),
      );
      return entry;
    };
    return async (request, pathId) => {
      if (pathId === undefined) {
        throw misconfigured(
          "a `suppliers` function needs the supplier's id in the path: mount the receiver at a path with `:supplier` (`/webhooks/octo/:supplier`)",
        );
      }
      if (!SUPPLIER_ID.test(pathId)) throw unauthorized();
      let authenticator: Authenticator | undefined;
      try {
        authenticator = await find(pathId);
      } catch (error) {
        const detail =
          error instanceof OctoWebhooksError ? error.message.replace(`${PACKAGE_PREFIX} `, "") : "it threw";
        throw misconfigured(`the \`suppliers\` lookup of ${pathId} failed: ${detail}`, error);
      }
      if (authenticator === undefined || !(await accepts(authenticator, request, pathId))) {
        throw unauthorized();
      }
      return pathId;
    };
  }

  if (typeof suppliers !== "object" || suppliers === null) {
    fail("expected { [id]: { auth } } or a function (id) => { auth } | undefined");
  }
  const entries = Object.entries(suppliers).map(([id, config]) => {
    if (!SUPPLIER_ID.test(id)) fail(`the id \`${id.slice(0, 64)}\` must be letters, digits, ".", "_" or "-"`);
    return [id, prepare(id, config)] as const;
  });
  if (entries.length === 0) fail("give at least one supplier");
  const byId = new Map(entries);
  // an unknown id is compared too, so that timing does not tell which ids exist
  const nobody = createAuthenticator({ basic: { username: "-", password: crypto.randomUUID() } });

  return async (request, pathId) => {
    if (pathId !== undefined) {
      const authenticator = byId.get(pathId);
      const accepted = await accepts(authenticator ?? nobody, request, pathId);
      if (!accepted || authenticator === undefined) throw unauthorized();
      return pathId;
    }
    // every supplier is tried, so timing does not tell which one accepted
    const matched: string[] = [];
    for (const [id, authenticator] of entries)
      if (await accepts(authenticator, request, id)) matched.push(id);
    if (matched.length === 1) return matched[0] as string;
    if (matched.length === 0) throw unauthorized();
    throw misconfigured(
      `suppliers ${matched.join(" and ")} accept the same credentials, so a delivery cannot tell them apart: give each its own, or mount at \`/webhooks/octo/:supplier\``,
    );
  };
}
