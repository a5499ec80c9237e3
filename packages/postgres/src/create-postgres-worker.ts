import { EventEmitter } from "node:events";
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
import {
  Logger as GraphileLogger,
  type Worker as GraphileWorkerInstance,
  type Job,
  type JobHelpers,
  type Runner,
  run,
  type WorkerEvents,
  type WorkerPool,
} from "graphile-worker";
import { createPostgresStore, type PostgresStore, sweepExpired } from "./create-postgres-store.ts";
import { configError, PREFIX, positiveInteger } from "./errors.ts";
import { DEFAULT_QUEUE_NAME, type DeadLetter, type OctoJobData, toDeadLetter } from "./job.ts";
import { jobsSchemaOf, migrateOnce } from "./migrate.ts";
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

/** What the worker's `octo.webhook.process` span says it is. */
const TRACING = { system: "graphile_worker", tracer: "@octo-webhooks/postgres" };

/** Options of {@link createPostgresWorker}: core's handlers and lifecycle handlers, plus PostgreSQL, concurrency and liveness. */
export interface PostgresWorkerOptions
  extends OctoHandlerOptions,
    LifecycleHandlerOptions,
    Pick<DeliveryHookOptions, "onStale"> {
  /** Where PostgreSQL is: a URL (`postgres://user:pass@host:5432/db`), node-postgres `Pool` options, or a `Pool` (its options are reused, it is never ended here). */
  connection: PostgresConnectionOption;
  /** The schema given to `createPostgresQueue()` (default `"octo_webhooks"`). */
  schema?: string;
  /** The queue to work on (default `"octo-webhooks"`): the name given to `createPostgresQueue()`. */
  name?: string;
  /** Jobs processed at once by this worker (default 8); it opens that many connections and 3 more. */
  concurrency?: number;
  /**
   * How long a worker that stopped renewing its liveness keeps its jobs, in ms (default 30 000). Each
   * worker renews it every third of this; when a worker process dies (SIGKILL, OOM, power loss), the
   * others unlock its jobs (and the queues of their resources) within about twice this time, and they
   * run again.
   */
  lockDurationMs?: number;
  /** How often idle workers look for jobs that became due (retries), in ms (default 2 000); new jobs are announced at once. */
  pollIntervalMs?: number;
  /** Core's validation mode for the bodies (default `"lenient"`). */
  validation?: "lenient" | "strict";
  /** Core's handling of events this version does not model (default `"accept"`). */
  unknownEvents?: "accept" | "reject";
  /**
   * Skip out-of-order `booking_update`s (and `order_update`s, `product_update`s), checked when a job
   * runs (a retried job runs after later updates of its resource), in PostgreSQL so that every worker
   * sees the same newest update (default off).
   */
  staleGuard?: boolean | StaleGuardOptions;
  /** Where `staleGuard` keeps its state (default: a PostgreSQL store in `schema`, namespace `queue:<name>`). */
  store?: DeliveryStore;
  /** Sees each job that failed for good: after its last attempt, or refused (a `NonRetryableError`, an invalid body). */
  onDeadLetter?: (deadLetter: DeadLetter, error: Error) => unknown;
  /** Fetches the resource of an OCTO notification job (core's `hydrate`); a failure retries the job. */
  hydrate?: HydrateOption;
  /** Start processing at once (default `true`); else call `worker.run()`. */
  autorun?: boolean;
  /** Run {@link migrate} before starting (default `true`); `false` when a deploy step runs it. */
  migrate?: boolean;
  /** Where handler failures and connection errors are reported (default: warnings and errors to `console`). */
  logger?: Logger;
  /** Core's `telemetry` (`openTelemetry()` from `@octo-webhooks/core/otel`): the worker's receive and handler spans. */
  telemetry?: OctoTelemetry;
  /**
   * Core's delivery log (`createPostgresLog()`, shareable with the queue's receivers): one entry per run
   * of a job's handlers, without a status, its outcome `"handled"`, `"failed"`, `"stale"`, `"unchanged"`...
   */
  log?: OctoWebhooksOptions["log"];
}

/**
 * A running worker: register more handlers with core's methods (`on`, `onBookingCancelled`...), and
 * `close()` it on shutdown.
 */
export interface PostgresWorker extends Omit<OctoWebhooks, "handle" | "fetch" | "drain" | "receive"> {
  /** Starts processing (with `autorun: false`); resolves once started. */
  run(): Promise<void>;
  /** Resolves once migrated and connected, and processing (unless `autorun: false` and `run()` not called yet). */
  waitUntilReady(): Promise<void>;
  /** graphile-worker's runner once started (its `events`), else `undefined`. */
  readonly runner: Runner | undefined;
  /** Stops taking jobs, waits for the running ones to finish, then closes every connection. */
  close(): Promise<void>;
}

/** Options of ours, not core's. */
const WORKER_KEYS = new Set([
  "connection",
  "schema",
  "name",
  "concurrency",
  "lockDurationMs",
  "pollIntervalMs",
  "store",
  "autorun",
  "migrate",
  "onDeadLetter",
]);
/** Core options that mean nothing once a delivery is in the queue. */
const RECEIVER_ONLY: Record<string, string> = {
  auth: "requests are authenticated by the receiver (queue.receiver({ auth }))",
  maxBodyBytes: "bodies are read by the receiver",
  bodyTimeoutMs: "bodies are read by the receiver",
  realm: "requests are authenticated by the receiver",
  ackFirst: "a job is acknowledged once its handlers resolved",
  dedupe: "duplicates are suppressed when enqueued (createPostgresQueue's `dedupe`)",
  onDuplicate: "duplicates are suppressed when enqueued (queue.receiver({ onDuplicate }))",
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

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Processes the deliveries `createPostgresQueue()` enqueued, with the same typed handlers and lifecycle
 * events as core (`onBookingUpdate`, `onBookingCancelled`, `on("booking.amended", ...)`): each job goes
 * through core's `receive()` with its delivery key, on graphile-worker. The jobs of one resource (a
 * booking, an order, a product) run one at a time, in the order they were accepted. A handler that
 * throws fails the job, which graphile-worker retries with exponential backoff; a job out of attempts,
 * or refused (`NonRetryableError`, a body core refuses), becomes a dead letter (`queue.deadLetters()`,
 * `queue.redrive()`).
 *
 * @example
 * ```ts
 * import { createPostgresWorker } from "@octo-webhooks/postgres";
 *
 * const worker = createPostgresWorker({
 *   connection: process.env.DATABASE_URL!,
 *   onBookingCancelled: async ({ booking }) => crm.cancel(booking.uuid),
 *   onDeadLetter: (letter) => alert(`OCTO delivery ${letter.jobId} failed: ${letter.failedReason}`),
 * });
 * process.on("SIGTERM", () => void worker.close());
 * ```
 */
export function createPostgresWorker(options: PostgresWorkerOptions): PostgresWorker {
  if (typeof options !== "object" || options === null)
    configError("createPostgresWorker() takes an options object");
  const schema = schemaName(options.schema);
  const name = options.name ?? DEFAULT_QUEUE_NAME;
  if (typeof name !== "string" || name === "") configError("`name` must be a non-empty string");
  const concurrency = positiveInteger(options.concurrency, "concurrency", 8);
  const lockDurationMs = positiveInteger(options.lockDurationMs, "lockDurationMs", 30_000);
  const pollIntervalMs = positiveInteger(options.pollIntervalMs, "pollIntervalMs", 2000);
  const logger = options.logger ?? defaultLogger;
  if (options.onDeadLetter !== undefined && typeof options.onDeadLetter !== "function") {
    configError("`onDeadLetter` must be a function");
  }

  const coreOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || WORKER_KEYS.has(key)) continue;
    const why = RECEIVER_ONLY[key];
    if (why !== undefined) configError(`createPostgresWorker() does not take \`${key}\`: ${why}`);
    coreOptions[key] = value;
  }
  // options are checked before any connection opens, so that a mistake leaves nothing running
  let ownStore: PostgresStore | undefined;
  let store = options.store;
  if (options.staleGuard !== undefined && options.staleGuard !== false && store === undefined) {
    ownStore = createPostgresStore({
      connection: options.connection,
      schema,
      namespace: `queue:${name}`,
      logger,
      ...(options.migrate === false ? { migrate: false } : {}),
    });
    store = ownStore;
  }
  let webhooks: OctoWebhooks;
  try {
    webhooks = createOctoWebhooks({ ...coreOptions, logger, ...(store === undefined ? {} : { store }) });
  } catch (error) {
    void ownStore?.close();
    throw error;
  }

  const S = ident(schema);
  const J = ident(jobsSchemaOf(schema));
  const pool = openPool(options.connection, {
    max: concurrency + 3,
    application_name: "octo-webhooks worker",
  });
  const reportError = watchErrors(pool, logger, `worker of "${name}"`);
  // the liveness heartbeat and the sweep of dead workers' locks on a connection of their own, with
  // bounded waits: after an outage graphile-worker can hold every connection of the jobs' pool (workers
  // that stopped mid-job do not give theirs back), and a heartbeat queued behind them would never unlock
  // the jobs those workers held
  const beatPool = openPool(options.connection, {
    ...failFast(Math.max(1000, lockDurationMs), "octo-webhooks worker heartbeat"),
    max: 1,
  });
  const reportBeatError = watchErrors(beatPool, logger, `worker of "${name}" (heartbeat)`);
  const endBeatPool = ender(beatPool);
  const migrated =
    options.migrate === false
      ? () => Promise.resolve()
      : migrateOnce(options.connection, schema, true, logger);

  const receiveJob = async (data: OctoJobData) => {
    await webhooks.receive(data.body, {
      deliveryKey: data.key,
      ...(data.headers === undefined ? {} : { headers: data.headers }),
      ...(typeof data.supplier === "string" ? { supplier: data.supplier } : {}),
      ...(data.source === "reconciliation" || data.source === "replay" ? { source: data.source } : {}),
      ...(data.force === true ? { force: true } : {}),
    });
  };

  /** Records a job's dead letter; it leaves the jobs once the task returns. */
  const deadLetter = async (
    job: Job,
    helpers: JobHelpers,
    payload: unknown,
    reason: string,
    attemptsMade: number,
    error: Error,
  ) => {
    const jobId = job.key ?? `job-${job.id}`;
    const resourceQueue = await helpers.getQueueName();
    const { rows } = await pool.query(
      `insert into ${S}.dead_letters (job_id, queue, payload, resource_queue, failed_reason, attempts_made, enqueued_at)
       values ($1, $2, $3::json, $4, $5, $6, $7)
       on conflict (queue, job_id) do update set payload = excluded.payload, resource_queue = excluded.resource_queue,
         failed_reason = excluded.failed_reason, attempts_made = excluded.attempts_made, failed_at = now()
       returning job_id, payload, failed_reason, attempts_made, enqueued_at, failed_at`,
      [jobId, name, JSON.stringify(payload ?? null), resourceQueue, reason, attemptsMade, job.created_at],
    );
    const data = payload as Partial<OctoJobData> | undefined;
    logger.error?.(
      `${PREFIX} job ${jobId} (${data?.event ?? "unknown"}) failed for good after ${attemptsMade} attempt(s); ` +
        "it stays among the dead letters until re-driven (queue.redrive())",
      { event: data?.event, deliveryKey: data?.key, supplier: data?.supplier },
    );
    if (options.onDeadLetter === undefined || rows[0] === undefined) return;
    const letter = toDeadLetter(rows[0]);
    void (async () => options.onDeadLetter?.(letter, error))().catch((hookError: unknown) =>
      logger.error?.(`${PREFIX} an onDeadLetter handler threw`, { error: hookError }),
    );
  };

  const task = async (payload: unknown, helpers: JobHelpers): Promise<void> => {
    const { job } = helpers;
    // graphile-worker's last attempt is a spare one: it only records the dead letter, had that failed
    const attempts = job.max_attempts - 1;
    const data = payload as Partial<OctoJobData> | undefined;
    if (job.attempts > attempts) {
      const error = new Error(job.last_error ?? "failed");
      await deadLetter(job, helpers, payload, error.message, attempts, error);
      return;
    }
    if (typeof data?.body !== "string" || typeof data.key !== "string") {
      const error = new Error(`job ${job.id} was not enqueued by createPostgresQueue() (no body and key)`);
      await deadLetter(job, helpers, payload, error.message, job.attempts, error);
      return;
    }
    try {
      await inProcessSpan(
        {
          id: job.key ?? String(job.id),
          name: typeof data.event === "string" ? data.event : "unknown",
          attemptsMade: job.attempts - 1,
          queueName: name,
          data,
        },
        () => receiveJob(data as OctoJobData),
        TRACING,
      );
    } catch (error) {
      const final = finalFailure(error);
      if (final === undefined && job.attempts < attempts) throw error;
      const reason = final ?? messageOf(error);
      try {
        await deadLetter(
          job,
          helpers,
          payload,
          reason,
          job.attempts,
          error instanceof Error ? error : new Error(reason),
        );
      } catch (recordError) {
        // the spare attempt records it later
        throw new Error(reason, { cause: recordError });
      }
    }
  };

  // graphile-worker's own log: its errors and warnings (connection trouble), not each job's failure
  // (core logs a handler's failure, and a dead letter is logged above)
  const graphileLogger = new GraphileLogger(() => (level, message, meta) => {
    if ((meta as { failure?: unknown } | undefined)?.failure) return;
    if (level === "error") reportError(new Error(`graphile-worker: ${message}`));
    else if (level === "warning") logger.warn?.(`${PREFIX} graphile-worker: ${message}`, {});
  });

  // liveness: the ids of this process's live graphile-worker workers, renewed in `<schema>.workers`
  const workerIds = new Set<string>();
  // every id this process had, whose rows close() deletes
  const everyId = new Set<string>();
  const events: WorkerEvents = new EventEmitter();
  // the live workers of each runner's pool (see `replaceLost` below)
  const livePerPool = new Map<WorkerPool, number>();
  events.on("worker:create", ({ worker }) => {
    workerIds.add(worker.workerId);
    everyId.add(worker.workerId);
    livePerPool.set(worker.workerPool, (livePerPool.get(worker.workerPool) ?? 0) + 1);
  });
  // While one of its workers looks for a job, graphile-worker locks every free named queue, and a sibling
  // looking at the same moment finds nothing and waits for the next poll: each job that starts or ends
  // wakes one idle sibling instead (one query more per job; without it, a backlog in named queues
  // drained six times slower here).
  const idle = new Set<GraphileWorkerInstance>();
  let stopping = false;
  const wakeOne = () => {
    for (const worker of idle) {
      idle.delete(worker);
      if (stopping) return;
      try {
        if (worker.nudge()) return;
      } catch {
        // stopped meanwhile (a listener must never throw: graphile-worker would take it for a fatal error)
      }
    }
  };
  events.on("worker:getJob:empty", ({ worker }) => void idle.add(worker));
  events.on("job:start", ({ worker }) => {
    idle.delete(worker);
    wakeOne();
  });
  events.on("job:complete", wakeOne);
  events.on("worker:release", ({ worker }) => void idle.delete(worker));
  events.on("worker:stop", ({ worker }) => void idle.delete(worker));
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let lastSweep = 0;
  const beat = async () => {
    const ids = [...workerIds];
    if (ids.length > 0) {
      await beatPool.query(
        `insert into ${S}.workers (worker_id, seen_at) select unnest($1::text[]), now()
         on conflict (worker_id) do update set seen_at = now()`,
        [ids],
      );
    }
    // the workers whose jobs are locked but who stopped renewing: another process died
    const { rows } = await beatPool.query<{ ids: string[] | null }>(
      `select array_agg(distinct jobs.locked_by) as ids from ${J}.jobs as jobs
       where jobs.locked_by is not null and jobs.locked_at < now() - $1 * interval '1 millisecond'
       and not exists (
         select 1 from ${S}.workers as w
         where w.worker_id = jobs.locked_by and w.seen_at > now() - $1 * interval '1 millisecond'
       )`,
      [lockDurationMs],
    );
    const dead = rows[0]?.ids ?? [];
    if (dead.length > 0) {
      await beatPool.query(`select ${J}.force_unlock_workers($1::text[])`, [dead]);
      logger.warn?.(
        `${PREFIX} unlocked the jobs of ${dead.length} worker(s) that stopped renewing their liveness for ${lockDurationMs} ms (a process died?); they run again`,
        {},
      );
    }
    const now = Date.now();
    if (now - lastSweep > 60_000) {
      lastSweep = now;
      await beatPool.query(`delete from ${S}.workers where seen_at < now() - interval '1 day'`);
      await sweepExpired(beatPool, schema);
    }
  };

  // the runners of this process: the first, and those that replaced lost workers
  const runners = new Map<WorkerPool, Runner>();
  let creating: WorkerPool | undefined;
  events.on("pool:create", ({ workerPool }) => {
    creating = workerPool;
  });
  const startRunner = async (workers: number) => {
    creating = undefined;
    const runner = await run({
      pgPool: pool,
      schema: jobsSchemaOf(schema),
      concurrency: workers,
      pollInterval: pollIntervalMs,
      noHandleSignals: true,
      taskList: { [name]: task },
      // no crontab (graphile-worker would read ./crontab)
      parsedCronItems: [],
      logger: graphileLogger,
      events,
    });
    if (creating !== undefined) runners.set(creating, runner);
    return runner;
  };

  // graphile-worker 0.16 ends a worker for good when it cannot record a job's outcome (PostgreSQL went
  // away mid-job: "committing seppuku") and never replaces it, so each outage would take some of this
  // process's concurrency, a long one all of it. A runner of as many workers replaces those lost once
  // PostgreSQL answers again; the job a lost worker held stays locked under an id no longer renewed, so
  // the liveness check below unlocks it after lockDurationMs, as a dead process's, and it runs again.
  let lost = 0;
  let replacing: Promise<void> | undefined;
  const replaceLost = () => {
    replacing ??= (async () => {
      while (lost > 0 && !stopping) {
        const count = lost;
        try {
          await startRunner(count);
          lost -= count;
          logger.warn?.(
            `${PREFIX} replaced ${count} graphile-worker worker(s) that stopped when PostgreSQL failed mid-job`,
            {},
          );
        } catch (error) {
          reportError(error);
          await new Promise((resolve) => setTimeout(resolve, Math.min(pollIntervalMs, 1000)));
        }
      }
    })().finally(() => {
      replacing = undefined;
    });
  };
  events.on("worker:stop", ({ worker, error }) => {
    workerIds.delete(worker.workerId);
    const live = (livePerPool.get(worker.workerPool) ?? 1) - 1;
    livePerPool.set(worker.workerPool, live);
    if (error === undefined || stopping) return;
    lost++;
    // a runner left without workers only holds a connection: it goes
    const runner = runners.get(worker.workerPool);
    if (live === 0 && runner !== undefined) {
      runners.delete(worker.workerPool);
      livePerPool.delete(worker.workerPool);
      void runner.stop().catch(() => undefined);
    }
    replaceLost();
  });

  let starting: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  const start = () => {
    starting ??= (async () => {
      await migrated();
      if (closing !== undefined) return;
      await startRunner(concurrency);
      // a beat that fails (PostgreSQL went away during it) is reported and the next one runs: the first
      // one too, which once ended start() and so left the worker without any heartbeat for good
      let beating: Promise<void> | undefined;
      const beatOnce = () => {
        beating ??= beat()
          .catch((error: unknown) => reportBeatError(error))
          .finally(() => {
            beating = undefined;
          });
        return beating;
      };
      heartbeat = setInterval(() => void beatOnce(), Math.max(100, Math.floor(lockDurationMs / 3)));
      heartbeat.unref();
      await beatOnce();
    })();
    starting.catch((error: unknown) => reportError(error));
    return starting;
  };
  if (options.autorun !== false) void start().catch(() => undefined);

  const registration = { ...webhooks } as Partial<OctoWebhooks>;
  delete registration.handle;
  delete registration.fetch;
  delete registration.drain;
  delete registration.receive;

  const endPool = ender(pool);
  return {
    ...(registration as Omit<OctoWebhooks, "handle" | "fetch" | "drain" | "receive">),
    run: start,
    // with `autorun: false`, ready without processing: migrated and connected
    waitUntilReady: () =>
      options.autorun === false && starting === undefined
        ? migrated().then(async () => void (await pool.query("select 1")))
        : start(),
    get runner() {
      return runners.values().next().value;
    },
    close() {
      closing ??= (async () => {
        try {
          await starting?.catch(() => undefined);
          clearInterval(heartbeat);
          stopping = true;
          await replacing;
          await Promise.all([...runners.values()].map((runner) => runner.stop()));
          const ids = [...everyId];
          if (ids.length > 0) {
            await pool
              .query(`delete from ${S}.workers where worker_id = any($1::text[])`, [ids])
              .catch(() => undefined);
          }
        } finally {
          await endPool();
          await endBeatPool();
          await ownStore?.close();
        }
      })();
      return closing;
    },
  };
}
