// The PostgreSQL queue (@octo-webhooks/postgres): durable once the accept transaction (the delivery's
// claim and its job) is committed. Workers SIGKILLed mid-job leave locked jobs that the live workers
// unlock once the dead ones stop renewing their liveness, and run again (the idempotent effect applies
// once); a receiver SIGKILLed between the commit and its answer (each answer held 50 ms after the commit)
// gets the supplier's retries, answered 200 duplicate from the committed claim, with no second job.
// Effects are counted in a Redis outside every killed process.
import { randomBytes } from "node:crypto";
import type { Delivery } from "@octo-webhooks/testing";
import { Redis } from "ioredis";
import pg from "pg";
import { afterEach, describe, expect, inject, it } from "vitest";
import { figures, long, type Managed, portOf, startApp, until } from "../src/harness.ts";
import { burst, supplierFor } from "../src/supply.ts";

const redisUrl = inject("redisUrl");
const postgresUrl = inject("postgresUrl");
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Deliveries whose attempt got no answer (the receiver died) and whose retry was answered 200 duplicate. */
const committedUnanswered = (deliveries: readonly Delivery[]) =>
  deliveries.filter((d) => {
    const lostAnswer = d.attempts.findIndex((a) => a.status === undefined);
    return (
      lostAnswer !== -1 &&
      d.attempts.slice(lostAnswer + 1).some((a) => a.status === 200 && a.answer?.includes('"duplicate":true'))
    );
  }).length;

describe.skipIf(redisUrl === "" || postgresUrl === "")(
  "PostgreSQL mode, workers and receivers killed",
  () => {
    it("loses nothing and applies each effect once when the workers die mid-job and the receiver between commit and answer", async () => {
      const count = long ? 1_000 : 300;
      const id = randomBytes(4).toString("hex");
      const prefix = `faults-${id}`;
      const schema = `faults_${id}`;
      const effects = new Redis(redisUrl);
      cleanup.push(async () => effects.quit());
      const db = new pg.Pool({ connectionString: postgresUrl, max: 2 });
      db.on("error", () => {});
      cleanup.push(async () => {
        await db.query(
          `drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_jobs" cascade`,
        );
        await db.end();
      });
      const common = {
        redisUrl,
        effectsUrl: redisUrl,
        postgresUrl,
        schema,
        prefix,
        mode: "postgres",
        handlerMs: 200,
      } as const;
      const receiver: Managed = await startApp({ ...common, role: "receiver", answerDelayMs: 50 });
      const port = portOf(receiver);
      cleanup.push(() => receiver.kill("SIGKILL"));
      const workers = await Promise.all([1, 2].map(() => startApp({ ...common, role: "worker" })));
      for (const worker of workers) cleanup.push(() => worker.kill("SIGKILL"));
      const supplier = await supplierFor(port);
      cleanup.push(() => supplier.close());

      const jobs = async () =>
        Number((await db.query(`select count(*) as n from "${schema}_jobs".jobs`)).rows[0]?.n ?? 0);
      const runs = async () =>
        (await effects.hvals(`${prefix}:runs`)).reduce((sum, value) => sum + Number(value), 0);
      const applied = async () => Number(await effects.hlen(`${prefix}:effects`));
      const sending = burst(supplier, count);
      // both workers die with jobs running (16 each at once, 200 ms each): the jobs stay locked by them
      await until(async () => (await runs()) >= count / 4, "a quarter of the jobs started");
      await until(async () => (await runs()) > (await applied()) + 4, "handlers mid-job");
      await Promise.all(workers.map((worker) => worker.kill("SIGKILL")));
      const locked = Number(
        (await db.query(`select count(*) as n from "${schema}_jobs".jobs where locked_by is not null`))
          .rows[0]?.n,
      );
      // the receiver dies with requests committed and not yet answered (32 in flight, each held 50 ms)
      await until(async () => (await jobs()) + (await runs()) >= count / 2, "half the jobs enqueued");
      await receiver.kill("SIGKILL");
      // the receiver back first: the workers' jobs are unlocked by the new workers after lockDurationMs
      const restarted = Date.now();
      await Promise.all([receiver.start(), ...workers.map((worker) => worker.start())]);
      const { uuids, deliveries } = await sending;
      await until(async () => (await figures(effects, prefix, uuids)).lost === 0, "every effect", 60_000);
      const everyEffectMs = Date.now() - restarted;
      await until(async () => (await jobs()) === 0, "an empty queue");
      await new Promise((resolve) => setTimeout(resolve, 500)); // a late double would show
      const result = await figures(effects, prefix, uuids);
      const reruns = (await runs()) - result.applied;
      const deadLetters = Number(
        (await db.query(`select count(*) as n from "${schema}".dead_letters`)).rows[0]?.n,
      );
      const duplicatesAfterKill = committedUnanswered(deliveries);
      console.log("PostgreSQL mode, the workers and the receiver SIGKILLed:", {
        ...result,
        lockedByKilledWorkers: locked,
        reruns,
        committedUnanswered: duplicatesAfterKill,
        everyEffectMs,
      });

      expect(deliveries.filter((d) => d.state !== "delivered")).toEqual([]);
      expect(result).toEqual({ sent: count, applied: count, lost: 0, doubled: 0 });
      expect(locked).toBeGreaterThan(0);
      expect(reruns).toBeGreaterThan(0); // the killed workers' locked jobs ran again elsewhere
      expect(duplicatesAfterKill).toBeGreaterThan(0); // committed, unanswered, retried: a duplicate
      expect(deadLetters).toBe(0);
    });
  },
);
