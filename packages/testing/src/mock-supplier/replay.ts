import type { Delivery } from "../deliver.ts";
import type { SimulationState } from "./simulate.ts";

// The mock supplier's replay: a delivery's body sent again to its webhook, as a new delivery (the "resend"
// button of a supplier's dashboard). A replay is never dropped (`dropRate`): someone asked for it.

/** `supplier.replay`: creates the new delivery at once (or throws) and resolves when it is finished. */
export function createReplay(state: SimulationState): (deliveryId: string) => Promise<Delivery> {
  const { store, deliveries, pending, dispatch } = state;
  return (deliveryId) => {
    const original = deliveries.find((d) => d.id === deliveryId);
    if (original === undefined) {
      return Promise.reject(new Error("[@octo-webhooks/testing] no delivery has this id"));
    }
    const id = original.webhookId;
    // a notification's delivery was made for a subscription (its `webhookId` is the subscription's id)
    const webhook = id === undefined ? undefined : (store.get(id) ?? state.subscriptions.get(id));
    if (webhook === undefined) {
      return Promise.reject(
        new Error(
          "[@octo-webhooks/testing] the webhook of this delivery was deleted (or its notification subscription)",
        ),
      );
    }
    const target = {
      webhookId: webhook.id,
      event: original.event,
      url: webhook.url,
      headers: webhook.headers,
      retryOnError: webhook.retryOnError,
    };
    const delivery = dispatch.queue(target, structuredClone(original.body), false);
    const run = dispatch.send(delivery, target);
    pending.add(run);
    void run.finally(() => pending.delete(run));
    return run;
  };
}
