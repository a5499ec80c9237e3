import type { Delivery } from "../deliver.ts";
import { createRandom, type Seed } from "../factories/random.ts";
import { splitCredentials } from "../post.ts";
import type { MockSubscription } from "./subscriptions.ts";
import type { MockWebhook } from "./webhooks.ts";

// The ways real suppliers lose deliveries, for tests of a receiver's recovery: giving a delivery up
// after a few attempts, deleting a webhook (or a notification subscription) that keeps failing, as
// Bokun does, and silently never sending a share of deliveries. Each is recorded, so a test can count.

/** The failure modes of a mock supplier; `supplier.faults.configure` or `POST /octo/_mock/faults` changes them. */
export interface MockFaultSettings {
  /** A delivery is abandoned after this many failed attempts (`null`: out of `retrySchedule`, it is `failed`). */
  giveUpAfter: number | null;
  /** A webhook or subscription is deleted after this many failed deliveries in a row (`null`: never). */
  deleteWebhookAfter: number | null;
  /** The share of deliveries, 0 to 1, never sent (state `dropped`), drawn from the supplier's `seed`. */
  dropRate: number;
}

/** A webhook (or notification subscription) the mock supplier deleted because its deliveries kept failing. */
export interface DeletedWebhook {
  /** Its id. */
  id: string;
  kind: "webhook" | "subscription";
  /** Its event (a webhook), or its notification types. */
  events: string[];
  /** Its URL without credentials. */
  url: string;
  /** When it was deleted (ISO 8601). */
  at: string;
  /** The ids of the failed deliveries in a row that made it deleted, in the order they ended. */
  failedDeliveries: string[];
}

/** What the faults act on: the registered webhooks and subscriptions, deleted from here. */
interface Registry {
  readonly store: Map<string, MockWebhook>;
  readonly subscriptions: Map<string, MockSubscription>;
}

const positive = (value: unknown) =>
  value === null || (Number.isSafeInteger(value) && (value as number) >= 1);

/** Checks settings (a partial one: those present), with the name of the option in the message. */
export function checkFaultSettings(next: Partial<MockFaultSettings>): void {
  for (const name of ["giveUpAfter", "deleteWebhookAfter"] as const) {
    if (next[name] !== undefined && !positive(next[name])) {
      throw new TypeError(
        `[@octo-webhooks/testing] \`${name}\` must be a whole number from 1 (or null: off)`,
      );
    }
  }
  const rate = next.dropRate;
  if (rate !== undefined && !(typeof rate === "number" && rate >= 0 && rate <= 1)) {
    throw new TypeError("[@octo-webhooks/testing] `dropRate` must be a number from 0 to 1");
  }
}

/** The failure modes of one mock supplier and what they did. */
export function createFaults(
  seed: Seed,
  initial: Partial<MockFaultSettings>,
  registry: Registry,
  onDeleted: ((deleted: DeletedWebhook) => void) | undefined,
) {
  checkFaultSettings(initial);
  const settings: MockFaultSettings = {
    giveUpAfter: initial.giveUpAfter ?? null,
    deleteWebhookAfter: initial.deleteWebhookAfter ?? null,
    dropRate: initial.dropRate ?? 0,
  };
  const chance = createRandom(`${seed}:drops`);
  const deleted: DeletedWebhook[] = [];
  const deletedIds = new Set<string>();
  /** The failed deliveries in a row of each webhook or subscription, by id. */
  const streaks = new Map<string, string[]>();

  const remove = (id: string, streak: string[]) => {
    const webhook = registry.store.get(id);
    const subscription = registry.subscriptions.get(id);
    const found = webhook ?? subscription;
    if (found === undefined) return;
    registry.store.delete(id);
    registry.subscriptions.delete(id);
    deletedIds.add(id);
    streaks.delete(id);
    const record: DeletedWebhook = {
      id,
      kind: webhook === undefined ? "subscription" : "webhook",
      events: webhook === undefined ? [...(subscription?.notificationTypes ?? [])] : [webhook.event],
      url: splitCredentials(found.url).url.href,
      at: new Date().toISOString(),
      failedDeliveries: streak,
    };
    deleted.push(record);
    onDeleted?.(record);
  };

  return {
    settings: (): MockFaultSettings => ({ ...settings }),
    configure(next: Partial<MockFaultSettings>) {
      checkFaultSettings(next);
      Object.assign(settings, Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)));
    },
    deleted: deleted as readonly DeletedWebhook[],
    /** Whether the next delivery is dropped (draws only while `dropRate` is above 0). */
    drops: () => settings.dropRate > 0 && chance.int(0, 999_999) < settings.dropRate * 1_000_000,
    /** `deleteWebhookAfter` when the mock deleted webhook `id` (its deliveries stop), else `undefined`. */
    stopped: (id: string | undefined): Delivery["cause"] =>
      id !== undefined && deletedIds.has(id) ? "deleteWebhookAfter" : undefined,
    /** Counts a finished delivery to its webhook's streak, and deletes the webhook at `deleteWebhookAfter`. */
    settle(delivery: Delivery) {
      const id = delivery.webhookId;
      if (id === undefined || deletedIds.has(id)) return;
      if (delivery.state === "delivered") {
        streaks.delete(id);
        return;
      }
      const gaveUp = delivery.state === "failed" || delivery.cause === "giveUpAfter";
      if (!gaveUp || (!registry.store.has(id) && !registry.subscriptions.has(id))) return;
      const streak = [...(streaks.get(id) ?? []), delivery.id];
      streaks.set(id, streak);
      const limit = settings.deleteWebhookAfter;
      if (limit !== null && streak.length >= limit) remove(id, streak);
    },
  };
}

/** The failure modes of a mock supplier (see {@link createFaults}). */
export type MockFaults = ReturnType<typeof createFaults>;
