import {
  type AnyOctoEvent,
  createOctoWebhooks,
  type DeliveryHookOptions,
  type HandlerContext,
  type LifecycleHandlerOptions,
  type Logger,
  type OctoHandlerOptions,
  type OctoWebhooks,
  type OctoWebhooksOptions,
} from "@octo-webhooks/core";
import { SETTING_OPTIONS } from "@octo-webhooks/core/adapter";
import { acceptanceLog, createHeaderForwarding, loadTraceApi } from "@octo-webhooks/queue-shared";
import { type JobsOptions, Queue } from "bullmq";
import { acceptingStore, canAcceptInOneTrip, recordScripts } from "./accept-store.ts";
import { type RedisStore, redisStoreOn } from "./create-redis-store.ts";
import { type DeliveryJob, enqueueFailed, type JobShape, toDeliveryJob, withTimeout } from "./enqueue.ts";
import { configError, positiveInteger } from "./errors.ts";
import {
  DEFAULT_QUEUE_NAME,
  type DeadLetter,
  type JobLike,
  type OctoJobData,
  type OctoJobResult,
  toDeadLetter,
} from "./job.ts";
import {
  closeRedis,
  defaultLogger,
  failFast,
  firstConnection,
  openRedis,
  type RedisConnectionOption,
  watchErrors,
} from "./open-redis.ts";
import { addInOrder } from "./resource-order.ts";

/** Options of {@link createOctoQueue}: where Redis is, the queue name, and how long to wait for it. */
export interface OctoQueueOptions {
  /** Where Redis is: a URL (`redis://host:6379`), ioredis options, or an ioredis instance (duplicated). */
  connection: RedisConnectionOption;
  /** The BullMQ queue name (default `"octo-webhooks"`); the worker must use the same. */
  name?: string;
  /** BullMQ's key prefix (default `"bull"`); the worker must use the same. */
  prefix?: string;
  /** Attempts per job, the first included (default 12: about 34 minutes of retries with `backoffMs` 1 000). */
  attempts?: number;
  /** The first retry's delay, in ms, doubled for each next one, ±20% jitter (default 1 000). */
  backoffMs?: number;
  /** Completed jobs kept for inspection, the newest first (default 1 000). Failed jobs are all kept. */
  keepCompleted?: number;
  /**
   * Longest wait for Redis while receiving a delivery, in ms (default 3 000): past it, or when Redis
   * refuses, the sender gets 503 + `Retry-After` and retries later.
   */
  timeoutMs?: number;
  /**
   * Duplicate suppression in Redis for every receiver of this queue (default on, 24 h): a delivery
   * already enqueued is answered 200 `{"duplicate":true}` without a second job, even after its job was
   * processed and removed. A receiver claims and enqueues a delivery in one script (one round trip), so
   * identical deliveries at once on several receivers make one job and 200 duplicates; `leaseMs` only
   * matters to a receiver given core's `telemetry` (claim, enqueue, complete: three round trips).
   * `false` leaves only the job id (duplicates collapse while the job exists).
   */
  dedupe?: boolean | { ttlMs?: number; leaseMs?: number };
  /**
   * Request headers to carry to the worker (`context.headers` there), e.g. `["x-supplier-id"]`.
   * Credentials (`authorization`, `cookie`...) are refused: they would be stored in Redis. So are the
   * headers a receiver's `auth.header`, or any of its `suppliers`' `auth.header`, checks: `receiver()`
   * refuses them when its `auth` is fixed or its `suppliers` a record, and the header names of a
   * per-request resolver's or a `suppliers` function's answers are never forwarded. (`enqueue` used in a
   * receiver of your own cannot know them: leave your auth headers out of this list.)
   */
  forwardHeaders?: readonly string[];
  /**
   * `"resource"`: the updates of one booking (one order, one product: the resource the body names) run
   * one at a time and in the order they were enqueued, on every worker of the queue, while different
   * resources run in parallel. A job that is not yet its resource's turn waits in BullMQ's delayed set
   * (no attempt used) until the one before it completed or failed for good. Costs one more Redis round
   * trip per job in the worker, and more when one resource's updates pile up (measured in the README).
   * Default `"none"`: jobs run in any order, as BullMQ hands them out. Give every receiver of the
   * queue the same setting; workers follow what each job carries.
   */
  ordering?: "resource" | "none";
  /** Where connection errors are reported (default: `console`); also the receivers' default logger. */
  logger?: Logger;
}

/** What `receiver()` takes: core's options, except handlers (they run in the worker) and what the queue decides. */
export type OctoQueueReceiverOptions<TContext = unknown> = Omit<
  OctoWebhooksOptions<TContext>,
  | Exclude<keyof OctoHandlerOptions, "onError">
  | keyof LifecycleHandlerOptions
  | Exclude<keyof DeliveryHookOptions, "onDuplicate">
  | "ackFirst"
  | "dedupe"
  | "staleGuard"
  | "store"
>;

/** What {@link createOctoQueue} returns: a receiver that enqueues, the raw enqueue handler, dead letters, `close()`. */
export interface OctoQueue {
  /**
   * A core receiver that validates each delivery and enqueues it, answering 200 only once Redis has
   * the job (503 when Redis fails). Give it to any adapter as `webhooks`, or call its `handle`/`fetch`.
   * With `log`, each acceptance is logged (outcome `"accepted"` once enqueued); its `receive()` is
   * what `replayDeliveries()` takes: a replay is a duplicate of its enqueued delivery (nothing is
   * enqueued) unless `force`, which enqueues a job of its own that the worker runs with `force`.
   */
  receiver<TContext = unknown>(options?: OctoQueueReceiverOptions<TContext>): OctoWebhooks<TContext>;
  /**
   * The enqueue step as an `onAny` handler, to compose your own receiver (one `queue.add`; `receiver()`
   * enqueues in its claim instead when `dedupe` is on): it resolves once Redis acknowledged the job and
   * throws a `STORE_UNAVAILABLE` error (503) when it could not.
   */
  enqueue(payload: AnyOctoEvent, context: HandlerContext): Promise<void>;
  /** Jobs that failed after their last attempt (or were refused), newest first. */
  deadLetters(options?: { offset?: number; limit?: number }): Promise<DeadLetter[]>;
  /**
   * Puts dead letters back in the queue with fresh attempts: one (its `jobId`) or, without an id,
   * every job failed at the time of the call. Resolves with how many were re-driven.
   */
  redrive(jobId?: string): Promise<number>;
  /** The BullMQ queue (counts, cleaning, dashboards). */
  readonly queue: Queue<OctoJobData, OctoJobResult>;
  /** Closes the queue and its Redis connection. Stop the HTTP server first. */
  close(): Promise<void>;
}

/**
 * What `receiver()` takes: core's settings but those the queue decides (`dedupe`, `store`), those that
 * belong to the worker (`staleGuard`, `hydrate`) and `ackFirst` (the answer waits for Redis), plus the
 * two hooks that see what happens here.
 */
const QUEUE_DECIDES = new Set<string>(["ackFirst", "dedupe", "staleGuard", "store", "hydrate"]);
const RECEIVER_OPTIONS = new Set<string>([
  ...SETTING_OPTIONS.filter((name) => !QUEUE_DECIDES.has(name)),
  "onError",
  "onDuplicate",
]);

/**
 * A durable hand-off of OCTO deliveries to a BullMQ queue in Redis, for several receivers behind a load
 * balancer and workers elsewhere (`createOctoWorker()`). Each validated delivery becomes one job whose
 * id is its delivery key, so duplicates collapse; the sender gets 200 only once Redis has the job, and
 * 503 (so that it retries) when Redis fails or is slower than `timeoutMs`.
 *
 * @example
 * ```ts
 * import express from "express";
 * import { octoWebhooks } from "@octo-webhooks/express";
 * import { createOctoQueue } from "@octo-webhooks/bullmq";
 *
 * const queue = createOctoQueue({ connection: process.env.REDIS_URL! });
 * const app = express();
 * app.use(octoWebhooks({ path: "/webhooks/octo", webhooks: queue.receiver({ auth }) }));
 * ```
 */
export function createOctoQueue(options: OctoQueueOptions): OctoQueue {
  if (typeof options !== "object" || options === null)
    configError("createOctoQueue() takes an options object");
  const name = options.name ?? DEFAULT_QUEUE_NAME;
  if (typeof name !== "string" || name === "" || name.includes(":")) {
    configError("`name` must be a non-empty string without `:`");
  }
  const attempts = positiveInteger(options.attempts, "attempts", 12);
  const backoffMs = positiveInteger(options.backoffMs, "backoffMs", 1000);
  const keepCompleted = options.keepCompleted ?? 1000;
  if (!Number.isInteger(keepCompleted) || keepCompleted < 0) {
    configError("`keepCompleted` must be a non-negative integer");
  }
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
  const ordering = options.ordering ?? "none";
  if (ordering !== "resource" && ordering !== "none") configError('`ordering` must be "resource" or "none"');
  const ordered = ordering === "resource";
  const forwarding = createHeaderForwarding(options.forwardHeaders, { store: "Redis", configError });
  const logger = options.logger ?? defaultLogger;
  const prefix = options.prefix ?? "bull";

  const client = openRedis(options.connection, failFast(timeoutMs));
  const scripts = recordScripts(client);
  void loadTraceApi();
  const jobOptions: JobsOptions = {
    attempts,
    backoff: { type: "exponential", delay: backoffMs, jitter: 0.2 },
    removeOnComplete: keepCompleted === 0 ? true : { count: keepCompleted },
    removeOnFail: false,
  };
  const queue = new Queue<OctoJobData, OctoJobResult>(name, {
    connection: client,
    prefix,
    defaultJobOptions: jobOptions,
  });
  watchErrors(queue, logger, `queue "${name}"`);
  if (ordered && !canAcceptInOneTrip(queue)) {
    void queue.close().finally(() => closeRedis(client));
    configError("`ordering` needs a BullMQ whose backend offers `addJobToTransaction` (6.7 does)");
  }
  const ready = firstConnection(client, timeoutMs);
  const claimPrefix = `${prefix}:${name}:octo`;
  const { pick } = forwarding;
  // with dedupe, the accept path: core's claim enqueues (one round trip), see accept-store.ts; with a
  // BullMQ that no longer offers what it builds on, the claim, the add and the completion (three trips)
  const accepting =
    dedupe === undefined || !canAcceptInOneTrip(queue)
      ? undefined
      : acceptingStore({
          queue,
          client,
          scripts,
          claimPrefix,
          jobOptions,
          jobOf: ({ payload, context }) => toDeliveryJob(payload, context, pick, { ordered }),
          ttlMs: dedupe.ttlMs,
          timeoutMs,
          ready,
        });
  // with core's telemetry, the claim, the add (inside the handler's span) and the completion: see receiver()
  let claimStore: RedisStore | undefined;

  const add = async (job: DeliveryJob): Promise<void> => {
    if (job.data.resource === undefined) await queue.add(job.name, job.data, { jobId: job.jobId });
    else await addInOrder(queue, client, job, jobOptions, claimPrefix);
  };
  const enqueueAs = (shape: JobShape) => async (payload: AnyOctoEvent, context: HandlerContext) => {
    try {
      await withTimeout(add(toDeliveryJob(payload, context, pick, shape)), timeoutMs);
    } catch (error) {
      throw enqueueFailed(context.event, error);
    }
  };
  const enqueue: (payload: AnyOctoEvent, context: HandlerContext) => Promise<void> = enqueueAs({ ordered });
  // a replay asked to apply again: never a duplicate of its delivery (a job of its own), run with `force`
  const enqueueForced = enqueueAs({ ordered, forced: true });
  // with the accept path, a delivery that reaches its handlers was claimed, so enqueued by its claim;
  // only notifications (thin bodies, never claimed: the receiver does not hydrate) are enqueued here
  const enqueueNotification = (payload: AnyOctoEvent, context: HandlerContext) =>
    context.event === "notification" ? enqueue(payload, context) : undefined;

  let closing: Promise<void> | undefined;
  return {
    receiver<TContext>(receiverOptions: OctoQueueReceiverOptions<TContext> = {}) {
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
          `receiver() does not take ${list}: handlers and \`staleGuard\` belong to createOctoWorker(), ` +
            "`dedupe` to createOctoQueue(), and the answer waits for Redis (no `ackFirst`)",
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
        if (dedupe === undefined) return createOctoWebhooks<TContext>({ ...common, onAny: enqueue });
        // core's telemetry wraps each handler in a span, and the job carries that span's context: the
        // add stays in the handler there, between a claim and its completion (three round trips)
        if (receiverOptions.telemetry !== undefined || accepting === undefined) {
          claimStore ??= redisStoreOn(client, claimPrefix, ready);
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
      const jobs = await queue.getFailed(offset, offset + limit - 1);
      return jobs.map((job) => toDeadLetter(job as unknown as JobLike));
    },
    async redrive(jobId) {
      const ids =
        jobId !== undefined
          ? [jobId]
          : (await queue.getFailed(0, -1)).map((job) => job.id).filter((id) => id !== undefined);
      let redriven = 0;
      for (const id of ids) {
        const job = await queue.getJob(id);
        if (job === undefined) {
          if (jobId !== undefined) configError(`no job ${id} in queue "${name}"`);
          continue;
        }
        if ((await job.getState()) !== "failed") {
          if (jobId !== undefined)
            configError(`job ${id} has not failed; only dead letters can be re-driven`);
          continue;
        }
        await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
        redriven++;
      }
      return redriven;
    },
    queue,
    close() {
      closing ??= (async () => {
        try {
          await queue.close();
        } finally {
          await closeRedis(client);
        }
      })();
      return closing;
    },
  };
}
