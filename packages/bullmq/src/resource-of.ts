// The resource a delivery updates, as per-resource ordering (resource-order.ts) keys it.
import { createHash } from "node:crypto";
import type { AnyOctoEvent, HandlerContext } from "@octo-webhooks/core";
import { resourceOf as coreResourceOf } from "@octo-webhooks/core/adapter";

/**
 * The resource a delivery updates, as its jobs are ordered by: `booking:<uuid>`, `order:<id>`,
 * `product:<id>` (a booking's notification is its booking's), after `<supplier>/` when it has one;
 * `undefined` for deliveries of no one resource (availability, events this version does not model).
 */
export function resourceOf(payload: AnyOctoEvent, context: HandlerContext): string | undefined {
  const found = coreResourceOf(payload, context);
  if (found === undefined) return undefined;
  let id = found.id;
  // a key of bounded size whatever the sender wrote
  if (id.length > 200) id = `sha256-${createHash("sha256").update(id).digest("hex")}`;
  const resource = `${found.kind}:${id}`;
  return context.supplier === undefined ? resource : `${context.supplier}/${resource}`;
}
