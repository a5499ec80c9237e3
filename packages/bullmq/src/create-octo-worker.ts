import {
  createOctoWebhooks,
  type DeliveryHookOptions,
  type DeliveryStore,
  type HydrateOption,
  type LifecycleHandlerOptions,
  type Logger,
  NonRetryableError,
  OctoHandlerError,
  type OctoHandlerOptions,
  OctoRequestError,
  type OctoTelemetry,
  type OctoWebhooks,
  type OctoWebhooksOptions,
  type StaleGuardOptions,
} from "@octo-webhooks/core";
import { inProcessSpan } from "@octo-webhooks/queue-shared";
import { DelayedError, type Job, UnrecoverableError, Worker } from "bullmq";
import { createRedisStore, type RedisStore } from "./create-redis-store.ts";
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
  openRedis,
  type RedisConnectionOption,
  watchErrors,
} from "./open-redis.ts";
import { PARK_MS, resourceTurns } from "./resource-order.ts";

/** What the worker's `octo.webhook.process` span says it is. */
const TRACING = { system: "bullmq", tracer: "@octo-webhooks/bullmq" };

/** Options of {@link createOctoWorker}: core's handlers and lifecycle handlers, plus Redis, concurrency and retries. */
export interface OctoWorkerOptions
  extends OctoHandlerOptions,
    LifecycleHandlerOptions,
    Pick<DeliveryHookOptions, "onStale"> {
  /** Where Redis is: a URL (`redis://host:6379`), ioredis options, or an ioredis instance (duplicated). */
  connection: RedisConnectionOption;
  /** The queue to work on (default `"octo-webhooks"`): the name given to `createOctoQueue()`. */
  name?: string;
  /** BullMQ's key prefix (default `"bull"`): the one given to `createOctoQueue()`. */
  prefix?: string;
  /** Jobs processed at once by this worker (default 8). */
  concurrency?: number;
  /**
   * How long a running job's lock lasts without renewal, in ms (default 30 000). A worker renews it while
   * it runs; when a worker process dies (SIGKILL, OOM, power loss), its jobs are found stalled and run
   * again by another worker within about twice this time.
   */
  lockDurationMs?: number;
  /** Core's validation mode for the bodies (default `"lenient"`). */
  validation?: "lenient" | "strict";
  /** Core's handling of events this version does not model (default `"accept"`). */
  unknownEvents?: "accept" | "reject";
  /**
   * Skip out-of-order `booking_update`s (and `order_update`s, `product_update`s), checked when a job runs (queues and retries reorder
   * deliveries), in Redis so that every worker sees the same newest update (default off).
   */
  staleGuard?: boolean | StaleGuardOptions;
  /** Where `staleGuard` keeps its state (default: a Redis store on `connection`, prefix `<prefix>:<name>:octo`). */
  store?: DeliveryStore;
  /** Sees each job that failed for good: after its last attempt, or refused (a `NonRetryableError`, an invalid body). */
  onDeadLetter?: (deadLetter: DeadLetter, error: Error) => unknown;
  /** Fetches the resource of an OCTO notification job (core's `hydrate`); a failure retries the job. */
  hydrate?: HydrateOption;
  /** Start processing at once (default `true`); else call `worker.run()`. */
  autorun?: boolean;
  /** Where handler failures and connection errors are reported (default: warnings and errors to `console`). */
  logger?: Logger;
  /** Core's `telemetry` (`openTelemetry()` from `@octo-webhooks/core/otel`): the worker's receive and handler spans. */
  telemetry?: OctoTelemetry;
  /**
   * Core's delivery log (`createRedisLog()`, shareable with the queue's receivers): one entry per run
   * of a job's handlers, without a status, its outcome `"handled"`, `"failed"`, `"stale"`, `"unchanged"`...
   */
  log?: OctoWebhooksOptions["log"];
}

/**
 * A running worker: register more handlers with core's methods (`on`, `onBookingCancelled`...), and
 * `close()` it on shutdown.
 */
export interface OctoWorker extends Omit<OctoWebhooks, "handle" | "fetch" | "drain" | "receive"> {
  /** The BullMQ worker (events, `pause()`, `run()`). */
  readonly worker: Worker<OctoJobData, OctoJobResult>;
  /** Resolves once connected to Redis. */
  waitUntilReady(): Promise<void>;
  /** Stops taking jobs, waits for the running ones to finish, then closes every connection. */
  close(): Promise<void>;
}

/** Options of ours, not core's. */
const WORKER_KEYS = new Set([
  "connection",
  "name",
  "prefix",
  "concurrency",
  "lockDurationMs",
  "store",
  "autorun",
  "onDeadLetter",
]);
/** Core options that mean nothing once a delivery is in the queue. */
const RECEIVER_ONLY: Record<string, string> = {
  auth: "requests are authenticated by the receiver (queue.receiver({ auth }))",
  maxBodyBytes: "bodies are read by the receiver",
  bodyTimeoutMs: "bodies are read by the receiver",
  realm: "requests are authenticated by the receiver",
  ackFirst: "a job is acknowledged once its handlers resolved",
  dedupe: "duplicates are suppressed when enqueued (createOctoQueue's `dedupe`)",
  onDuplicate: "duplicates are suppressed when enqueued (queue.receiver({ onDuplicate }))",
};

/** The resource a job keeps the order of (a queue with `ordering: "resource"` put it there). */
const orderedResource = (job: Job<OctoJobData, OctoJobResult>): string | undefined => {
  const resource = (job.data as Partial<OctoJobData> | undefined)?.resource;
  return typeof resource === "string" && resource !== "" ? resource : undefined;
};

/** Why a job must not be retried, or `undefined` when a retry may succeed. */
function finalFailure(error: unknown): string | undefined {
  if (error instanceof OctoHandlerError && error.errors.every((e) => e instanceof NonRetryableError)) {
    return `refused: ${(error.errors[0] as NonRetryableError).message}`;
  }
  if (
    error instanceof OctoRequestError &&
    error.code !== "STORE_UNAVAILABLE" &&
    error.code !== "DELIVERY_IN_PROGRESS" &&
    error.code !== "HYDRATION_FAILED"
  ) {
    return error.message;
  }
  return undefined;
}

/**
 * Processes the deliveries `createOctoQueue()` enqueued, with the same typed handlers and lifecycle
 * events as core (`onBookingUpdate`, `onBookingCancelled`, `on("booking.amended", ...)`): each job goes
 * through core's `receive()` with its delivery key. A handler that throws fails the job, which BullMQ
 * retries with exponential backoff; a job out of attempts, or refused (`NonRetryableError`, a body core
 * refuses), stays in the failed set, the dead letters (`queue.deadLetters()`, `queue.redrive()`).
 *
 * @example
 * ```ts
 * import { createOctoWorker } from "@octo-webhooks/bullmq";
 *
 * const worker = createOctoWorker({
 *   connection: process.env.REDIS_URL!,
 *   onBookingCancelled: async ({ booking }) => crm.cancel(booking.uuid),
 *   onDeadLetter: (letter) => alert(`OCTO delivery ${letter.jobId} failed: ${letter.failedReason}`),
 * });
 * process.on("SIGTERM", () => void worker.close());
 * ```
 */
export function createOctoWorker(options: OctoWorkerOptions): OctoWorker {
  if (typeof options !== "object" || options === null)
    configError("createOctoWorker() takes an options object");
  const name = options.name ?? DEFAULT_QUEUE_NAME;
  if (typeof name !== "string" || name === "") configError("`name` must be a non-empty string");
  const prefix = options.prefix ?? "bull";
  const concurrency = positiveInteger(options.concurrency, "concurrency", 8);
  const lockDuration = positiveInteger(options.lockDurationMs, "lockDurationMs", 30_000);
  const logger = options.logger ?? defaultLogger;
  if (options.onDeadLetter !== undefined && typeof options.onDeadLetter !== "function") {
    configError("`onDeadLetter` must be a function");
  }

  const coreOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || WORKER_KEYS.has(key)) continue;
    const why = RECEIVER_ONLY[key];
    if (why !== undefined) configError(`createOctoWorker() does not take \`${key}\`: ${why}`);
    coreOptions[key] = value;
  }
  // options are checked before any connection opens, so that a mistake leaves nothing running
  let ownStore: RedisStore | undefined;
  let store = options.store;
  if (options.staleGuard !== undefined && options.staleGuard !== false && store === undefined) {
    ownStore = createRedisStore({ connection: options.connection, prefix: `${prefix}:${name}:octo`, logger });
    store = ownStore;
  }
  let webhooks: OctoWebhooks;
  try {
    webhooks = createOctoWebhooks({ ...coreOptions, logger, ...(store === undefined ? {} : { store }) });
  } catch (error) {
    void ownStore?.close();
    throw error;
  }

  // the job in an `octo.webhook.process` span that continues the receiver's trace (trace-context.ts),
  // once it is its resource's turn when the queue orders them (resource-order.ts)
  const processJob = async (job: Job<OctoJobData, OctoJobResult>, token?: string) => {
    const resource = orderedResource(job);
    if (resource !== undefined && token !== undefined && !(await turns.turn(job.id as string, resource))) {
      // parked until the job before it promotes it (or PARK_MS, in case that promotion was lost);
      // the check after parking catches a turn that came in between
      await job.moveToDelayed(Date.now() + PARK_MS, token);
      if (await turns.turn(job.id as string, resource)) await promote(job.id as string).catch(() => {});
      throw new DelayedError();
    }
    return inProcessSpan(job, () => receiveJob(job), TRACING);
  };
  const receiveJob = async (job: Job<OctoJobData, OctoJobResult>): Promise<OctoJobResult> => {
    const data = job.data as Partial<OctoJobData> | undefined;
    if (typeof data?.body !== "string" || typeof data.key !== "string") {
      throw new UnrecoverableError(
        `[@octo-webhooks/bullmq] job ${job.id} was not enqueued by createOctoQueue() (no body and key)`,
      );
    }
    try {
      const result = await webhooks.receive(data.body, {
        deliveryKey: data.key,
        ...(data.headers === undefined ? {} : { headers: data.headers }),
        ...(typeof data.supplier === "string" ? { supplier: data.supplier } : {}),
        ...(data.source === "reconciliation" || data.source === "replay" ? { source: data.source } : {}),
        ...(data.force === true ? { force: true } : {}),
      });
      return result.skipped === undefined
        ? { event: result.event, handlers: result.handlers }
        : { event: result.event, handlers: result.handlers, skipped: result.skipped };
    } catch (error) {
      const final = finalFailure(error);
      if (final !== undefined) throw new UnrecoverableError(final);
      throw error;
    }
  };

  const client = openRedis(options.connection, { maxRetriesPerRequest: null });
  const worker = new Worker<OctoJobData, OctoJobResult>(name, processJob, {
    connection: client,
    prefix,
    concurrency,
    lockDuration,
    stalledInterval: lockDuration,
    autorun: options.autorun ?? true,
  });
  watchErrors(worker, logger, `worker of "${name}"`);
  const promote = (jobId: string) => worker.getBackend().promote(jobId);
  const turns = resourceTurns(client, `${prefix}:${name}:octo`, worker.toKey(""), promote);
  // a job that completed or failed for good hands its resource's turn on (close() waits for that)
  const handingOn = new Set<Promise<void>>();
  const handOn = (job: Job<OctoJobData, OctoJobResult>) => {
    const resource = orderedResource(job);
    if (resource === undefined || job.id === undefined) return;
    const handing = turns
      .finish(job.id, resource)
      .catch((error: unknown) =>
        logger.warn?.(
          `[@octo-webhooks/bullmq] could not hand the turn of ${resource} on after job ${job.id}; the next job takes it within ${PARK_MS} ms`,
          { event: job.name, deliveryKey: job.data?.key, error },
        ),
      )
      .finally(() => handingOn.delete(handing));
    handingOn.add(handing);
  };
  worker.on("completed", handOn);
  worker.on("failed", (job, error) => {
    // `finishedOn` is set only when the job is not retried again
    if (job === undefined || job.finishedOn === undefined) return;
    handOn(job);
    logger.error?.(
      `[@octo-webhooks/bullmq] job ${job.id} (${job.name}) failed for good after ${job.attemptsMade} attempt(s); ` +
        "it stays among the dead letters until re-driven (queue.redrive())",
      { event: job.name, deliveryKey: job.data?.key, supplier: job.data?.supplier },
    );
    if (options.onDeadLetter === undefined) return;
    void (async () => options.onDeadLetter?.(toDeadLetter(job as unknown as JobLike), error))().catch(
      (hookError: unknown) =>
        logger.error?.("[@octo-webhooks/bullmq] an onDeadLetter handler threw", { error: hookError }),
    );
  });

  const registration = { ...webhooks } as Partial<OctoWebhooks>;
  delete registration.handle;
  delete registration.fetch;
  delete registration.drain;
  delete registration.receive;

  let closing: Promise<void> | undefined;
  return {
    ...(registration as Omit<OctoWebhooks, "handle" | "fetch" | "drain" | "receive">),
    worker,
    waitUntilReady: () => worker.waitUntilReady().then(() => undefined),
    close() {
      closing ??= (async () => {
        try {
          await worker.close();
          await Promise.all(handingOn);
        } finally {
          await closeRedis(client);
          await ownStore?.close();
        }
      })();
      return closing;
    },
  };
}
