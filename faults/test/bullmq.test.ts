// The BullMQ queue: durable once Redis acknowledged the job. A worker SIGKILLed mid-job leaves a stalled
// job that another worker runs again (the idempotent effect applies once); a receiver SIGKILLed between
// `Queue.add` and its answer gets the supplier's retry, which collapses into the same job (its id is the
// delivery key). Effects are counted in a Redis outside every killed process.
import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, describe, expect, inject, it } from "vitest";
import { figures, long, type Managed, portOf, quietRedis, startApp, until } from "../src/harness.ts";
import { burst, supplierFor } from "../src/supply.ts";

const redisUrl = inject("redisUrl");
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe.skipIf(redisUrl === "")("BullMQ mode, workers and receivers killed", () => {
  it("loses nothing and applies each effect once when a worker dies mid-job and a receiver after Queue.add", async () => {
    const count = long ? 1_000 : 300;
    const prefix = `faults-${randomBytes(4).toString("hex")}`;
    const effects = new Redis(redisUrl);
    cleanup.push(async () => effects.quit());
    const queue = new Queue("octo-webhooks", {
      connection: quietRedis(redisUrl),
      prefix,
    });
    cleanup.push(() => queue.close());
    const common = { redisUrl, effectsUrl: redisUrl, prefix, handlerMs: 200 } as const;
    const receiver: Managed = await startApp({ ...common, role: "receiver", mode: "queue" });
    const port = portOf(receiver);
    cleanup.push(() => receiver.kill("SIGKILL"));
    const workers = await Promise.all(
      [1, 2].map(() => startApp({ ...common, role: "worker", mode: "queue" })),
    );
    for (const worker of workers) cleanup.push(() => worker.kill("SIGKILL"));
    const supplier = await supplierFor(port);
    cleanup.push(() => supplier.close());

    const runs = async () =>
      (await effects.hvals(`${prefix}:runs`)).reduce((sum, value) => sum + Number(value), 0);
    const sending = burst(supplier, count);
    // both workers die with jobs running (16 each at once, 200 ms each); the next ones find them stalled
    await until(async () => (await runs()) >= count / 4, "a quarter of the jobs started");
    // handlers between their start and their effect (a job merely marked active would show no re-run)
    const applied = async () => Number(await effects.hlen(`${prefix}:effects`));
    await until(async () => (await runs()) > (await applied()) + 4, "handlers mid-job");
    await Promise.all(workers.map((worker) => worker.kill("SIGKILL")));
    // the receiver dies with requests between Queue.add and their answer (32 in flight)
    await until(async () => (await queue.count()) + (await runs()) >= count / 2, "half the jobs enqueued");
    await receiver.kill("SIGKILL");
    await Promise.all([receiver.start(), ...workers.map((worker) => worker.start())]);
    const { uuids, deliveries } = await sending;
    await until(async () => (await figures(effects, prefix, uuids)).lost === 0, "every effect", 60_000);
    await until(async () => (await queue.getActiveCount()) + (await queue.count()) === 0, "an idle queue");
    const result = await figures(effects, prefix, uuids);
    const reruns = (await runs()) - result.applied;
    console.log("BullMQ mode, a worker and a receiver SIGKILLed:", { ...result, reruns });

    expect(deliveries.filter((d) => d.state !== "delivered")).toEqual([]);
    expect(result).toEqual({ sent: count, applied: count, lost: 0, doubled: 0 });
    expect(reruns).toBeGreaterThan(0); // the killed worker's stalled jobs ran again elsewhere
    expect(await queue.getFailedCount()).toBe(0);
  });
});
