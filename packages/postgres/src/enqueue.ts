// A delivery as a graphile-worker job (its payload, job key and named queue), shared by the two ways a
// receiver enqueues: in its claim (the accept path) and in its handler (`enqueue`).
import { createHash } from "node:crypto";
import type { AnyOctoEvent, HandlerContext } from "@octo-webhooks/core";
import { activeTraceContext } from "@octo-webhooks/queue-shared";
import { postgresError } from "./errors.ts";
import { jobIdOf, type OctoJobData } from "./job.ts";

/** What a delivery is enqueued as. */
export interface DeliveryJob {
  data: OctoJobData;
  /** The job key: the delivery key (random for a notification), then its supplier's id. */
  jobId: string;
  /** The named queue of its resource, when it has one and ordering is on. */
  queue: string | null;
}

/**
 * Where each event's resource and its id are in a body: the rows of core's event table that name a
 * resource (availability updates have none to keep in order).
 */
const RESOURCES: Record<string, readonly [resource: string, id: string]> = {
  booking_update: ["booking", "uuid"],
  order_update: ["order", "id"],
  product_update: ["product", "id"],
};

/**
 * The named queue a delivery's job goes to, so that the updates of one resource run one at a time and
 * in the order they were accepted: one of `queues` queues, chosen by a hash of the resource (its kind,
 * id and supplier). A queue per resource would make graphile-worker lock every queue row each time it
 * looks for a job; a fixed set keeps that cost flat, and different resources still run in parallel
 * unless they share a queue.
 */
export function resourceQueue(
  name: string,
  queues: number,
  payload: AnyOctoEvent,
  context: HandlerContext,
): string | null {
  const row = RESOURCES[context.event];
  if (row === undefined) return null;
  const resource = (payload as unknown as Record<string, unknown>)[row[0]];
  const id =
    typeof resource === "object" && resource !== null
      ? (resource as Record<string, unknown>)[row[1]]
      : undefined;
  if (typeof id !== "string" || id === "") return null;
  const digest = createHash("sha256")
    .update(`${row[0]}\u0000${context.supplier ?? ""}\u0000${id}`)
    .digest();
  return `${name}:${digest.readUInt32BE(0) % queues}`;
}

/**
 * A delivery's job; `pick` chooses the headers to forward, `queueOf` its named queue. `forced`: a replay
 * asked to apply again (`receive(body, { force: true })`), a job of its own that the worker runs with
 * `force`.
 */
export function toDeliveryJob(
  payload: AnyOctoEvent,
  context: HandlerContext,
  pick: (headers: Headers) => Record<string, string> | undefined,
  queueOf: (payload: AnyOctoEvent, context: HandlerContext) => string | null,
  forced = false,
): DeliveryJob {
  const key = context.deliveryKey;
  const data: OctoJobData = { event: context.event, body: context.rawBody ?? JSON.stringify(payload), key };
  if (context.supplier !== undefined) data.supplier = context.supplier;
  // a supplier's delivery or a notification is told apart by the worker itself, as here
  if (context.source === "reconciliation" || context.source === "replay") data.source = context.source;
  const headers = pick(context.headers);
  if (headers !== undefined) data.headers = headers;
  const trace = activeTraceContext();
  if (trace !== undefined) data.trace = trace;
  if (forced) data.force = true;
  // an OCTO notification's thin body is the same for every change of its resource: as a job key it
  // would drop the next change while the last job is kept, so each one gets a job of its own; so does
  // a forced replay, whose delivery's job may still be waiting
  const jobKey = forced
    ? `${key}-replay-${globalThis.crypto.randomUUID()}`
    : context.event === "notification"
      ? `${key}-${globalThis.crypto.randomUUID()}`
      : key;
  return { data, jobId: jobIdOf(jobKey, context.supplier), queue: queueOf(payload, context) };
}

/** The `STORE_UNAVAILABLE` error (503) of a delivery that could not be enqueued. */
export const enqueueFailed = (event: string, error: unknown) =>
  postgresError(
    "STORE_UNAVAILABLE",
    `could not enqueue the ${event} delivery (${error instanceof Error ? error.message : "PostgreSQL failed"}); answered 503 so that the sender retries`,
    error,
  );
