// How the reconciler is polite to one supplier: reads started at most `ratePerSecond` a second, a 429
// (or a 503 with `Retry-After`) pausing every read of that supplier for as long as it asks, and no read
// started past the run's deadline. The client throws a 4xx at once; the wait lives here because only the
// reconciler knows the supplier's other reads and the run's deadline.
import type { Logger } from "@octo-webhooks/core";
import { OctoApiError, PACKAGE_PREFIX } from "../errors.ts";

/** Thrown to stop a supplier's part of a run, resumable: the deadline, a signal, a wait too long. */
export class Stop extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "Stop";
  }
}

/** How many times one read is tried again after a 429. */
const MAX_WAITS = 5;
/** The longest wait a supplier may ask for before its part of the run stops (resumable). */
const MAX_WAIT_MS = 5 * 60_000;
/** The wait after a 429 without `Retry-After`: doubled each time. */
const FIRST_WAIT_MS = 1000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Stop("stopped"));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Stop("stopped"));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The wait a failed read asks for: a 429, or a 5xx the client gave up on with `Retry-After`. */
function askedWait(error: unknown, attempt: number): number | undefined {
  if (!(error instanceof OctoApiError)) return undefined;
  if (error.status === 429) return error.retryAfterMs ?? FIRST_WAIT_MS * 2 ** (attempt - 1);
  if (error.status >= 500 && error.retryAfterMs !== undefined) return error.retryAfterMs;
  return undefined;
}

/** One supplier's reads during one run. */
export interface SupplierLane {
  /** Sends one read when its turn comes, waiting out a 429; throws `Stop`, or the read's error. */
  read<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Whether this supplier's part of the run must stop. */
  readonly stopped: boolean;
}

export function supplierLane(settings: {
  ratePerSecond: number;
  /** Epoch ms after which no read starts. */
  deadline: number;
  signal: AbortSignal;
  logger: Logger;
  supplier: string | undefined;
  /** Counts each request sent. */
  onRead(): void;
}): SupplierLane {
  const { signal, logger, supplier } = settings;
  const interval = 1000 / settings.ratePerSecond;
  let nextStart = 0;
  let pausedUntil = 0;
  let stopReason: string | undefined;
  const shown = supplier === undefined ? "the supplier" : `supplier ${supplier}`;

  /** Waits for this read's start: spaced by the rate, after any pause, before the deadline. */
  const turn = async () => {
    for (;;) {
      if (stopReason !== undefined) throw new Stop(stopReason);
      if (signal.aborted) throw new Stop("stopped");
      const now = Date.now();
      const start = Math.max(now, nextStart, pausedUntil);
      if (start > settings.deadline) throw new Stop("the time limit");
      nextStart = start + interval;
      if (start > now) await sleep(start - now, signal);
      // a 429 that came while this read waited pushes it back
      if (pausedUntil <= Date.now()) return;
    }
  };

  return {
    get stopped() {
      return stopReason !== undefined || signal.aborted;
    },
    async read(call) {
      for (let attempt = 1; ; attempt++) {
        await turn();
        settings.onRead();
        try {
          return await call(signal);
        } catch (error) {
          if (signal.aborted) throw new Stop("stopped");
          const wait = askedWait(error, attempt);
          if (wait === undefined || attempt > MAX_WAITS) throw error;
          const until = Date.now() + wait;
          if (wait > MAX_WAIT_MS || until > settings.deadline) {
            stopReason ??= `${shown} asked to wait ${wait} ms`;
            logger.warn?.(
              `${PACKAGE_PREFIX} ${shown} answered ${(error as OctoApiError).status} asking to wait ${wait} ms, past what this run may wait; its reconciliation stops here (resume it later)`,
              { supplier },
            );
            throw new Stop(stopReason);
          }
          if (until > pausedUntil) {
            pausedUntil = until;
            logger.warn?.(
              `${PACKAGE_PREFIX} ${shown} answered ${(error as OctoApiError).status}: its reads wait ${wait} ms${(error as OctoApiError).retryAfterMs === undefined ? "" : " (Retry-After)"}`,
              { supplier },
            );
          }
        }
      }
    },
  };
}

/**
 * Runs `work` on each item, at most `concurrency` at once, in order; `done(index)` after each. A `Stop`
 * ends it (items in flight finish) and is thrown once they did.
 */
export async function inPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
  done: (index: number) => void = () => {},
): Promise<void> {
  let next = 0;
  let stop: unknown;
  const worker = async () => {
    while (stop === undefined && next < items.length) {
      const index = next++;
      try {
        await work(items[index] as T);
        done(index);
      } catch (error) {
        stop ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (stop !== undefined) throw stop;
}
