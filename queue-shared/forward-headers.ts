// `forwardHeaders`: which request headers a queue stores with a job, never credentials.
import type { AuthOption, HandlerContext, SuppliersOption } from "@octo-webhooks/core";

const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);

/**
 * The header names an `auth` configuration checks, lower-cased. It takes anything: a supplier's entry is
 * checked by core only later, and its mistakes are core's to report.
 */
function authHeaderNames(config: unknown): string[] {
  if (typeof config !== "object" || config === null) return [];
  const header = (config as { header?: unknown }).header;
  if (header === undefined) return [];
  const list: unknown[] = Array.isArray(header) ? header : [header];
  return list.map((h) => {
    const name = typeof h === "object" && h !== null ? (h as { name?: unknown }).name : undefined;
    return typeof name === "string" ? name.toLowerCase() : "";
  });
}

/** The `auth` of a `suppliers` entry or lookup answer, whatever was given. */
const supplierAuth = (entry: unknown): unknown =>
  typeof entry === "object" && entry !== null ? (entry as { auth?: unknown }).auth : undefined;

/**
 * The headers of `forwardHeaders` (checked: credentials are refused), how to pick them from a delivery,
 * and `guardAuth`/`guardSuppliers`, which keep the header names a receiver's `auth` or any of its
 * `suppliers` checks out of what is stored.
 */
export function createHeaderForwarding(
  list: readonly string[] | undefined,
  queue: {
    /** Where jobs are stored, as a refusal names it ("Redis", "PostgreSQL"). */
    store: string;
    /** The queue package's configuration error (its name first), thrown. */
    configError(message: string): never;
  },
) {
  const { store, configError } = queue;
  const forwardHeaders = (list ?? []).map((header) => {
    if (typeof header !== "string" || header === "") configError("`forwardHeaders` must list header names");
    const lower = header.toLowerCase();
    if (SECRET_HEADERS.has(lower)) {
      configError(`\`forwardHeaders\` cannot carry ${lower}: credentials must not be stored in ${store}`);
    }
    return lower;
  });
  // the header names the receivers' auth resolvers and supplier lookups returned: never forwarded (they
  // are credentials), for any supplier's delivery
  const authHeaders = new Set<string>();

  return {
    /** The forwarded headers of a delivery (`undefined` when none are forwarded). */
    pick(headers: HandlerContext["headers"]): Record<string, string> | undefined {
      if (forwardHeaders.length === 0) return undefined;
      const picked: Record<string, string> = {};
      for (const header of forwardHeaders) {
        if (authHeaders.has(header)) continue;
        const value = headers.get(header);
        if (value !== null) picked[header] = value;
      }
      return picked;
    },
    /**
     * `auth` as given: a fixed one is refused when it checks a forwarded header; a resolver is wrapped
     * so that the header names it returns are never forwarded.
     */
    guardAuth<TContext>(auth: AuthOption<TContext> | undefined): AuthOption<TContext> | undefined {
      if (forwardHeaders.length === 0 || auth === undefined) return auth;
      if (typeof auth !== "function") {
        const carried = authHeaderNames(auth).filter((name) => forwardHeaders.includes(name));
        if (carried.length > 0) {
          configError(
            `\`forwardHeaders\` cannot carry ${carried.join(", ")}: \`auth.header\` checks it, and credentials must not be stored in ${store}; remove it from \`forwardHeaders\``,
          );
        }
        return auth;
      }
      return async (context, request) => {
        const config = await auth(context, request);
        for (const name of authHeaderNames(config)) authHeaders.add(name);
        return config;
      };
    },
    /**
     * `suppliers` as given: a record is refused when a supplier's `auth` checks a forwarded header; a
     * lookup function is wrapped so that the header names of its answers are never forwarded (it is
     * called for a delivery's supplier before its credentials are checked, so before anything is picked).
     */
    guardSuppliers(suppliers: SuppliersOption | undefined): SuppliersOption | undefined {
      if (forwardHeaders.length === 0 || suppliers === undefined) return suppliers;
      if (typeof suppliers === "function") {
        const lookup = suppliers;
        return async (id) => {
          const config = await lookup(id);
          for (const name of authHeaderNames(supplierAuth(config))) authHeaders.add(name);
          return config;
        };
      }
      if (typeof suppliers !== "object" || suppliers === null) return suppliers;
      const carried = new Set<string>();
      const ids: string[] = [];
      for (const [id, entry] of Object.entries(suppliers)) {
        const names = authHeaderNames(supplierAuth(entry)).filter((name) => forwardHeaders.includes(name));
        if (names.length === 0) continue;
        ids.push(id.slice(0, 64));
        for (const name of names) carried.add(name);
      }
      if (ids.length > 0) {
        const [one, many] = ids.length === 1 ? ["supplier", "checks"] : ["suppliers", "check"];
        configError(
          `\`forwardHeaders\` cannot carry ${[...carried].join(", ")}: the \`auth.header\` of ${one} ${ids.join(", ")} ${many} it, and credentials must not be stored in ${store}; remove it from \`forwardHeaders\``,
        );
      }
      return suppliers;
    },
  };
}
