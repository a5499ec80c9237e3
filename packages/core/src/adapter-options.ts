import type { OctoWebhooks, OctoWebhooksOptions } from "./create-receiver.ts";
import { OctoWebhooksError } from "./errors.ts";

/** What every framework adapter takes: core's options, plus where to listen and an optional existing receiver. */
export type AdapterOptions<TContext = unknown> = OctoWebhooksOptions<TContext> & {
  /** Answer only this path (a trailing slash is tolerated); other paths go to the next middleware. */
  path?: string;
  /** An existing receiver to use; handler options given beside it are registered on it. */
  webhooks?: OctoWebhooks<TContext>;
};

/** The `createOctoWebhooks` of the build in use (the edge build has its own). */
export type CreateReceiver = <TContext>(options: OctoWebhooksOptions<TContext>) => OctoWebhooks<TContext>;

/** `adapterWebhooks` with the receiver constructor of one build; see `create-octo-webhooks.ts`. */
export function adapterWebhooksWith<TContext>(
  create: CreateReceiver,
  options: AdapterOptions<TContext> | undefined,
  adapter: string,
): { webhooks: OctoWebhooks<TContext>; path: string | undefined } {
  const fail = (message: string): never => {
    const error = new OctoWebhooksError("CONFIG_INVALID", message);
    error.message = `[${adapter}] ${message}`;
    throw error;
  };
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    fail("options must be an object");
  }
  const { path, webhooks: existing, ...rest } = options ?? {};
  if (path !== undefined && (typeof path !== "string" || !path.startsWith("/"))) {
    fail('`path` must start with "/", for example "/webhooks/octo"');
  }
  if (existing === undefined) return { webhooks: create(rest), path };
  if (typeof existing !== "object" || existing === null || typeof existing.handle !== "function") {
    fail("`webhooks` must be a receiver made by createOctoWebhooks()");
  }
  // every handler option has a registration method of the same name (`onBookingConfirmed`...)
  const receiver = existing as unknown as Record<string, unknown>;
  const isHandlerOption = (key: string) => /^on[A-Z]/.test(key) && typeof receiver[key] === "function";
  const misplaced = Object.keys(rest).filter((key) => !isHandlerOption(key));
  if (misplaced.length > 0) {
    fail(
      `${misplaced.map((k) => `\`${k}\``).join(", ")} cannot be applied to an existing receiver; pass ${misplaced.length === 1 ? "it" : "them"} to createOctoWebhooks() instead`,
    );
  }
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    const register = receiver[key] as (handler: unknown) => unknown;
    for (const handler of Array.isArray(value) ? value : [value]) register(handler);
  }
  return { webhooks: existing, path };
}
