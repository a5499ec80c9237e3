import type { Delivery, DeliveryPolicy } from "../deliver.ts";
import type { Seed } from "../factories/random.ts";
import type { MockResources } from "./resources.ts";
import type { MockSubscription } from "./subscriptions.ts";
import type { MockWebhook } from "./webhooks.ts";

/** What the simulation works on, shared with the server. */
export interface SimulationState {
  readonly store: ReadonlyMap<string, MockWebhook>;
  /** The notification subscriptions. */
  readonly subscriptions: ReadonlyMap<string, MockSubscription>;
  /** The bookings, availability and products the read API serves. */
  readonly resources: MockResources;
  /** Every delivery, in creation order (appended to). */
  readonly deliveries: Delivery[];
  /** The deliveries under way (`idle()` waits for them). */
  readonly pending: Set<Promise<unknown>>;
  readonly policy: DeliveryPolicy;
  readonly seed: Seed;
  /** Called when a delivery is created, before its first attempt. */
  readonly onDelivery?: ((delivery: Delivery) => void) | undefined;
}
