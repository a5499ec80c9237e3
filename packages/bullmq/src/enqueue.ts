// A delivery as a BullMQ job (its name, data and id), shared by the two ways a receiver enqueues:
// `queue.add` in its handler, and the accept path's transaction (accept-store.ts).
import type { AnyOctoEvent, HandlerContext } from "@octo-webhooks/core";
import { activeTraceContext } from "@octo-webhooks/queue-shared";
import { bullmqError } from "./errors.ts";
import { jobIdOf, type OctoJobData } from "./job.ts";
import { resourceOf } from "./resource-of.ts";

/** What a delivery is enqueued as. */
export interface DeliveryJob {
  /** The job name: the event (`booking_update`...). */
  name: string;
  data: OctoJobData;
  /** The job id: the delivery key (random for a notification), then its supplier's id. */
  jobId: string;
}

/** How a delivery is enqueued besides its content. */
export interface JobShape {
  /** Its resource goes in the job, for the worker to keep its order (`ordering: "resource"`). */
  ordered?: boolean;
  /** A replay asked to apply again: a job of its own (the delivery's may be kept), run whatever the worker's `staleGuard` says. */
  forced?: boolean;
}

/** A delivery's job; `pick` chooses the headers to forward. */
export function toDeliveryJob(
  payload: AnyOctoEvent,
  context: HandlerContext,
  pick: (headers: Headers) => Record<string, string> | undefined,
  shape: JobShape = {},
): DeliveryJob {
  const key = context.deliveryKey;
  const data: OctoJobData = { body: context.rawBody ?? JSON.stringify(payload), key };
  if (context.supplier !== undefined) data.supplier = context.supplier;
  // a supplier's delivery or a notification is told apart by the worker itself, as here
  if (context.source === "reconciliation" || context.source === "replay") data.source = context.source;
  const headers = pick(context.headers);
  if (headers !== undefined) data.headers = headers;
  const trace = activeTraceContext();
  if (trace !== undefined) data.trace = trace;
  if (shape.ordered) {
    const resource = resourceOf(payload, context);
    if (resource !== undefined) data.resource = resource;
  }
  if (shape.forced) data.force = true;
  // an OCTO notification's thin body is the same for every change of its resource: as a job id it
  // would drop the next change while the last job is kept, so each one gets a job of its own; so does
  // a forced replay, whose delivery's job may still be kept (BullMQ ids take no `:`)
  const jobKey = shape.forced
    ? `${key}-replay-${globalThis.crypto.randomUUID()}`
    : context.event === "notification"
      ? `${key}-${globalThis.crypto.randomUUID()}`
      : key;
  return { name: context.event, data, jobId: jobIdOf(jobKey, context.supplier) };
}

/** `promise`, or a rejection once `ms` have passed without it settling. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The `STORE_UNAVAILABLE` error (503) of a delivery that could not be enqueued. */
export const enqueueFailed = (event: string, error: unknown) =>
  bullmqError(
    "STORE_UNAVAILABLE",
    `could not enqueue the ${event} delivery (${error instanceof Error ? error.message : "Redis failed"}); answered 503 so that the sender retries`,
    error,
  );
