// The accept path of a queue's receiver with `dedupe`: one Redis round trip per delivery. Core's claim
// hands this store the delivery, and one MULTI holds both the claim (a script on the delivery's claim
// key) and BullMQ's own add script, so a delivery is claimed and enqueued at once, or neither.
import type { ClaimedDelivery, ClaimResult, DeliveryStore, HandlerContext } from "@octo-webhooks/core";
import { Job, type JobsOptions, type Queue } from "bullmq";
import { type DeliveryJob, withTimeout } from "./enqueue.ts";
import type { OctoJobData, OctoJobResult } from "./job.ts";

// KEYS[1] the delivery's claim key, KEYS[2] BullMQ's deduplication key of its job; ARGV[1] the claim's
// TTL, ARGV[2] the job id, ARGV[3] how long the deduplication key lives (ms).
// The claim is `done` once enqueued, the value earlier versions also wrote after their `queue.add`; a
// claim of theirs still in progress (`processing...`) is answered 409 as they did. A claimed delivery
// lets the add that follows in the same MULTI create its job; a duplicate sets the deduplication key
// first, so that BullMQ's add script finds it and creates nothing (a job kept or removed alike).
const ACCEPT = `
local state = redis.call('GET', KEYS[1])
if state then
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
  if state == 'done' then return 'done' end
  return 'processing'
end
redis.call('SET', KEYS[1], 'done', 'PX', ARGV[1])
redis.call('DEL', KEYS[2])
return 'claimed'`;

const ACCEPT_COMMAND = "octoWebhooksAccept";

// the deduplication key only has to outlive the MULTI it is set in: nothing runs between them
const GATE_MS = 1000;

/** What the accepting store needs from the queue. */
export interface AcceptOptions {
  queue: Queue<OctoJobData, OctoJobResult>;
  /** Prefix of the claim keys: `<prefix>:claim:<key>`, as `createRedisStore` names them. */
  claimPrefix: string;
  /** The job options every job gets (the queue's defaults). */
  jobOptions: JobsOptions;
  /** The job of a delivery. */
  jobOf(delivery: ClaimedDelivery): DeliveryJob;
  /** How long a claimed delivery is remembered, in ms. */
  ttlMs: number;
  timeoutMs: number;
  /** Waits for the first connection (then resolves at once). */
  ready: () => Promise<void>;
}

/** A {@link DeliveryStore} whose claim enqueues the delivery it claims. */
export interface AcceptingStore extends DeliveryStore {
  /** Whether this store enqueued the delivery of `context` (answered once: the handler asks). */
  takeAccepted(context: HandlerContext): boolean;
}

type Results = Array<[Error | null, unknown]> | null;

/**
 * The store a receiver with `dedupe` gives core: `claim()` is the whole accept path (claim and enqueue
 * in one MULTI), `complete()` and `release()` have nothing left to do. Only the receiver uses it (a
 * claim needs its delivery, which core gives); `createRedisStore` stays the store for core alone.
 */
export function acceptingStore(options: AcceptOptions): AcceptingStore {
  const { queue, claimPrefix, jobOptions, ttlMs, timeoutMs, ready } = options;
  const accepted = new WeakSet<HandlerContext>();
  const defined = new WeakSet<object>();
  const ttl = String(Math.max(1, Math.ceil(ttlMs)));

  const accept = async (key: string, job: DeliveryJob): Promise<ClaimResult> => {
    const backend = queue.getBackend();
    const client = await backend.client;
    if (!defined.has(client)) {
      client.defineCommand(ACCEPT_COMMAND, { numberOfKeys: 2, lua: ACCEPT });
      defined.add(client);
    }
    const claimKey = `${claimPrefix}:claim:${key}`;
    const transaction = client.multi();
    transaction.runCommand(ACCEPT_COMMAND, [
      claimKey,
      `${queue.keys.de}:${job.jobId}`,
      ttl,
      job.jobId,
      String(GATE_MS),
    ]);
    const opts: JobsOptions = {
      ...jobOptions,
      jobId: job.jobId,
      deduplication: { id: job.jobId, ttl: GATE_MS },
    };
    // BullMQ's add script, queued on the same MULTI (as its flow producer does)
    const json = new Job(queue, job.name, job.data, opts, job.jobId).asJSON();
    await backend.addJobToTransaction(transaction, json, job.jobId);
    const results = (await transaction.exec()) as Results;
    const [claimError, state] = results?.[0] ?? [new Error("the transaction was discarded"), undefined];
    if (claimError) throw claimError;
    const [addError, added] = results?.[1] ?? [new Error("no answer to the add"), undefined];
    if (addError || (typeof added === "number" && added < 0)) {
      // claimed but not enqueued (Redis refused the add): forget the claim so that the retry enqueues
      if (state === "claimed") await client.del(claimKey).catch(() => undefined);
      throw addError ?? new Error(`BullMQ's add script answered ${added}`);
    }
    return state as ClaimResult;
  };

  return {
    async claim(key, _leaseMs, _token, delivery) {
      if (delivery === undefined) {
        throw new Error(
          "the claim came without its delivery (an @octo-webhooks/core older than this package?)",
        );
      }
      await ready();
      const state = await withTimeout(accept(key, options.jobOf(delivery)), timeoutMs);
      if (state === "claimed") accepted.add(delivery.context);
      return state;
    },
    // enqueued with the claim: a claimed delivery is already final
    complete() {},
    release() {},
    // the receiver has no staleGuard (the worker checks freshness when a job runs)
    recordNewest() {
      return undefined;
    },
    takeAccepted: (context) => accepted.delete(context),
  };
}
