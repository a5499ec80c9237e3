/**
 * What framework adapters are built with (`@octo-webhooks/core/adapter`); users call an adapter or
 * `createOctoWebhooks()` instead. An adapter turns its options into a receiver with
 * {@link adapterWebhooks}, answers its path ({@link matchesPath}), hands `{ method, headers, body, supplier }`
 * (the `:supplier` path segment, {@link supplierInPath}, or the framework's route parameter)
 * to `handle()` and, on Node, calls {@link lingerBeforeClose} before writing the answer.
 *
 * @packageDocumentation
 */

export { adapterWebhooks } from "./adapter-options.ts";
export { lingerBeforeClose, type NodeRequestLike } from "./linger-before-close.ts";
export { matchesPath, supplierInPath } from "./match-path.ts";
export type { RequestBody } from "./read-body.ts";
export type { AdapterOptions } from "./receiver-types.ts";
