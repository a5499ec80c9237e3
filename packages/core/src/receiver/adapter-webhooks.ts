// What framework adapters build their receiver with. It imports the package by its name, so that this
// subpath's bundle does not carry a second copy of the receiver.

import {
  type AdapterOptions,
  createOctoWebhooks,
  type OctoWebhooks,
  OctoWebhooksError,
} from "@octo-webhooks/core";

/**
 * Turns an adapter's options into the receiver it uses and the path it answers (for adapters; users
 * call the adapter). With `webhooks`, only handler options may be given beside it, and they are
 * registered on it: the other options configure a receiver when it is created, so they would be ignored.
 *
 * @example
 * ```ts
 * import { adapterWebhooks } from "@octo-webhooks/core/adapter";
 * const { webhooks, path } = adapterWebhooks(options, "@octo-webhooks/express");
 * ```
 */
export function adapterWebhooks<TContext>(
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
  // core checks every option (a misspelt one gets a "did you mean"); its errors say this adapter's name
  const create = (given: typeof rest & { path?: string }) => {
    try {
      return createOctoWebhooks(given);
    } catch (error) {
      if (!(error instanceof OctoWebhooksError) || error.code !== "CONFIG_INVALID") throw error;
      return fail(error.message.replace(/^\[@octo-webhooks\/core\] /, ""));
    }
  };
  // core checks `path` too (a misspelt `:supplier`...), with the other options
  const checked = path === undefined ? rest : { ...rest, path };
  if (existing === undefined) return { webhooks: create(checked), path };
  if (typeof existing !== "object" || existing === null || typeof existing.handle !== "function") {
    fail("`webhooks` must be a receiver made by createOctoWebhooks()");
  }
  // the names given beside an existing receiver are checked the same way (a silent receiver, thrown away)
  create({ ...checked, auth: "none", logger: {} });
  // every handler option has a registration method of the same name (`onBookingConfirmed`...)
  const register = (key: string): ((handler: unknown) => unknown) | undefined => {
    const method: unknown = Reflect.get(existing, key);
    return /^on[A-Z]/.test(key) && typeof method === "function" ? (handler) => method(handler) : undefined;
  };
  const misplaced = Object.keys(rest).filter((key) => register(key) === undefined);
  if (misplaced.length > 0) {
    fail(
      `${misplaced.map((k) => `\`${k}\``).join(", ")} cannot be applied to an existing receiver; pass ${misplaced.length === 1 ? "it" : "them"} to createOctoWebhooks() instead`,
    );
  }
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    for (const handler of Array.isArray(value) ? value : [value]) register(key)?.(handler);
  }
  return { webhooks: existing, path };
}
