import { createDelivery, type Delivery, type DeliveryTarget, runDelivery } from "../deliver.ts";
import type { SimulationState } from "./simulation-state.ts";

// Thin OCTO notifications (`{ type, data }`) delivered to the subscriptions of their type, with each
// subscription's headers and the supplier's retry schedule (the same as webhooks').

/** One step of a simulated change: the thin notification's data, and what the supplier's state is then. */
export interface NotificationStep {
  data: Record<string, unknown>;
  /** Called before the step is delivered: the resource reaches this step's state. */
  advance?: (() => void) | undefined;
}

/**
 * Creates the deliveries of `steps` to every active subscription of `type` at once, then sends each
 * subscription's in order (one after the other), subscriptions in parallel; resolves when all are finished.
 */
export function notifySubscribers(
  state: SimulationState,
  type: string,
  steps: readonly NotificationStep[],
): Promise<Delivery[]> {
  const { subscriptions, deliveries, pending, policy } = state;
  const chains: Promise<Delivery[]>[] = [];
  for (const subscription of subscriptions.values()) {
    if (!subscription.active || !subscription.notificationTypes.includes(type)) continue;
    const target: DeliveryTarget = {
      webhookId: subscription.id,
      event: type,
      url: subscription.url,
      headers: subscription.headers,
      retryOnError: subscription.retryOnError,
    };
    const queued = steps.map((step) => {
      const body = { type, data: { ...step.data } };
      const delivery = createDelivery(`d${deliveries.length + 1}`, target, body, policy.userAgent);
      deliveries.push(delivery);
      state.onDelivery?.(delivery);
      return { delivery, step };
    });
    const chain = (async () => {
      for (const { delivery, step } of queued) {
        step.advance?.();
        await runDelivery(delivery, target, policy);
      }
      return queued.map((q) => q.delivery);
    })();
    pending.add(chain);
    void chain.finally(() => pending.delete(chain));
    chains.push(chain);
  }
  return Promise.all(chains).then((lists) => lists.flat());
}
