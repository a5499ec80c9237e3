// The accept path of a queue's receiver with `dedupe`: one Redis round trip per delivery. Core's claim
// hands this store the delivery, and one script claims it and runs BullMQ's own add script: a delivery
// is claimed and enqueued at once, or neither.
import type { ClaimedDelivery, ClaimResult, DeliveryStore } from "@octo-webhooks/core";
import { Job, type JobsOptions, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import { acceptInTransaction } from "./accept-transaction.ts";
import { type DeliveryJob, withTimeout } from "./enqueue.ts";
import type { OctoJobData, OctoJobResult } from "./job.ts";
import { ORDER_TTL_MS, orderKeys } from "./resource-order.ts";

/** A Lua script as ioredis's `defineCommand` takes it. */
export interface ScriptDefinition {
  numberOfKeys: number;
  lua: string;
}

/**
 * Records the scripts BullMQ defines on `client` (its add scripts among them), so that the accept
 * script can run one inside its own. Call it before the queue is created on `client`.
 */
export function recordScripts(client: Redis): Map<string, ScriptDefinition> {
  const scripts = new Map<string, ScriptDefinition>();
  const define = client.defineCommand.bind(client);
  client.defineCommand = (name, definition) => {
    if (typeof definition.numberOfKeys === "number") {
      scripts.set(name, { numberOfKeys: definition.numberOfKeys, lua: definition.lua });
    }
    define(name, definition);
  };
  return scripts;
}

// BullMQ's add script as a function of the accept script: KEYS and ARGV as it expects them, then the
// claim key and the claim's TTL after them. The claim is `done` once enqueued, the value earlier versions
// also wrote after their `queue.add`; a claim of theirs still in progress (`processing...`) is answered
// 409 as they did. A claim is written only once the add succeeded: a failed add leaves none.
// `ordered`: two more keys, the job's resource order and its counter (resource-order.ts), and the
// order's TTL: the job takes its place in its resource's order in the same step.
const acceptScript = (add: string, ordered: boolean) => `
local function bullmqAdd()
${add}
end
local claimKey = KEYS[#KEYS${ordered ? " - 2" : ""}]
local state = redis.call('GET', claimKey)
if state then
  if state == 'done' then return {'done'} end
  return {'processing'}
end
local added = bullmqAdd()
if type(added) == 'string' then
  redis.call('SET', claimKey, 'done', 'PX', ARGV[#ARGV${ordered ? " - 1" : ""}])${
    ordered
      ? `
  redis.call('ZADD', KEYS[#KEYS - 1], 'NX', redis.call('INCR', KEYS[#KEYS]), added)
  redis.call('PEXPIRE', KEYS[#KEYS - 1], ARGV[#ARGV])`
      : ""
  }
end
return {'claimed', added}`;

type Command = (args: unknown[]) => Promise<unknown>;

/**
 * Whether this BullMQ offers what the accept path builds on (its backend's `addJobToTransaction`); a
 * receiver falls back to a claim, an add and a completion (three round trips) when it does not.
 */
export function canAcceptInOneTrip(queue: Queue<OctoJobData, OctoJobResult>): boolean {
  const backend = (queue as { getBackend?: () => unknown }).getBackend?.() as
    | { addJobToTransaction?: unknown }
    | undefined;
  return typeof backend?.addJobToTransaction === "function";
}

/** What the accepting store needs from the queue. */
export interface AcceptOptions {
  queue: Queue<OctoJobData, OctoJobResult>;
  /** The client the queue was created on, and the scripts BullMQ defined on it ({@link recordScripts}). */
  client: Redis;
  scripts: ReadonlyMap<string, ScriptDefinition>;
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

/**
 * The store a receiver with `dedupe` gives core: `claim()` is the whole accept path (claim and enqueue
 * in one script; `"claimed"` means enqueued), `complete()` and `release()` have nothing left to do.
 * Only the receiver uses it (a claim needs its delivery, which core gives); `createRedisStore` stays
 * the store for core alone.
 */
export function acceptingStore(options: AcceptOptions): DeliveryStore {
  const { queue, client, scripts, claimPrefix, jobOptions, ttlMs, timeoutMs, ready } = options;
  const ttl = String(Math.max(1, Math.ceil(ttlMs)));
  // by BullMQ's add command (and ordered or not): ours (`octoWebhooksAccept:<its name>`, or
  // `octoWebhooksAcceptOrdered:<its name>`), or null when its script is unknown
  const commands = new Map<string, { run: Command; numberOfKeys: number } | null>();
  const commandFor = (add: string, ordered: boolean) => {
    const name = `${ordered ? "octoWebhooksAcceptOrdered" : "octoWebhooksAccept"}:${add}`;
    let command = commands.get(name);
    if (command === undefined) {
      const script = scripts.get(add);
      command = null;
      // an add script that counts its KEYS or ARGV would miscount with the claim's appended: the MULTI
      if (script !== undefined && !/#\s*(KEYS|ARGV)\b/.test(script.lua)) {
        client.defineCommand(name, {
          numberOfKeys: script.numberOfKeys + (ordered ? 3 : 1),
          lua: acceptScript(script.lua, ordered),
        });
        const run = (client as unknown as Record<string, Command>)[name];
        if (run !== undefined) command = { run: run.bind(client), numberOfKeys: script.numberOfKeys };
      }
      commands.set(name, command);
    }
    return command;
  };

  const accept = async (key: string, job: DeliveryJob): Promise<ClaimResult> => {
    const backend = queue.getBackend();
    await backend.client; // BullMQ has connected and defined its scripts
    const claimKey = `${claimPrefix}:claim:${key}`;
    const json = new Job(queue, job.name, job.data, { ...jobOptions, jobId: job.jobId }, job.jobId).asJSON();
    // the add command and arguments BullMQ would send (as it queues them on its flow producer's MULTI)
    let add: [string, unknown[]] | undefined;
    const capture = {
      runCommand(name: string, args: unknown[]) {
        add = [name, args];
        return capture;
      },
    };
    await backend.addJobToTransaction(capture as never, json, job.jobId);
    const resource = job.data.resource;
    const order = resource === undefined ? undefined : orderKeys(claimPrefix, resource);
    const command = add && commandFor(add[0], order !== undefined);
    if (!add || !command) {
      // a BullMQ whose add script this package cannot see: the claim and its add in one MULTI instead
      return acceptInTransaction(queue, claimKey, ttl, job, jobOptions, order);
    }
    const args = [...add[1]];
    if (order === undefined) {
      args.splice(command.numberOfKeys, 0, claimKey);
      args.push(ttl);
    } else {
      args.splice(command.numberOfKeys, 0, claimKey, ...order);
      args.push(ttl, String(ORDER_TTL_MS));
    }
    const [state, added] = (await command.run(args)) as [ClaimResult, unknown];
    if (state === "claimed" && typeof added !== "string") {
      throw new Error(`BullMQ's add script answered ${String(added)}`);
    }
    return state;
  };

  return {
    async claim(key, _leaseMs, _token, delivery) {
      if (delivery === undefined) {
        throw new Error(
          "the claim came without its delivery (an @octo-webhooks/core older than this package?)",
        );
      }
      await ready();
      return withTimeout(accept(key, options.jobOf(delivery)), timeoutMs);
    },
    // enqueued with the claim: a claimed delivery is already final
    complete() {},
    release() {},
    // the receiver has no staleGuard (the worker checks freshness when a job runs)
    recordNewest() {
      return undefined;
    },
  };
}
