// A Workers Cron Trigger's `scheduled` handler that runs a job (the client's reconciler, or anything
// with `run()`) kept alive by `ctx.waitUntil`. Generic on purpose: this package does not import the client.
import type { ExecutionContextLike } from "@octo-webhooks/core";

/** What {@link reconcileOnSchedule} runs: anything with `run()`, such as `createReconciler()`'s reconciler. */
export interface ScheduledJob {
  /** Runs the job once; the scheduled event lasts until it settles, and fails if it rejects. */
  run(): Promise<unknown>;
}

/** The `controller` Workers pass to `scheduled` (the fields this package reads). */
export interface ScheduledControllerLike {
  /** When the trigger was due, in epoch ms. */
  readonly scheduledTime: number;
  /** The cron expression that fired (`"*\/15 * * * *"`). */
  readonly cron: string;
}

/**
 * A Cloudflare Workers `scheduled` handler (a Cron Trigger) that gets a job from `make(env, controller)`
 * (bindings are only known per event) and runs it under `ctx.waitUntil`, so that the Worker lives until
 * the run is over. A job that throws or rejects fails the scheduled event (Workers logs it).
 *
 * @example
 * ```ts
 * import { createOctoClient, createReconciler } from "@octo-webhooks/client";
 * import { createOctoWebhooks, reconcileOnSchedule } from "@octo-webhooks/hono";
 *
 * type Env = { OCTO_BASE_URL: string; OCTO_API_KEY: string };
 * const webhooks = createOctoWebhooks({ staleGuard: true, onBookingCancelled: ({ booking }) => console.log(booking.uuid) });
 * export default {
 *   fetch: (request: Request) => webhooks.fetch(request),
 *   scheduled: reconcileOnSchedule((env: Env) =>
 *     createReconciler({
 *       receiver: webhooks,
 *       client: createOctoClient({ baseUrl: env.OCTO_BASE_URL, apiKey: env.OCTO_API_KEY }),
 *       maxDurationMs: 25_000,
 *     }),
 *   ),
 * };
 * ```
 */
export function reconcileOnSchedule<Env = unknown>(
  make: (env: Env, controller: ScheduledControllerLike) => ScheduledJob | Promise<ScheduledJob>,
): (controller: ScheduledControllerLike, env: Env, ctx: ExecutionContextLike) => void {
  if (typeof make !== "function") {
    throw new TypeError(
      "[@octo-webhooks/hono] reconcileOnSchedule() takes a function (env, controller) => reconciler",
    );
  }
  return (controller, env, ctx) => {
    const job = (async () => {
      const made = await make(env, controller);
      if (typeof made?.run !== "function") {
        throw new TypeError(
          "[@octo-webhooks/hono] reconcileOnSchedule(): the function returned no job with run()",
        );
      }
      await made.run();
    })();
    ctx.waitUntil(job);
  };
}
