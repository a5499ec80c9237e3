// BullMQ mode with Redis itself failing. Stopped for 5 s under load (a clean shutdown, then started again
// with its AOF): receivers answer 503 + Retry-After while it is away, the supplier retries, and nothing
// accepted is lost. Crashed and restarted: what it had not persisted is gone; with no persistence (the
// operator's choice) that is every job still waiting, pinned here, and with `appendonly yes` none.
import { randomBytes } from "node:crypto";
import { bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, describe, expect, inject, it } from "vitest";
import { controlledRedis, figures, long, portOf, quietRedis, startApp, until } from "../src/harness.ts";
import { burst, supplierFor } from "../src/supply.ts";

const redisUrl = inject("redisUrl");
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(redisUrl === "")("BullMQ mode, Redis stopped and restarted", () => {
  it("answers 503 + Retry-After while Redis is stopped for 5 s under load, and loses nothing accepted", async () => {
    const count = long ? 1_000 : 300;
    const redis = await controlledRedis({ aof: true });
    await redis.start();
    cleanup.push(() => redis.stop("SIGKILL"));
    const effects = new Redis(redisUrl); // the effects live elsewhere: this Redis survives the outage
    cleanup.push(async () => effects.quit());
    const prefix = `faults-${randomBytes(4).toString("hex")}`;
    const common = { redisUrl: redis.url, effectsUrl: redisUrl, prefix, handlerMs: 20 } as const;
    const receiver = await startApp({ ...common, role: "receiver", mode: "queue" });
    const port = portOf(receiver);
    cleanup.push(() => receiver.kill("SIGKILL"));
    const worker = await startApp({ ...common, role: "worker", mode: "queue" });
    cleanup.push(() => worker.kill("SIGKILL"));
    const supplier = await supplierFor(port);
    cleanup.push(() => supplier.close());

    const applied = async () => Number(await effects.hlen(`${prefix}:effects`));
    const sending = burst(supplier, count);
    await until(async () => (await applied()) >= count / 4, "a quarter of the effects");
    await redis.stop("SIGTERM");
    const stopped = Date.now();
    // a delivery of our own while Redis is away: refused with a 503 the supplier retries
    const probe = await sendWebhook(`http://127.0.0.1:${port}/webhooks/octo`, bookingUpdate({ seed: 1 }), {
      username: "octo",
      password: "faults-password",
    });
    await sleep(5_000 - (Date.now() - stopped));
    const before = await applied();
    await redis.start();
    const restarted = Date.now();
    await until(async () => (await applied()) > before, "the first effect after Redis returned");
    const recoveryMs = Date.now() - restarted;
    const { uuids, deliveries } = await sending;
    await until(async () => (await applied()) >= count, "every effect", 60_000);
    const result = await figures(effects, prefix, uuids);
    const attempts = deliveries.flatMap((d) => d.attempts);
    const refusals = attempts.filter((a) => a.status === 503).length;
    console.log("BullMQ mode, Redis stopped 5 s:", {
      ...result,
      answered503: refusals,
      attempts: attempts.length,
      recoveryMs,
    });

    expect(deliveries.filter((d) => d.state !== "delivered")).toEqual([]);
    expect(result).toEqual({ sent: count, applied: count, lost: 0, doubled: 0 });
    expect(probe.status).toBe(503);
    expect(Number(probe.headers["retry-after"])).toBeGreaterThan(0);
    expect(refusals).toBeGreaterThan(0); // the supplier's deliveries met the outage too, and were retried
  });

  it.each([
    { aof: false, lost: "every waiting job" },
    { aof: true, lost: "nothing" },
  ])("a Redis crash with aof: $aof loses $lost", async ({ aof }) => {
    const count = 50;
    const redis = await controlledRedis({ aof });
    await redis.start();
    cleanup.push(() => redis.stop("SIGKILL"));
    const effects = new Redis(redisUrl);
    cleanup.push(async () => effects.quit());
    const prefix = `faults-${randomBytes(4).toString("hex")}`;
    const common = { redisUrl: redis.url, effectsUrl: redisUrl, prefix, handlerMs: 0 } as const;
    const receiver = await startApp({ ...common, role: "receiver", mode: "queue" });
    const port = portOf(receiver);
    cleanup.push(() => receiver.kill("SIGKILL"));
    const supplier = await supplierFor(port);
    cleanup.push(() => supplier.close());

    // no worker yet: every delivery answered 200 is a job waiting in Redis
    const { uuids, deliveries } = await burst(supplier, count);
    expect(deliveries.filter((d) => d.state !== "delivered")).toEqual([]);
    await redis.stop("SIGKILL");
    await redis.start();
    const worker = await startApp({ ...common, role: "worker", mode: "queue" });
    cleanup.push(() => worker.kill("SIGKILL"));
    const queue = new Queue("octo-webhooks", {
      connection: quietRedis(redis.url),
      prefix,
    });
    cleanup.push(() => queue.close());
    await until(async () => (await queue.count()) + (await queue.getActiveCount()) === 0, "an idle queue");
    await sleep(500);
    const result = await figures(effects, prefix, uuids);
    console.log(`BullMQ mode, Redis SIGKILLed, aof ${aof}:`, result);

    // the pinned loss of docs/reliability.md: all of the accepted jobs without persistence, none with AOF
    expect(result.lost).toBe(aof ? 0 : count);
    expect(result.doubled).toBe(0);
  });
});
