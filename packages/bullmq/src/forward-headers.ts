// `forwardHeaders`: which request headers a queue stores with a job, never credentials.
import type { AuthConfig, AuthOption, HandlerContext } from "@octo-webhooks/core";
import { configError } from "./errors.ts";

const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);

/** The header names an `auth` configuration checks, lower-cased. */
function authHeaderNames(config: AuthConfig | "none" | null | undefined): string[] {
  if (config === "none") return [];
  const header = config?.header;
  if (header === undefined) return [];
  const list = Array.isArray(header) ? header : [header];
  return list.map((h: { name?: unknown }) => (typeof h?.name === "string" ? h.name.toLowerCase() : ""));
}

/**
 * The headers of `forwardHeaders` (checked: credentials are refused), how to pick them from a delivery,
 * and `guardAuth`, which keeps the header names a receiver's `auth` checks out of what is stored.
 */
export function createHeaderForwarding(list: readonly string[] | undefined) {
  const forwardHeaders = (list ?? []).map((header) => {
    if (typeof header !== "string" || header === "") configError("`forwardHeaders` must list header names");
    const lower = header.toLowerCase();
    if (SECRET_HEADERS.has(lower)) {
      configError(`\`forwardHeaders\` cannot carry ${lower}: credentials must not be stored in Redis`);
    }
    return lower;
  });
  // the header names the receivers' auth resolvers returned: never forwarded (they are credentials)
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
            `\`forwardHeaders\` cannot carry ${carried.join(", ")}: \`auth.header\` checks it, and credentials must not be stored in Redis; remove it from \`forwardHeaders\``,
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
  };
}
