import {
  type AnyOctoEvent,
  type ClaimResult,
  createOctoWebhooks,
  type DeliveryHookOptions,
  type DeliveryStore,
  type HandlerContext,
  type LifecycleHandlerOptions,
  type Logger,
  type OctoHandlerOptions,
  type OctoWebhooks,
  type OctoWebhooksOptions,
} from "@octo-webhooks/core";
import { SETTING_OPTIONS } from "@octo-webhooks/core/adapter";
import { acceptanceLog, createHeaderForwarding, loadTraceApi } from "@octo-webhooks/queue-shared";
import type pg from "pg";
import { postgresStoreOn } from "./create-postgres-store.ts";
import { type DeliveryJob, enqueueFailed, resourceQueue, toDeliveryJob } from "./enqueue.ts";
import { configError, positiveInteger, withTimeout } from "./errors.ts";
import { DEFAULT_QUEUE_NAME, type DeadLetter, type DeadLetterRow, toDeadLetter } from "./job.ts";
import { migrateOnce } from "./migrate.ts";
import {
  defaultLogger,
  ender,
  failFast,
  ident,
  openPool,
  type PostgresConnectionOption,
  schemaName,
  watchErrors,
} from "./open-pool.ts";

/** Options of {@link createPostgresQueue}: where PostgreSQL is, the queue name, and how long to wait for it. */
export interface PostgresQueueOptions {
  /** Where PostgreSQL is: a URL (`postgres://user:pass@host:5432/db`), node-postgres `Pool` options, or a `Pool` (its options are reused, it is never ended here). */
  connection: PostgresConnectionOption;
  /** The schema of this package's tables (default `"octo_webhooks"`; graphile-worker's go in `<schema>_jobs`); the worker must use the same. */
  schema?: string;
  /** The queue name (graphile-worker's task identifier, default `"octo-webhooks"`); the worker must use the same. */
  name?: string;
  /**
   * Attempts per job, the first included (default 10). graphile-worker waits e^n seconds after the
   * n-th failure (capped at e^10, about 6 h): 10 attempts span about 9.5 h.
   */
  attempts?: number;
  /**
   * Longest wait for PostgreSQL while receiving a delivery, in ms (default 3 000): past it, or when
   * PostgreSQL refuses, the sender gets 503 + `Retry-After` and retries later. The server also cancels
   * a statement that runs longer, so a delivery answered 503 was not enqueued.
   */
  timeoutMs?: number;
  /**
   * Duplicate suppression for every receiver of this queue (default on, 24 h): a delivery already
   * enqueued is answered 200 `{"duplicate":true}` without a second job, even after its job ran. A
   * receiver claims and enqueues a delivery in one statement (one transaction), so identical
   * deliveries at once on several receivers make one job and 200 duplicates; `leaseMs` only matters to
   * a receiver given core's `telemetry` (claim, enqueue, complete: three statements). `false` leaves
   * only the job key (duplicates collapse while the job exists).
   */
  dedupe?: boolean | { ttlMs?: number; leaseMs?: number };
  /**
   * Per-resource ordering (default off): the updates of one booking (one order, one product) run one
   * at a time, in the order they were accepted, and different resources in parallel. Jobs go to one of
   * `queues` named queues (default 256) by a hash of their resource. graphile-worker then finds jobs one
   * worker at a time, which costs 15 to 40% of the workers' throughput (see the README): worth it when
   * handlers must see a resource's updates in order, and the stale guard is not enough.
   */
  ordering?: boolean | { queues?: number };
  /**
   * Request headers to carry to the worker (`context.headers` there), e.g. `["x-supplier-id"]`.
   * Credentials (`authorization`, `cookie`...) are refused: they would be stored in PostgreSQL. So are
   * the headers a receiver's `auth.header`, or any of its `suppliers`' `auth.header`, checks.
   */
  forwardHeaders?: readonly string[];
  /** Run {@link migrate} before the first delivery (default `true`); `false` when a deploy step runs it. */
  migrate?: boolean;
  /** Where connection errors are reported (default: `console`); also the receivers' default logger. */
  logger?: Logger;
}

/** What `receiver()` takes: core's options, except handlers (they run in the worker) and what the queue decides. */
export type PostgresQueueReceiverOptions<TContext = unknown> = Omit<
  OctoWebhooksOptions<TContext>,
  | Exclude<keyof OctoHandlerOptions, "onError">
  | keyof LifecycleHandlerOptions
  | Exclude<keyof DeliveryHookOptions, "onDuplicate">
  | "ackFirst"
  | "dedupe"
  | "staleGuard"
  | "store"
>;

/** What {@link createPostgresQueue} returns: a receiver that enqueues, the raw enqueue handler, dead letters, `close()`. */
export interface PostgresQueue {
  /**
   * A core receiver that validates each delivery and enqueues it, answering 200 only once the job is
   * committed (503 when PostgreSQL fails or is slow). Give it to any adapter as `webhooks`, or call its
   * `handle`/`fetch`. With `log`, each acceptance is logged (outcome `"accepted"` once enqueued); its
   * `receive()` is what `replayDeliveries()` takes: a replay is a duplicate of its enqueued delivery
   * (nothing is enqueued) unless `force`, which enqueues a job of its own that the worker runs with `force`.
   */
  receiver<TContext = unknown>(options?: PostgresQueueReceiverOptions<TContext>): OctoWebhooks<TContext>;
  /**
   * The enqueue step as an `onAny` handler, to compose your own receiver (`receiver()` enqueues in its
   * claim instead when `dedupe` is on): it resolves once the job is committed and throws a
   * `STORE_UNAVAILABLE` error (503) when it could not be.
   */
  enqueue(payload: AnyOctoEvent, context: HandlerContext): Promise<void>;
  /** Jobs that failed after their last attempt (or were refused), newest first. */
  deadLetters(options?: { offset?: number; limit?: number }): Promise<DeadLetter[]>;
  /**
   * Puts dead letters back in the queue with fresh attempts: one (its `jobId`) or, without an id,
   * every one there at the time of the call. Resolves with how many were re-driven.
   */
  redrive(jobId?: string): Promise<number>;
  /** Resolves once the schema is in place ({@link migrate}); rejects when it could not be. */
  migrate(): Promise<void>;
  /** The node-postgres pool the receivers use. */
  readonly pool: pg.Pool;
  /** Ends its connections. Stop the HTTP server first. */
  close(): Promise<void>;
}

/**
 * What `receiver()` takes: core's settings but those the queue decides (`dedupe`, `store`), those that
 * belong to the worker (`staleGuard`, `hydrate`) and `ackFirst` (the answer waits for the commit),
 * plus the two hooks that see what happens here.
 */
const QUEUE_DECIDES = new Set<string>(["ackFirst", "dedupe", "staleGuard", "store", "hydrate"]);
const RECEIVER_OPTIONS = new Set<string>([
  ...SETTING_OPTIONS.filter((name) => !QUEUE_DECIDES.has(name)),
  "onError",
  "onDuplicate",
]);

/**
 * A durable hand-off of OCTO deliveries to a graphile-worker queue in PostgreSQL, for several receivers
 * behind a load balancer and workers elsewhere (`createPostgresWorker()`). Each validated delivery
 * becomes one job, claimed and enqueued in one transaction; the sender gets 200 only once it is
 * committed, and 503 (so that it retries) when PostgreSQL fails or is slower than `timeoutMs`.
 *
 * @example
 * ```ts
 * import express from "express";
 * import { octoWebhooks } from "@octo-webhooks/express";
 * import { createPostgresQueue } from "@octo-webhooks/postgres";
 *
 * const queue = createPostgresQueue({ connection: process.env.DATABASE_URL! });
 * const app = express();
 * app.use(octoWebhooks({ path: "/webhooks/octo", webhooks: queue.receiver({ auth }) }));
 * ```
 */
export function createPostgresQueue(options: PostgresQueueOptions): PostgresQueue {
  if (typeof options !== "object" || options === null)
    configError("createPostgresQueue() takes an options object");
  const schema = schemaName(options.schema);
  const name = options.name ?? DEFAULT_QUEUE_NAME;
  if (typeof name !== "string" || !/^[\w.-]{1,64}$/.test(name)) {
    configError("`name` must be 1 to 64 letters, digits, `_`, `-` or `.`");
  }
  const attempts = positiveInteger(options.attempts, "attempts", 10);
  if (attempts > 1000) configError("`attempts` must be at most 1000");
  const timeoutMs = positiveInteger(options.timeoutMs, "timeoutMs", 3000);
  const dedupe =
    options.dedupe === false
      ? undefined
      : {
          ttlMs: 24 * 60 * 60 * 1000,
          // (with core's telemetry) a claim lives while one request claims and enqueues, each bounded
          // by timeoutMs; longer would only make the sender's retries wait (409) after a crash
          leaseMs: 2 * timeoutMs + 1000,
          ...(typeof options.dedupe === "object" ? options.dedupe : {}),
        };
  const queues =
    options.ordering === undefined || options.ordering === false
      ? 0
      : positiveInteger(
          typeof options.ordering === "object" ? options.ordering.queues : undefined,
          "ordering.queues",
          256,
        );
  const forwarding = createHeaderForwarding(options.forwardHeaders, { store: "PostgreSQL", configError });
  const logger = options.logger ?? defaultLogger;

  const pool = openPool(options.connection, failFast(timeoutMs, "octo-webhooks receiver"));
  watchErrors(pool, logger, `queue "${name}"`);
  void loadTraceApi();
  const migrated =
    options.migrate === false
      ? () => Promise.resolve()
      : migrateOnce(options.connection, schema, true, logger);
  // started at once, so that the first delivery does not wait for it; a failure is retried on use
  void migrated().catch(() => undefined);
  const S = ident(schema);
  const namespace = `queue:${name}`;
  // graphile-worker gets one attempt more than `attempts`: the spare one only records the dead letter,
  // should that have failed on the last attempt (see create-postgres-worker.ts)
  const maxAttempts = attempts + 1;
  const { pick } = forwarding;
  const queueOf = (payload: AnyOctoEvent, context: HandlerContext) =>
    queues === 0 ? null : resourceQueue(name, queues, payload, context);
  const jobOf = (payload: AnyOctoEvent, context: HandlerContext, forced = false) =>
    toDeliveryJob(payload, context, pick, queueOf, forced);
  const jobArgs = (job: DeliveryJob) => [name, JSON.stringify(job.data), job.queue, maxAttempts, job.jobId];

  const enqueueStatement = `select ${S}.enqueue($1, $2::json, $3, $4, $5)`;
  const enqueueAs = (forced: boolean) => async (payload: AnyOctoEvent, context: HandlerContext) => {
    const job = jobOf(payload, context, forced);
    try {
      await withTimeout(
        (async () => {
          await migrated();
          await pool.query(enqueueStatement, jobArgs(job));
        })(),
        timeoutMs,
      );
    } catch (error) {
      throw enqueueFailed(context.event, error);
    }
  };
  const enqueue: (payload: AnyOctoEvent, context: HandlerContext) => Promise<void> = enqueueAs(false);
  // a replay asked to apply again: never a duplicate of its delivery (a job of its own), run with `force`
  const enqueueForced = enqueueAs(true);
  // with the accept path, a delivery that reaches its handlers was claimed, so enqueued by its claim;
  // only notifications (thin bodies, never claimed: the receiver does not hydrate) are enqueued here
  const enqueueNotification = (payload: AnyOctoEvent, context: HandlerContext) =>
    context.event === "notification" ? enqueue(payload, context) : undefined;

  // the accept path: core's claim is the whole hand-off, one statement that claims the delivery and
  // adds its job (`complete` and `release` have nothing left to do)
  const acceptStatement = `select ${S}.accept($1, $2, $3, $4, $5::json, $6, $7, $8) as result`;
  const accepting: DeliveryStore | undefined =
    dedupe === undefined
      ? undefined
      : {
          async claim(key, _leaseMs, _token, delivery) {
            if (delivery === undefined) {
              throw new Error(
                "the claim came without its delivery (an @octo-webhooks/core older than this package?)",
              );
            }
            const job = jobOf(delivery.payload, delivery.context);
            return withTimeout(
              (async () => {
                await migrated();
                const { rows } = await pool.query<{ result: ClaimResult }>(acceptStatement, [
                  namespace,
                  key,
                  dedupe.ttlMs,
                  ...jobArgs(job),
                ]);
                return rows[0]?.result as ClaimResult;
              })(),
              timeoutMs,
            );
          },
          complete() {},
          release() {},
          // the receiver has no staleGuard (the worker checks freshness when a job runs)
          recordNewest() {
            return undefined;
          },
        };
  // with core's telemetry: the claim, the enqueue (inside the handler's span) and the completion
  let claimStore: DeliveryStore | undefined;

  const close = ender(pool);
  return {
    receiver<TContext>(receiverOptions: PostgresQueueReceiverOptions<TContext> = {}) {
      if (typeof receiverOptions !== "object" || receiverOptions === null) {
        configError("receiver() takes an options object");
      }
      const refused = Object.keys(receiverOptions).filter(
        (key) =>
          !RECEIVER_OPTIONS.has(key) && receiverOptions[key as keyof typeof receiverOptions] !== undefined,
      );
      if (refused.length > 0) {
        const list = refused.map((k) => `\`${k}\``).join(", ");
        configError(
          `receiver() does not take ${list}: handlers and \`staleGuard\` belong to createPostgresWorker(), ` +
            "`dedupe` to createPostgresQueue(), and the answer waits for the commit (no `ackFirst`)",
        );
      }
      const auth = forwarding.guardAuth<TContext>(receiverOptions.auth);
      const suppliers = forwarding.guardSuppliers(receiverOptions.suppliers);
      const log = acceptanceLog(receiverOptions.log);
      const common = {
        logger,
        ...receiverOptions,
        ...(auth === undefined ? {} : { auth }),
        ...(suppliers === undefined ? {} : { suppliers }),
        ...(log === undefined ? {} : { log }),
      };
      const receiver = (): OctoWebhooks<TContext> => {
        if (dedupe === undefined || accepting === undefined) {
          return createOctoWebhooks<TContext>({ ...common, onAny: enqueue });
        }
        // core's telemetry wraps each handler in a span, and the job carries that span's context: the
        // enqueue stays in the handler there, between a claim and its completion
        if (receiverOptions.telemetry !== undefined) {
          claimStore ??= postgresStoreOn(pool, schema, namespace, timeoutMs, migrated);
          return createOctoWebhooks<TContext>({ ...common, dedupe, store: claimStore, onAny: enqueue });
        }
        return createOctoWebhooks<TContext>({
          ...common,
          dedupe,
          store: accepting,
          onAny: enqueueNotification,
        });
      };
      const webhooks = receiver();
      // `receive(body, { force: true })` (a replay that applies again) is neither claimed nor deduped
      // by core, and its job must not collapse into the delivery's: a receiver of its own enqueues it
      let forced: OctoWebhooks<TContext> | undefined;
      return {
        ...webhooks,
        receive(body, receiveOptions) {
          if (receiveOptions?.force !== true) return webhooks.receive(body, receiveOptions);
          forced ??= createOctoWebhooks<TContext>({ ...common, onAny: enqueueForced });
          return forced.receive(body, receiveOptions);
        },
      };
    },
    enqueue,
    async deadLetters({ offset = 0, limit = 100 } = {}) {
      await migrated();
      const { rows } = await pool.query<DeadLetterRow>(
        `select job_id, payload, failed_reason, attempts_made, enqueued_at, failed_at from ${S}.dead_letters
         where queue = $1 order by failed_at desc, job_id offset $2 limit $3`,
        [name, offset, limit],
      );
      return rows.map(toDeadLetter);
    },
    async redrive(jobId) {
      await migrated();
      // one statement: a dead letter leaves the table only as its new job
      const { rows } = await pool.query<{ count: number }>(`select ${S}.redrive($1, $2, $3) as count`, [
        name,
        jobId ?? null,
        maxAttempts,
      ]);
      const count = rows[0]?.count ?? 0;
      if (jobId !== undefined && count === 0) configError(`no dead letter ${jobId} in queue "${name}"`);
      return count;
    },
    migrate: migrated,
    pool,
    close,
  };
}
