import {
  createDelivery,
  type Delivery,
  type DeliveryPolicy,
  type DeliveryTarget,
  deliverUntil,
} from "../deliver.ts";
import type { MockFaults } from "./faults.ts";

// How the mock supplier creates and sends each delivery (simulated, notified or replayed), with its
// failure modes: a dropped delivery is recorded and never sent, a delivery stops when the mock deleted
// its webhook, and each finished delivery counts toward deleting a webhook that keeps failing.

/** What dispatching works on, shared with the server. */
export interface DispatchState {
  /** Every delivery, in creation order (appended to). */
  readonly deliveries: Delivery[];
  readonly policy: DeliveryPolicy;
  readonly faults: MockFaults;
  /** Called when a delivery is created (dropped ones too), before its first attempt. */
  readonly onDelivery?: ((delivery: Delivery) => void) | undefined;
}

/** `queue` creates and records a delivery; `send` runs it and resolves when it is finished. */
export function createDispatch(state: DispatchState) {
  const { deliveries, policy, faults } = state;
  return {
    /** A new delivery of `body` to `target`; `dropRate` may drop it, unless `droppable` is false (a replay). */
    queue(target: DeliveryTarget, body: Record<string, unknown>, droppable = true): Delivery {
      const delivery = createDelivery(`d${deliveries.length + 1}`, target, body, policy.userAgent);
      if (droppable && faults.drops()) {
        delivery.state = "dropped";
        delivery.cause = "dropRate";
      }
      deliveries.push(delivery);
      state.onDelivery?.(delivery);
      return delivery;
    },
    async send(delivery: Delivery, target: DeliveryTarget): Promise<Delivery> {
      if (delivery.state === "dropped") return delivery;
      const giveUpAfter = faults.settings().giveUpAfter ?? undefined;
      await deliverUntil(delivery, target, { ...policy, giveUpAfter }, () =>
        faults.stopped(target.webhookId),
      );
      faults.settle(delivery);
      return delivery;
    },
  };
}

/** The dispatch of a mock supplier (see {@link createDispatch}). */
export type Dispatch = ReturnType<typeof createDispatch>;
