// The `suppliers` option applied to a request: which configured supplier sent a delivery, decided by the
// credentials that matched and, when the path names one (`/webhooks/octo/:supplier`), by that too.

import { PACKAGE_PREFIX } from "../errors/codes.ts";
import { OctoRequestError, OctoWebhooksError } from "../errors/errors.ts";
import type { HeaderGetter } from "../http/headers.ts";
import type { Logger } from "../log/logger.ts";
import {
  type Authenticator,
  type AuthRequest,
  createAuthenticator,
  type SupplierConfig,
  type SuppliersOption,
} from "./credentials.ts";

/** Identifies a request's supplier; throws `OctoRequestError` (401, or 500 when the lookup fails). */
export type SupplierAuth = (
  header: HeaderGetter,
  method: string,
  pathId: string | undefined,
) => Promise<string>;

/** What a supplier id may be: it appears in paths, store keys and log lines. */
export const SUPPLIER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_CACHED = 10_000;

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
  const accepts = async (authenticator: Authenticator, request: AuthRequest, id: string) => {
    try {
      return await authenticator(request);
    } catch (error) {
      throw misconfigured(`the \`verify\` of supplier ${id} threw`, error);
    }
  };

  if (typeof suppliers === "function") {
    const lookup = suppliers;
    const cache = new Map<string, { expires: number; entry: Promise<Authenticator | undefined> }>();
    const find = (id: string): Promise<Authenticator | undefined> => {
      const now = Date.now();
      const cached = cache.get(id);
      if (cached !== undefined && cached.expires > now) return cached.entry;
      cache.delete(id);
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
      const entry = (async () => {
        const config = await lookup(id);
        return config === null || config === undefined ? undefined : prepare(id, config);
      })();
      cache.set(id, { expires: now + cacheMs, entry });
      // a failed lookup is not remembered: the retry asks again
      entry.catch(() => cache.delete(id));
      return entry;
    };
    return async (header, method, pathId) => {
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
      if (authenticator === undefined || !(await accepts(authenticator, { method, header }, pathId))) {
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

  return async (header, method, pathId) => {
    const request: AuthRequest = { method, header };
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
