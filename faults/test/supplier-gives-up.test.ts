// When the supplier gives up: the receiver is down longer than the supplier retries while bookings change
// (a quarter of them cancelled), the supplier abandons those deliveries and deletes its webhook after the
// failures. When the receiver is back, the watchdog re-creates the webhook and one reconciliation applies
// every final state: each change applied exactly once, none lost, none doubled, counted outside the
// receiver (in Redis, by the handlers' effect). Default mode (handlers in the receiver) and the BullMQ
// queue receiver (reconciled bodies go through the queue to its workers).
import { randomBytes } from "node:crypto";
import { createOctoQueue, createOctoWorker, createRedisStore } from "@octo-webhooks/bullmq";
import { createOctoClient, createReconciler } from "@octo-webhooks/client";
import {
  type BookingUpdateEvent,
  createOctoWebhooks,
  type HandlerContext,
  type OctoWebhooks,
} from "@octo-webhooks/core";
import { type MockSupplier, startMockSupplier, startReceiver } from "@octo-webhooks/testing";
import { Redis } from "ioredis";
import { afterEach, describe, expect, inject, it } from "vitest";
import { long, until } from "../src/harness.ts";

const redisUrl = inject("redisUrl");
const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const AUTH = { username: "octo", password: "gives-up-pw-3c1" };
const API_KEY = "k-gives-up";
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The handlers' effect, outside the receiver: each state a booking reaches (uuid, status, instant) is
 * counted once per application, and the lifecycle events fired are counted per booking.
 */
function effects(redis: Redis, prefix: string) {
  return {
    async onBookingUpdate({ booking }: BookingUpdateEvent, context: HandlerContext) {
      await redis.hincrby(
        `${prefix}:applied`,
        `${booking.uuid}|${booking.status}|${booking.utcUpdatedAt}`,
        1,
      );
      await redis.hset(`${prefix}:latest`, booking.uuid, `${booking.status}|${booking.utcUpdatedAt}`);
      await redis.hincrby(`${prefix}:sources`, context.source, 1);
    },
    async onBookingCancelled({ booking }: BookingUpdateEvent) {
      await redis.hincrby(`${prefix}:cancelled`, booking.uuid, 1);
    },
  };
}

interface Mode {
  name: "default" | "queue";
  /** The receiver deliveries come to, and what reconciliation feeds; `stop` closes what it started. */
  start(
    prefix: string,
    redis: Redis,
  ): Promise<{ webhooks: OctoWebhooks; store: ReturnType<typeof createRedisStore>; stop(): Promise<void> }>;
}

const MODES: Mode[] = [
  {
    name: "default",
    async start(prefix, redis) {
      const store = createRedisStore({ connection: redisUrl, prefix: `${prefix}:store`, logger: {} });
      const webhooks = createOctoWebhooks({
        auth: { basic: AUTH },
        logger: {},
        dedupe: true,
        staleGuard: true,
        store,
        ...effects(redis, prefix),
      });
      return { webhooks, store, stop: async () => store.close() };
    },
  },
  {
    name: "queue",
    async start(prefix, redis) {
      const store = createRedisStore({ connection: redisUrl, prefix: `${prefix}:store`, logger: {} });
      const queue = createOctoQueue({ connection: redisUrl, prefix, logger: {} });
      const worker = createOctoWorker({
        connection: redisUrl,
        prefix,
        concurrency: 8,
        logger: {},
        staleGuard: true,
        store,
        ...effects(redis, prefix),
      });
      await worker.waitUntilReady();
      const webhooks = queue.receiver({ auth: { basic: AUTH }, logger: {} });
      return {
        webhooks,
        store,
        stop: async () => {
          await worker.close();
          await queue.close();
          await store.close();
        },
      };
    },
  },
];

/** The receiver's URL with the credentials the supplier sends, at `port`. */
const urlAt = (port: number) => {
  const url = new URL(`http://127.0.0.1:${port}/webhooks/octo`);
  url.username = AUTH.username;
  url.password = AUTH.password;
  return url.href;
};

describe.skipIf(redisUrl === "")("the supplier gives up while the receiver is down", () => {
  it.each(MODES)(
    "the watchdog re-creates the webhook and one reconciliation applies every final state ($name)",
    async (mode) => {
      const count = long ? 1_000 : 200;
      const cancelled = count / 4;
      const prefix = `gives-up-${mode.name}-${randomBytes(4).toString("hex")}`;
      const redis = new Redis(redisUrl);
      cleanup.push(() => redis.quit());
      const supplier: MockSupplier = await startMockSupplier({
        apiKey: API_KEY,
        seed: prefix,
        retrySchedule: [10, 10],
        giveUpAfter: 3,
        deleteWebhookAfter: 25,
      });
      cleanup.push(() => supplier.close());
      const app = await mode.start(prefix, redis);
      cleanup.push(() => app.stop());
      let receiver = await startReceiver(app.webhooks);
      const port = Number(new URL(receiver.url).port);
      const client = createOctoClient({ baseUrl: supplier.url, apiKey: API_KEY });
      const desired = { event: "booking_update" as const, url: urlAt(port) };
      await client.webhooks.create(desired);

      // the receiver goes down; bookings are made and changed; every delivery is given up, the webhook deleted
      await receiver.close();
      const started = performance.now();
      // batches made an hour apart from 15.5 days ago (the mock's bookings travel 15 days after they are
      // made): every change in the past, every travel date in the reconciler's default window
      const deliveries = [];
      for (let made = 0; made < count; made += 200) {
        const batch = Math.min(200, count - made);
        deliveries.push(
          ...(await supplier.simulate.bookingBatch({
            count: batch,
            cancelled: batch / 4,
            amended: batch / 4,
            createdAt: new Date(Date.now() - 15.5 * DAY_MS).toISOString(),
          })),
        );
      }
      expect(deliveries.every((delivery) => delivery.state === "abandoned")).toBe(true);
      expect(supplier.webhooks).toEqual([]);
      expect(supplier.deletedWebhooks).toHaveLength(1);
      expect(await redis.hlen(`${prefix}:applied`)).toBe(0);

      // the receiver is back at the same address; one reconciliation with the watchdog
      receiver = await startReceiver(app.webhooks, { port });
      cleanup.push(() => receiver.close());
      const reconciler = createReconciler({
        receiver: app.webhooks,
        client,
        store: app.store,
        products: false,
        watch: { webhooks: [desired] },
        logger: {},
      });
      const summary = await reconciler.run();
      const recovered = performance.now() - started;
      if (mode.name === "queue") {
        await until(
          async () => (await redis.hlen(`${prefix}:latest`)) === count,
          "the workers applied every booking",
        );
      }

      // the webhook is back
      expect(summary.suppliers[0]?.recreated).toHaveLength(1);
      expect(supplier.webhooks).toHaveLength(1);
      // every final state applied, exactly once; nothing else applied
      const finals = [...supplier.bookings.values()];
      expect(finals).toHaveLength(count);
      const applied = await redis.hgetall(`${prefix}:applied`);
      const latest = await redis.hgetall(`${prefix}:latest`);
      const lost = finals.filter((b) => latest[b.uuid] !== `${b.status}|${b.utcUpdatedAt}`);
      const doubled = Object.entries(applied).filter(([, times]) => Number(times) !== 1);
      expect(lost).toEqual([]);
      expect(doubled).toEqual([]);
      expect(Object.keys(applied)).toHaveLength(count);
      const cancels = await redis.hgetall(`${prefix}:cancelled`);
      expect(Object.keys(cancels)).toHaveLength(cancelled);
      expect(Object.values(cancels).every((times) => times === "1")).toBe(true);
      expect(await redis.hgetall(`${prefix}:sources`)).toEqual({ reconciliation: String(count) });

      // a second run with nothing changed reaches no handler; the supplier's late webhooks run nothing
      const again = await reconciler.run();
      expect(again.changed).toBe(0);
      const late = finals.slice(0, 10);
      for (const booking of late) {
        await fetch(urlAt(port).replace(`${AUTH.username}:${AUTH.password}@`, ""), {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Basic ${btoa(`${AUTH.username}:${AUTH.password}`)}`,
          },
          body: JSON.stringify({ webhook: { event: "booking_update" }, booking }),
        });
      }
      if (mode.name === "queue") await new Promise((resolve) => setTimeout(resolve, 500));
      expect(Object.values(await redis.hgetall(`${prefix}:applied`)).every((times) => times === "1")).toBe(
        true,
      );
      console.log(
        `supplier gives up (${mode.name}): ${count} bookings (${cancelled} cancelled), ${deliveries.length} deliveries abandoned, ` +
          `webhook re-created, ${summary.changed} applied by reconciliation in ${summary.reads} reads; ` +
          `recovered ${Math.round(recovered)} ms after the outage began; lost ${lost.length}, doubled ${doubled.length}`,
      );
    },
  );
});
