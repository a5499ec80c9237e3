/**
 * Receive OCTO webhooks (`booking_update`, `availability_update`, `order_update`, `product_update`) with typed handlers, lenient parsing
 * of what real suppliers send and optional auth, on Node and Web-standard runtimes. `createOctoWebhooks()`
 * makes a receiver; its `handle()` and `fetch()` make every HTTP decision (see {@link STATUS_BY_CODE}).
 * Bundlers resolving the `workerd`, `worker` or `edge-light` condition get an edge build without zod,
 * whose exports are these minus the zod schemas (those are at `@octo-webhooks/core/schemas`).
 *
 * @packageDocumentation
 */

// the edge list, whose `createOctoWebhooks` the one above replaces (a named export wins over `export *`)
export * from "./index.edge.ts";
export { createOctoWebhooks } from "./receiver/create-octo-webhooks.ts";
export * from "./schemas.ts";
