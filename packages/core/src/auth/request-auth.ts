// The `auth` option applied to a request: a fixed configuration, or a resolver called per request.

import { PACKAGE_PREFIX } from "../errors/codes.ts";
import { OctoRequestError, OctoWebhooksError } from "../errors/errors.ts";
import type { ReceiverSettings } from "../receiver/settings.ts";
import { type AuthConfig, type Authenticator, type AuthRequest, createAuthenticator } from "./credentials.ts";

/** Checks a request's credentials; throws `OctoRequestError` (401, or 500 when auth itself fails). */
export type RequestAuth<TContext> = (
  request: AuthRequest,
  context: TContext | undefined,
) => void | Promise<void>;

/**
 * The `WWW-Authenticate` value of a 401. A resolver is most often used for Basic credentials from
 * env bindings, so Basic is offered then too.
 */
export function authChallenge<TContext>({
  auth,
  realm,
}: Pick<ReceiverSettings<TContext>, "auth" | "realm">): string {
  return typeof auth === "object" && auth.basic === undefined
    ? `Header realm="${realm}"`
    : `Basic realm="${realm}", charset="UTF-8"`;
}

/** Configurations a resolver returned that are kept ready (tenants, or a rotation's steps). */
const MAX_RESOLVED = 32;
const functionIds = new WeakMap<object, number>();
let nextFunctionId = 0;

/** The values of a configuration as one string (a `verify` function by its identity). */
function fingerprint(config: AuthConfig): string {
  return JSON.stringify(config, (_key, value: unknown) => {
    if (typeof value !== "function") return value;
    let id = functionIds.get(value);
    if (id === undefined) {
      id = ++nextFunctionId;
      functionIds.set(value, id);
    }
    return `\u0000function ${id}`;
  });
}

/** The request check of `settings.auth`, or `undefined` without auth. */
export function createRequestAuth<TContext>({
  auth,
  logger,
}: Pick<ReceiverSettings<TContext>, "auth" | "logger">): RequestAuth<TContext> | undefined {
  if (auth === undefined || auth === "none") return undefined;
  const resolver = typeof auth === "function" ? auth : undefined;
  const fixed = typeof auth === "object" ? createAuthenticator(auth) : undefined;
  // by the configuration's values, not its identity: a resolver may mutate and return one object
  const resolved = new Map<string, Authenticator>();

  const resolve = async (context: TContext | undefined, request: AuthRequest): Promise<Authenticator> => {
    try {
      // a resolver receives what the adapter passed (`undefined` from a bare `handle(request)`)
      const config = await resolver?.(context as TContext, request);
      if (config === null || config === undefined) {
        throw new OctoWebhooksError("CONFIG_INVALID", "auth: the resolver returned no configuration");
      }
      const key = fingerprint(config);
      let authenticator = resolved.get(key);
      if (authenticator === undefined) {
        authenticator = createAuthenticator(config);
        if (resolved.size >= MAX_RESOLVED) resolved.delete(resolved.keys().next().value as string);
        resolved.set(key, authenticator);
      }
      return authenticator;
    } catch (error) {
      // the error's message carries its own prefix
      const detail =
        error instanceof OctoWebhooksError
          ? error.message.replace(/^\[[^\]]+\] /, "")
          : "the auth resolver threw";
      logger.error?.(`${PACKAGE_PREFIX} refusing deliveries until auth is fixed: ${detail}`, {
        status: 500,
        code: "AUTH_MISCONFIGURED",
      });
      throw new OctoRequestError("AUTH_MISCONFIGURED", "auth is misconfigured", { cause: error });
    }
  };

  const refused = (error: unknown): never => {
    // the body read by `rawBody()` was refused (413, 408, bad UTF-8...): that is the delivery's answer
    if (error instanceof OctoRequestError) throw error;
    logger.error?.(`${PACKAGE_PREFIX} auth \`verify\` threw; the delivery was answered 500`, {
      status: 500,
      code: "AUTH_MISCONFIGURED",
      error,
    });
    throw new OctoRequestError("AUTH_MISCONFIGURED", "auth verification failed", { cause: error });
  };
  const decide = (accepted: boolean): void => {
    if (!accepted) throw new OctoRequestError("UNAUTHORIZED", "missing or invalid credentials");
  };
  /** One authenticator's verdict: synchronous when the check is (Basic, header), else a promise. */
  const check = (authenticator: Authenticator, request: AuthRequest): void | Promise<void> => {
    let verdict: boolean | Promise<boolean>;
    try {
      verdict = authenticator(request);
    } catch (error) {
      return refused(error);
    }
    if (verdict instanceof Promise) return verdict.then(decide, refused);
    decide(verdict);
  };

  if (fixed !== undefined) return (request) => check(fixed, request);
  return async (request, context) => {
    await check(await resolve(context, request), request);
  };
}
