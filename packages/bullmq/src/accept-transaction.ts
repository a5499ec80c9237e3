// The accept path's fallback, for a BullMQ whose add script the accept script cannot run inside its own
// (see accept-store.ts): still one round trip, a MULTI holding a claim script and BullMQ's add script.
import type { ClaimResult } from "@octo-webhooks/core";
import { Job, type JobsOptions, type Queue } from "bullmq";
import type { DeliveryJob } from "./enqueue.ts";
import type { OctoJobData, OctoJobResult } from "./job.ts";

// KEYS[1] the delivery's claim key, KEYS[2] BullMQ's deduplication key of its job; ARGV[1] the claim's
// TTL, ARGV[2] the job id, ARGV[3] how long the deduplication key lives (ms). A claimed delivery lets
// the add that follows in the same MULTI create its job; a duplicate sets the deduplication key first,
// so that BullMQ's add script finds it and creates nothing (its job kept or removed alike).
const CLAIM_BEFORE_ADD = `
local state = redis.call('GET', KEYS[1])
if state then
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
  if state == 'done' then return 'done' end
  return 'processing'
end
redis.call('SET', KEYS[1], 'done', 'PX', ARGV[1])
redis.call('DEL', KEYS[2])
return 'claimed'`;

const COMMAND = "octoWebhooksClaimBeforeAdd";

// the deduplication key only has to outlive the MULTI it is set in: nothing runs between them
const GATE_MS = 1000;

const defined = new WeakSet<object>();

type Results = Array<[Error | null, unknown]> | null;

/** Claims and enqueues `job` in one MULTI; the claim is forgotten if Redis refused the add. */
export async function acceptInTransaction(
  queue: Queue<OctoJobData, OctoJobResult>,
  claimKey: string,
  ttl: string,
  job: DeliveryJob,
  jobOptions: JobsOptions,
): Promise<ClaimResult> {
  const backend = queue.getBackend();
  const client = await backend.client;
  if (!defined.has(client)) {
    client.defineCommand(COMMAND, { numberOfKeys: 2, lua: CLAIM_BEFORE_ADD });
    defined.add(client);
  }
  const transaction = client.multi();
  transaction.runCommand(COMMAND, [
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
}
