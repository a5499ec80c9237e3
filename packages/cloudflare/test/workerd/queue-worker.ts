// The Worker of the Queues tests (inside workerd, by Miniflare): receivers at /webhooks/octo (no
// `bodies`: an over-size delivery gets 413) and /big/webhooks/octo (over-size bodies kept in R2), a
// consumer with the Durable Object store and the stale guard, which also consumes the dead-letter queue.
// Its handler fails the first run of every booking whose uuid starts with `flaky-`, and every run of
// `poison`; each applied booking is an effect counted by delivery key. `GET /state` returns what happened.
import {
  type BodyBucketLike,
  type DurableObjectNamespaceLike,
  durableObjectStore,
  type OctoDeadLetter,
  octoQueueConsumer,
  octoQueueReceiver,
  type QueueLike,
} from "../../src/index.ts";

export { OctoStoreObject } from "../../src/index.ts";

type Env = {
  OCTO_QUEUE: QueueLike;
  OCTO_STORE: DurableObjectNamespaceLike;
  OCTO_BODIES: BodyBucketLike;
  OCTO_HOOK_PASS: string;
};

/** Effects applied, by delivery key; the booking state each applied; handler runs that threw. */
const effects: Record<string, number> = {};
const applied: Record<string, string> = {};
const failedOnce = new Set<string>();
let failures = 0;
const deadLetters: OctoDeadLetter[] = [];
const sizes: Record<string, number> = {};

const auth = (env: Env) => ({ basic: { username: "octo", password: env.OCTO_HOOK_PASS } });
const receiver = octoQueueReceiver((env: Env) => ({
  queue: env.OCTO_QUEUE,
  path: "/webhooks/octo",
  auth: auth(env),
  logger: {},
}));
const bigReceiver = octoQueueReceiver((env: Env) => ({
  queue: env.OCTO_QUEUE,
  bodies: env.OCTO_BODIES,
  path: "/big/webhooks/octo",
  auth: auth(env),
  logger: {},
}));
const consumer = octoQueueConsumer((env: Env) => ({
  store: durableObjectStore(env.OCTO_STORE),
  bodies: env.OCTO_BODIES,
  staleGuard: true,
  // 0 s, then 1 s, 2 s...: the queue delivers a failed message again after that
  retryDelaySeconds: (attempts) => attempts - 1,
  deadLetterQueue: "octo-dlq",
  onDeadLetter: (letter) => void deadLetters.push(letter),
  logger: {},
  onBookingUpdate: ({ booking }, { deliveryKey, rawBody }) => {
    if (booking.uuid === "poison") {
      failures++;
      throw new Error("this booking always fails");
    }
    if (booking.uuid.startsWith("flaky-") && !failedOnce.has(deliveryKey)) {
      failedOnce.add(deliveryKey);
      failures++;
      throw new Error("the CRM is down for a moment");
    }
    effects[deliveryKey] = (effects[deliveryKey] ?? 0) + 1;
    applied[booking.uuid] = `${booking.status} ${booking.utcUpdatedAt}`;
    sizes[booking.uuid] = rawBody?.length ?? 0;
  },
}));

export default {
  async fetch(request: Request, env: Env, context: { waitUntil(promise: Promise<unknown>): void }) {
    const { pathname } = new URL(request.url);
    if (pathname === "/state") return Response.json({ effects, applied, failures, deadLetters, sizes });
    if (pathname.startsWith("/big/")) return bigReceiver.fetch(request, env, context);
    return receiver.fetch(request, env, context);
  },
  queue: consumer.queue,
};
