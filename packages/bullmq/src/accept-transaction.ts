// The accept path's fallback, for a BullMQ whose add script the accept script cannot run inside its own
// (see accept-store.ts): still one round trip, a MULTI holding a claim script and BullMQ's add script.
import type { ClaimResult } from "@octo-webhooks/core";
import { Job, type JobsOptions, type Queue } from "bullmq";
import type { DeliveryJob } from "./enqueue.ts";
import type { OctoJobData, OctoJobResult } from "./job.ts";
import { ORDER_TTL_MS } from "./resource-order.ts";

// KEYS[1] the delivery's claim key, KEYS[2] BullMQ's deduplication key of its job; ARGV[1] the claim's
// TTL, ARGV[2] the job id, ARGV[3] how long the deduplication key lives (ms). A claimed delivery lets
// the add that follows in the same MULTI create its job; a duplicate sets the deduplication key first,
// so that BullMQ's add script finds it and creates nothing (its job kept or removed alike). With
// ordering, KEYS[3] and KEYS[4] are the job's resource order and its counter, ARGV[4] the order's TTL:
// a claimed job takes its place there (resource-order.ts).
const CLAIM_BEFORE_ADD = `
local state = redis.call('GET', KEYS[1])
if state then
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
  if state == 'done' then return 'done' end
  return 'processing'
end
redis.call('SET', KEYS[1], 'done', 'PX', ARGV[1])
redis.call('DEL', KEYS[2])
if #KEYS > 2 then
  redis.call('ZADD', KEYS[3], 'NX', redis.call('INCR', KEYS[4]), ARGV[2])
  redis.call('PEXPIRE', KEYS[3], ARGV[4])
end
return 'claimed'`;

const COMMAND = "octoWebhooksClaimBeforeAdd";
const ORDERED_COMMAND = "octoWebhooksClaimBeforeAddOrdered";

// the deduplication key only has to outlive the MULTI it is set in: nothing runs between them
const GATE_MS = 1000;

const defined = new WeakSet<object>();

type Results = Array<[Error | null, unknown]> | null;

/**
 * Claims and enqueues `job` in one MULTI (and puts it in its resource's `order`, the keys of
 * `orderKeys()`); the claim is forgotten if Redis refused the add.
 */
export async function acceptInTransaction(
  queue: Queue<OctoJobData, OctoJobResult>,
  claimKey: string,
  ttl: string,
  job: DeliveryJob,
  jobOptions: JobsOptions,
  order?: [order: string, seq: string],
): Promise<ClaimResult> {
  const backend = queue.getBackend();
  const client = await backend.client;
  if (!defined.has(client)) {
    client.defineCommand(COMMAND, { numberOfKeys: 2, lua: CLAIM_BEFORE_ADD });
    client.defineCommand(ORDERED_COMMAND, { numberOfKeys: 4, lua: CLAIM_BEFORE_ADD });
    defined.add(client);
  }
  const transaction = client.multi();
  const gate = [claimKey, `${queue.keys.de}:${job.jobId}`];
  const args = [ttl, job.jobId, String(GATE_MS)];
  if (order === undefined) transaction.runCommand(COMMAND, [...gate, ...args]);
  else transaction.runCommand(ORDERED_COMMAND, [...gate, ...order, ...args, String(ORDER_TTL_MS)]);
  const opts: JobsOptions = {
    ...jobOptions,
    jobId: job.jobId,
    deduplication: { id: job.jobId, ttl: GATE_MS },
  };
  const json = new Job(queue, job.name, job.data, opts, job.jobId).asJSON();
  await backend.addJobToTransaction(transaction, json, job.jobId);
  const results = (await transaction.exec()) as Results;
  const [claimError, state] = results?.[0] ?? [new Error("the transaction was discarded"), undefined];
  if (claimError) throw claimError;
  const [addError, added] = results?.[1] ?? [new Error("no answer to the add"), undefined];
  if (addError || (typeof added === "number" && added < 0)) {
    // claimed but not enqueued (Redis refused the add): forget the claim so that the retry enqueues
    if (state === "claimed") {
      await client.del(claimKey).catch(() => undefined);
      if (order !== undefined) {
        // BullMQ's client of ioredis (every other command passes through to ioredis)
        const raw = client as unknown as { zrem(key: string, member: string): Promise<number> };
        await raw.zrem(order[0], job.jobId).catch(() => undefined);
      }
    }
    throw addError ?? new Error(`BullMQ's add script answered ${added}`);
  }
  return state as ClaimResult;
}
