// The ids of what a receiver applied, for reconciliation to read back: from the receiver's `remembered()`
// or, for a queue whose workers apply, from their store (core's `rememberedIn()`).
import type { RememberedResource } from "@octo-webhooks/core";
import { rememberedIn } from "@octo-webhooks/core/adapter";
import type { ReconciledReceiver, StateListing } from "./types.ts";

async function* fromStore(
  store: Required<StateListing>,
  resource: "booking" | "order",
  supplier: string | undefined,
): AsyncIterable<string> {
  for await (const { id } of rememberedIn(store, resource, supplier)) yield id;
}

async function* fromReceiver(
  receiver: Required<Pick<ReconciledReceiver, "remembered">>,
  resource: "booking" | "order",
  supplier: string | undefined,
): AsyncIterable<string> {
  const resources: AsyncIterable<RememberedResource> = receiver.remembered(
    resource,
    supplier === undefined ? {} : { supplier },
  );
  for await (const { id } of resources) yield id;
}

/**
 * The ids of the bookings or orders applied (of `supplier`): from `store` when given, else from the
 * receiver's `remembered()`; `undefined` when neither can say.
 */
export function rememberedIds(
  receiver: ReconciledReceiver,
  store: StateListing | undefined,
  resource: "booking" | "order",
  supplier: string | undefined,
): AsyncIterable<string> | undefined {
  if (store?.listStates !== undefined) return fromStore(store as Required<StateListing>, resource, supplier);
  if (typeof receiver.remembered !== "function") return undefined;
  return fromReceiver(receiver as Required<Pick<ReconciledReceiver, "remembered">>, resource, supplier);
}
