// OCTO webhooks in a Cloudflare Worker, durably: the route answers the supplier once the delivery is in
// a Cloudflare Queue, and the same Worker's queue consumer runs the handlers, with retries and a
// dead-letter queue. `pnpm dev` (credentials in .dev.vars), `pnpm run deploy` (wrangler secrets).
import {
  type BodyBucketLike,
  type DurableObjectNamespaceLike,
  durableObjectStore,
  octoQueueConsumer,
  octoQueueReceiver,
  type QueueLike,
} from "@octo-webhooks/cloudflare";
import { Hono } from "hono";

/** The Durable Object class of `OCTO_STORE` (wrangler.jsonc). */
export { OctoStoreObject } from "@octo-webhooks/cloudflare";

/** The Worker's bindings (wrangler.jsonc) and secrets (`wrangler secret put OCTO_HOOK_USER`, OCTO_HOOK_PASS). */
type Env = {
  OCTO_QUEUE: QueueLike;
  OCTO_STORE: DurableObjectNamespaceLike;
  OCTO_BODIES: BodyBucketLike;
  OCTO_HOOK_USER: string;
  OCTO_HOOK_PASS: string;
};

const receiver = octoQueueReceiver((env: Env) => ({
  queue: env.OCTO_QUEUE,
  bodies: env.OCTO_BODIES,
  // missing secrets answer 500 (the supplier retries), never 200
  auth: { basic: { username: env.OCTO_HOOK_USER, password: env.OCTO_HOOK_PASS } },
  logger: console,
}));

const consumer = octoQueueConsumer((env: Env) => ({
  store: durableObjectStore(env.OCTO_STORE),
  bodies: env.OCTO_BODIES,
  // a queue does not keep order: an update older than one applied is skipped
  staleGuard: true,
  retryDelaySeconds: (attempts) => Math.min(3600, 10 * 2 ** (attempts - 1)),
  deadLetterQueue: "octo-webhooks-dlq",
  onDeadLetter: (letter) =>
    console.error(
      `dead letter (${letter.reason}) ${letter.event} ${letter.deliveryKey} ${letter.failedReason ?? ""}`,
    ),
  logger: console,
  onBookingUpdate: ({ booking, diff }) => {
    const was = diff?.find((change) => change.path === "/status")?.was;
    const changed = [...new Set(diff?.map((change) => change.path?.split("/")[1]))].join(", ");
    const units = booking.unitItems?.map((unit) => unit.unitId).join(" ") ?? "no units";
    console.info(
      `booking ${booking.uuid} ${was ? `${was} -> ` : ""}${booking.status} [${units}]${changed && ` changed: ${changed}`}`,
    );
  },
  onAvailabilityUpdate: ({ availability, productId }) => {
    const left = availability.vacancies ?? "unlimited";
    console.info(
      `availability ${productId} ${availability.localDateTimeStart} ${availability.status}, ${left} left`,
    );
  },
}));

const app = new Hono<{ Bindings: Env }>();
app.post("/webhooks/octo", (c) => receiver.fetch(c.req.raw, c.env, c.executionCtx));

export default { fetch: app.fetch, queue: consumer.queue };
