// What every queue test needs: a namespace in Redis, receivers, queues and workers closed after each test.
import { createOctoClient } from "@octo-webhooks/client";
import { startMockSupplier, startReceiver } from "@octo-webhooks/testing";
import { afterAll, afterEach } from "vitest";
import {
  createOctoQueue,
  createOctoWorker,
  type OctoQueue,
  type OctoQueueOptions,
  type OctoWorker,
  type OctoWorkerOptions,
} from "../src/index.ts";
import { capturingLogger, namespace, redisUrl } from "./helpers.ts";

export const USER = "octo";
export const PASS = "queue-test-password";
export const credentials = { username: USER, password: PASS };
export const auth = { basic: credentials };

export function queueTests() {
  const ns = namespace();
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    // receivers first, then workers and queues: the order of a real shutdown
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(() => ns.cleanup());

  const logger = capturingLogger();
  const queueOptions = (name: string): OctoQueueOptions => ({
    connection: redisUrl,
    name,
    prefix: ns.prefix,
    backoffMs: 20,
    logger,
  });

  return {
    ns,
    logger,
    /** A queue on a fresh name, closed after the test. */
    queue(options: Partial<OctoQueueOptions> = {}): OctoQueue {
      const queue = createOctoQueue({ ...queueOptions(ns.name()), ...options });
      closers.push(() => queue.close());
      return queue;
    },
    /** A worker on `queue`'s name, closed after the test. */
    worker(queue: OctoQueue, options: Partial<OctoWorkerOptions> = {}): OctoWorker {
      const worker = createOctoWorker({
        connection: redisUrl,
        name: queue.queue.name,
        prefix: ns.prefix,
        logger,
        ...options,
      });
      closers.push(() => worker.close());
      return worker;
    },
    /** A real HTTP server answering with `queue.receiver({ auth })`. */
    async receiver(queue: OctoQueue, options: Parameters<OctoQueue["receiver"]>[0] = { auth }) {
      const receiver = await startReceiver(queue.receiver(options));
      closers.push(() => receiver.close());
      return receiver;
    },
    /** A mock supplier with one booking_update webhook pointing at `url` (with our credentials). */
    async supplier(url: string, retrySchedule: number[]) {
      const supplier = await startMockSupplier({ retrySchedule, deliveryTimeoutMs: 5000 });
      closers.push(() => supplier.close());
      const client = createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey });
      const target = new URL(url);
      target.username = USER;
      target.password = PASS;
      await client.webhooks.create({ event: "booking_update", url: target.href });
      return supplier;
    },
    closeLater(close: () => Promise<void>) {
      closers.push(close);
    },
  };
}
