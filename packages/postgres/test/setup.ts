// What every queue test needs: a schema of its own, receivers, queues and workers closed after each test.
import { closeAfterEach } from "@octo-webhooks/test-helpers/vitest";
import { startReceiver } from "@octo-webhooks/testing";
import { afterAll } from "vitest";
import {
  createPostgresQueue,
  createPostgresWorker,
  type PostgresQueue,
  type PostgresQueueOptions,
  type PostgresWorker,
  type PostgresWorkerOptions,
} from "../src/index.ts";
import { capturingLogger, postgresUrl, sql, testSchema } from "./helpers.ts";

export const USER = "octo";
export const PASS = "queue-test-password";
export const credentials = { username: USER, password: PASS };
export const auth = { basic: credentials };

export function queueTests() {
  const ns = testSchema();
  // receivers first, then workers and queues: the order of a real shutdown
  const closeLater = closeAfterEach();
  afterAll(() => ns.cleanup());
  let queues = 0;

  const logger = capturingLogger();
  return {
    ns,
    logger,
    /** A queue on a fresh name, closed after the test. */
    queue(options: Partial<PostgresQueueOptions> = {}): PostgresQueue & { name: string } {
      const name = `q${++queues}`;
      const queue = createPostgresQueue({
        connection: postgresUrl,
        schema: ns.schema,
        name,
        logger,
        ...options,
      });
      closeLater(() => queue.close());
      return Object.assign(queue, { name: options.name ?? name });
    },
    /** A worker on `queue`'s name, closed after the test. */
    worker(queue: { name: string }, options: Partial<PostgresWorkerOptions> = {}): PostgresWorker {
      const worker = createPostgresWorker({
        connection: postgresUrl,
        schema: ns.schema,
        name: queue.name,
        pollIntervalMs: 100,
        logger,
        ...options,
      });
      closeLater(() => worker.close());
      return worker;
    },
    /** A real HTTP server answering with `queue.receiver({ auth })`. */
    async receiver(queue: PostgresQueue, options: Parameters<PostgresQueue["receiver"]>[0] = { auth }) {
      const receiver = await startReceiver(queue.receiver(options));
      closeLater(() => receiver.close());
      return receiver;
    },
    /** The jobs of `queue` in graphile-worker's table, as another connection sees them (committed). */
    jobs(queue: { name: string }) {
      return sqlJobs(ns.jobs, queue.name);
    },
    closeLater,
  };
}

/** graphile-worker's jobs of task `name` in schema `jobs`: key, named queue, attempts, run_at, oldest first. */
export function sqlJobs(jobs: string, name: string) {
  return sql<{ key: string | null; queue_name: string | null; attempts: number; locked_by: string | null }>(
    `select key, queue_name, attempts, locked_by from "${jobs}".jobs where task_identifier = $1 order by run_at, id`,
    [name],
  );
}
