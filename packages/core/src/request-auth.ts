// The `auth` option applied to a request: a fixed configuration, or a resolver called per request.
import { type AuthConfig, type Authenticator, type AuthRequest, createAuthenticator } from "./auth.ts";
import { OctoRequestError, OctoWebhooksError, PACKAGE_PREFIX } from "./errors.ts";
import type { HeaderGetter } from "./headers.ts";
import type { ReceiverSettings } from "./resolve-options.ts";

/** Checks a request's credentials; throws `OctoRequestError` (401, or 500 when auth itself fails). */
export type RequestAuth<TContext> = (
  header: HeaderGetter,
  method: string,
  context: TContext | undefined,
) => Promise<void>;

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

/** The request check of `settings.auth`, or `undefined` without auth. */
export function createRequestAuth<TContext>({
  auth,
  logger,
}: Pick<ReceiverSettings<TContext>, "auth" | "logger">): RequestAuth<TContext> | undefined {
  if (auth === undefined || auth === "none") return undefined;
  const resolver = typeof auth === "function" ? auth : undefined;
  const fixed = typeof auth === "object" ? createAuthenticator(auth) : undefined;
  const resolved = new WeakMap<AuthConfig, Authenticator>();

  const resolve = async (context: TContext | undefined, request: AuthRequest): Promise<Authenticator> => {
    if (fixed !== undefined) return fixed;
    try {
      // a resolver receives what the adapter passed (`undefined` from a bare `handle(request)`)
      const config = await resolver?.(context as TContext, request);
      if (config === null || config === undefined) {
        throw new OctoWebhooksError("CONFIG_INVALID", "auth: the resolver returned no configuration");
      }
      let authenticator = resolved.get(config);
      if (authenticator === undefined) {
        authenticator = createAuthenticator(config);
        resolved.set(config, authenticator);
      }
      return authenticator;
    } catch (error) {
      // the error's message carries its own prefix
      const detail =
        error instanceof OctoWebhooksError
          ? error.message.replace(/^\[[^\]]+\] /, "")
          : "the auth resolver threw";
      logger.error?.(`${PACKAGE_PREFIX} refusing deliveries until auth is fixed: ${detail}`);
      throw new OctoRequestError("AUTH_MISCONFIGURED", "auth is misconfigured", { cause: error });
    }
  };

  return async (header, method, context) => {
    const request: AuthRequest = { method, header };
    const authenticator = await resolve(context, request);
    let accepted: boolean;
    try {
      accepted = await authenticator(request);
    } catch (error) {
      logger.error?.(`${PACKAGE_PREFIX} auth \`verify\` threw; the delivery was answered 500`, error);
      throw new OctoRequestError("AUTH_MISCONFIGURED", "auth verification failed", { cause: error });
    }
    if (!accepted) throw new OctoRequestError("UNAUTHORIZED", "missing or invalid credentials");
  };
}
