// OCTO webhooks on PostgreSQL alone: receivers that answer 200 only once a delivery's job is committed,
// and workers that run the handlers, with retries, dead letters and each booking's updates in order.
import { octoWebhooks } from "@octo-webhooks/express";
import { createPostgresQueue, createPostgresWorker, type Logger } from "@octo-webhooks/postgres";
import express from "express";

/** What the example reads from the environment. */
export interface PostgresExampleEnv {
  /** Where PostgreSQL is (`postgres://user:password@host:5432/database`). */
  DATABASE_URL?: string | undefined;
  /** The credentials suppliers send with each delivery (HTTP Basic). */
  OCTO_HOOK_USER?: string | undefined;
  OCTO_HOOK_PASS?: string | undefined;
  /** The schema of the example's tables (default `octo_webhooks`). */
  OCTO_SCHEMA?: string | undefined;
}

function required(env: PostgresExampleEnv, name: keyof PostgresExampleEnv): string {
  const value = env[name];
  if (!value) throw new Error(`[example-postgres] set ${name}`);
  return value;
}

const schemaOf = (env: PostgresExampleEnv) => env.OCTO_SCHEMA ?? "octo_webhooks";

/** The receiver: an Express app that commits each delivery as a job (run as many as you like). */
export function createReceiver(env: PostgresExampleEnv = process.env, logger?: Logger) {
  const queue = createPostgresQueue({
    connection: required(env, "DATABASE_URL"),
    schema: schemaOf(env),
    ordering: true, // each booking's updates handled one at a time, in order
    ...(logger === undefined ? {} : { logger }),
  });
  const app = express();
  app.use(
    octoWebhooks({
      path: "/webhooks/octo",
      webhooks: queue.receiver({
        auth: {
          basic: { username: required(env, "OCTO_HOOK_USER"), password: required(env, "OCTO_HOOK_PASS") },
        },
      }),
    }),
  );
  return { app, queue };
}

/** The worker: the handlers, run for each committed delivery (run as many as the handlers need). */
export function createWorker(
  env: PostgresExampleEnv = process.env,
  log: Logger & { info(line: string): void } = console,
) {
  return createPostgresWorker({
    connection: required(env, "DATABASE_URL"),
    schema: schemaOf(env),
    logger: log,
    staleGuard: true,
    onBookingUpdate: ({ booking }, { deliveryKey }) =>
      log.info(`booking ${booking.uuid} ${booking.status} (delivery ${deliveryKey})`),
    onBookingCancelled: ({ booking }) => log.info(`release the seats of booking ${booking.uuid}`),
    onDeadLetter: (letter) => log.error?.(`delivery ${letter.jobId} failed for good: ${letter.failedReason}`),
  });
}
