// Per-resource ordering (`createOctoQueue({ ordering: "resource" })`): the jobs of one booking (one
// order, one product) run one at a time, in the order they were enqueued, on however many workers.
//
// Each resource has a sorted set `<prefix>:<queue>:octo:order:<resource>` of its pending jobs, scored
// by a queue-wide counter: a job is added to it in the same atomic step as its BullMQ add (the accept
// script, or the MULTI of `enqueue`), so its place is its arrival. The job at the head has the turn;
// the worker checks it before running the handlers (one script), and a job that is not at the head
// is parked: moved to BullMQ's delayed set without consuming an attempt, until the job before it
// finishes (completed, or failed for good) and promotes it. The turn needs no lease of its own: the
// head job holds it, and BullMQ's job lock already brings a job whose worker died back (stalled, run
// again, still at the head); a job out of attempts, removed, or finished without its promotion (a
// crash between the two) is skipped by the next check, which every parked job makes again after
// `PARK_MS` in case its promotion was lost.
import { Job, type JobsOptions, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { DeliveryJob } from "./enqueue.ts";
import type { OctoJobData, OctoJobResult } from "./job.ts";

/** How long a resource's order lives after its last job was enqueued, in ms (its jobs leave it as they finish). */
export const ORDER_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** How long a job that is not its resource's turn waits at most before it checks again, in ms. */
export const PARK_MS = 5000;

/** The keys of a resource's order: its sorted set, and the queue's counter that scores it. */
export const orderKeys = (octoPrefix: string, resource: string): [order: string, seq: string] => [
  `${octoPrefix}:order:${resource}`,
  `${octoPrefix}:order-seq`,
];

// KEYS: the order, the counter; ARGV: the job id, the order's TTL. NX: a job enqueued again (its id
// already there) keeps its place
export const REGISTER = `
redis.call('ZADD', KEYS[1], 'NX', redis.call('INCR', KEYS[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

// The head of an order once the jobs that can no longer run are skipped: gone (removed) or finished
// (`finishedOn`: completed, or failed for good). ARGV[2] is the queue's job key prefix
// (`<prefix>:<queue>:`); the job keys are BullMQ's, read as its own scripts do.
const HEAD = `
local function head()
  for _ = 1, 1000 do
    local first = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
    if not first then return nil end
    local job = ARGV[2] .. first
    if redis.call('EXISTS', job) == 1 and redis.call('HEXISTS', job, 'finishedOn') == 0 then return first end
    redis.call('ZREM', KEYS[1], first)
  end
  return redis.call('ZRANGE', KEYS[1], 0, 0)[1]
end`;

// KEYS[1]: the order; ARGV[1]: the job. `absent`: the job is in no order (re-driven, or enqueued
// before ordering was on) and runs at once
const TURN = `${HEAD}
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 'absent' end
if head() == ARGV[1] then return 'turn' end
return 'wait'`;

// KEYS[1]: the order; ARGV[1]: the job that finished. Answers the job whose turn it is now, if any
const FINISH = `${HEAD}
redis.call('ZREM', KEYS[1], ARGV[1])
return head() or false`;

/**
 * Adds `job` to the queue and to its resource's order in one MULTI (`enqueue`'s path with ordering);
 * `client` is the one the queue was created on.
 */
export async function addInOrder(
  queue: Queue<OctoJobData, OctoJobResult>,
  client: Redis,
  job: DeliveryJob,
  jobOptions: JobsOptions,
  octoPrefix: string,
): Promise<void> {
  const resource = job.data.resource as string;
  const backend = queue.getBackend();
  defineOnce(client, "octoWebhooksOrderRegister", 2, REGISTER);
  const transaction = (await backend.client).multi();
  const [order, seq] = orderKeys(octoPrefix, resource);
  transaction.runCommand("octoWebhooksOrderRegister", [order, seq, job.jobId, String(ORDER_TTL_MS)]);
  const json = new Job(queue, job.name, job.data, { ...jobOptions, jobId: job.jobId }, job.jobId).asJSON();
  await backend.addJobToTransaction(transaction, json, job.jobId);
  const results = (await transaction.exec()) as Array<[Error | null, unknown]> | null;
  if (results === null) throw new Error("the transaction was discarded");
  const [addError, added] = results[1] ?? [new Error("no answer to the add"), undefined];
  if (addError || (typeof added === "number" && added < 0)) {
    await client.zrem(order, job.jobId).catch(() => undefined);
    throw addError ?? new Error(`BullMQ's add script answered ${added}`);
  }
}

const defined = new WeakMap<object, Set<string>>();

/** Defines a script command on `client` once. */
export function defineOnce(
  client: { defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): unknown },
  name: string,
  numberOfKeys: number,
  lua: string,
): void {
  let names = defined.get(client);
  if (names === undefined) {
    names = new Set();
    defined.set(client, names);
  }
  if (names.has(name)) return;
  client.defineCommand(name, { numberOfKeys, lua });
  names.add(name);
}

type Script = (...args: string[]) => Promise<unknown>;

/** What a worker does with the order of its jobs' resources. */
export interface ResourceTurns {
  /** Whether the job may run now: its resource's turn (or it is in no order). */
  turn(jobId: string, resource: string): Promise<boolean>;
  /** Takes a finished job out of its order and promotes the job whose turn it is then. */
  finish(jobId: string, resource: string): Promise<void>;
}

/**
 * The turns of a worker's jobs, on its client; `promote` moves a parked (delayed) job to the wait list
 * (BullMQ's promote), and fails when the job is not parked (it is then running or about to).
 */
export function resourceTurns(
  client: Redis,
  octoPrefix: string,
  jobKeyPrefix: string,
  promote: (jobId: string) => Promise<void>,
): ResourceTurns {
  defineOnce(client, "octoWebhooksOrderTurn", 1, TURN);
  defineOnce(client, "octoWebhooksOrderFinish", 1, FINISH);
  const commands = client as unknown as Record<string, Script>;
  const turnScript = commands.octoWebhooksOrderTurn!.bind(client);
  const finishScript = commands.octoWebhooksOrderFinish!.bind(client);
  return {
    async turn(jobId, resource) {
      const [order] = orderKeys(octoPrefix, resource);
      return (await turnScript(order, jobId, jobKeyPrefix)) !== "wait";
    },
    async finish(jobId, resource) {
      const [order] = orderKeys(octoPrefix, resource);
      const next = await finishScript(order, jobId, jobKeyPrefix);
      if (typeof next === "string" && next !== jobId) await promote(next).catch(() => undefined);
    },
  };
}
