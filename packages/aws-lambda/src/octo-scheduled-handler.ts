// A Lambda handler for an EventBridge schedule that runs a job (the client's reconciler, or anything with
// `run()`) to its end before it returns, stopped shortly before the function's timeout so that it ends
// with a summary (and what to resume from) rather than being killed. This package does not import the client.
import type { Context, ScheduledEvent } from "aws-lambda";

const ADAPTER = "@octo-webhooks/aws-lambda";

/** What {@link octoScheduledHandler} runs: anything with `run()`, such as `createReconciler()`'s reconciler. */
export interface OctoScheduledJob<TResult = unknown> {
  /** Runs the job; `signal` aborts shortly before the function's timeout. */
  run(options?: { signal?: AbortSignal | undefined }): Promise<TResult>;
}

/** Options of {@link octoScheduledHandler}. */
export interface OctoScheduledOptions {
  /** How long before the function's timeout the job's `signal` aborts, in ms (default 3 000). */
  stopBeforeTimeoutMs?: number;
}

/**
 * A Lambda handler for a schedule (an EventBridge rule's `Scheduled Event`, or an EventBridge Scheduler
 * target): it gets a job from `make(event, context)`, runs it, and resolves with what `run()` resolved
 * (the reconciler's summary), so that the invocation's result shows it. Lambda has no `waitUntil`: the
 * run ends before the handler returns. Its `signal` aborts `stopBeforeTimeoutMs` before the function's
 * timeout (the reconciler then stops, resumable from `summary.resume`). A job that rejects fails the
 * invocation.
 *
 * @example
 * ```ts
 * import { octoScheduledHandler, type OctoScheduledJob } from "@octo-webhooks/aws-lambda";
 *
 * declare const reconciler: OctoScheduledJob; // createReconciler({ receiver, client }) of @octo-webhooks/client
 * export const handler = octoScheduledHandler(() => reconciler);
 * ```
 */
export function octoScheduledHandler<TResult = unknown, TEvent = ScheduledEvent>(
  make: (event: TEvent, context: Context) => OctoScheduledJob<TResult> | Promise<OctoScheduledJob<TResult>>,
  options: OctoScheduledOptions = {},
): (event: TEvent, context: Context) => Promise<TResult> {
  if (typeof make !== "function") {
    throw new TypeError(
      `[${ADAPTER}] octoScheduledHandler() takes a function (event, context) => reconciler`,
    );
  }
  const margin = options.stopBeforeTimeoutMs ?? 3000;
  if (typeof margin !== "number" || !(margin >= 0) || margin === Number.POSITIVE_INFINITY) {
    throw new TypeError(`[${ADAPTER}] \`stopBeforeTimeoutMs\` must be a number of ms, 0 or more`);
  }
  return async (event, context) => {
    const job = await make(event, context);
    if (typeof job?.run !== "function") {
      throw new TypeError(`[${ADAPTER}] octoScheduledHandler(): the function returned no job with run()`);
    }
    const controller = new AbortController();
    const remaining =
      typeof context?.getRemainingTimeInMillis === "function"
        ? context.getRemainingTimeInMillis()
        : undefined;
    const timer =
      remaining === undefined
        ? undefined
        : setTimeout(() => controller.abort(), Math.max(0, remaining - margin));
    try {
      return await job.run({ signal: controller.signal });
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  };
}
