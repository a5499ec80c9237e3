/**
 * What framework adapters are built with (`@octo-webhooks/core/adapter`); users call an adapter or
 * `createOctoWebhooks()` instead. An adapter turns its options into a receiver with
 * {@link adapterWebhooks}, answers its path ({@link matchesPath}), hands `{ method, headers, body, supplier }`
 * (the `:supplier` path segment, {@link supplierInPath}, or the framework's route parameter)
 * to `handle()` and, on Node, calls {@link lingerBeforeClose} before writing the answer.
 *
 * @packageDocumentation
 */

export { resourceOf } from "./events/resource-of.ts";
export { lingerBeforeClose, type NodeRequestLike } from "./http/linger-before-close.ts";
export { matchesPath, supplierInPath } from "./http/match-path.ts";
export type { RequestBody } from "./http/read-body.ts";
export { adapterWebhooks } from "./receiver/adapter-webhooks.ts";
export { rememberedIn } from "./receiver/remembered.ts";
export { SETTING_OPTIONS } from "./receiver/setting-options.ts";
export type { AdapterOptions } from "./receiver/types.ts";
