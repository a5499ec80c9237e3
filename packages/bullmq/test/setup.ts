// What every queue test needs: a namespace in Redis, receivers, queues and workers closed after each test.
import { createOctoClient } from "@octo-webhooks/client";
import { closeAfterEach } from "@octo-webhooks/test-helpers/vitest";
import { startMockSupplier, startReceiver } from "@octo-webhooks/testing";
import { afterAll } from "vitest";
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
  // receivers first, then workers and queues: the order of a real shutdown
  const closeLater = closeAfterEach();
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
      closeLater(() => queue.close());
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
      closeLater(() => worker.close());
      return worker;
    },
    /** A real HTTP server answering with `queue.receiver({ auth })`. */
    async receiver(queue: OctoQueue, options: Parameters<OctoQueue["receiver"]>[0] = { auth }) {
      const receiver = await startReceiver(queue.receiver(options));
      closeLater(() => receiver.close());
      return receiver;
    },
    /** A mock supplier with one booking_update webhook pointing at `url` (with our credentials). */
    async supplier(url: string, retrySchedule: number[]) {
      const supplier = await startMockSupplier({ retrySchedule, deliveryTimeoutMs: 5000 });
      closeLater(() => supplier.close());
      const client = createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey });
      const target = new URL(url);
      target.username = USER;
      target.password = PASS;
      await client.webhooks.create({ event: "booking_update", url: target.href });
      return supplier;
    },
    closeLater,
  };
}
