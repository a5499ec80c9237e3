// In-process ack-first, documented as not durable: the sender gets 200 once the delivery is validated and
// the handlers run afterwards in a bounded in-process queue. A SIGKILL loses everything answered 200 whose
// handlers had not finished: at most `concurrency + maxQueued` deliveries (docs/scaling.md,
// docs/reliability.md). This test fills the queue with handlers that cannot finish in time, kills the
// process, and pins the loss at exactly that number, so that a change in behaviour fails it.
import { randomBytes, randomUUID } from "node:crypto";
import { bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import { Redis } from "ioredis";
import { afterEach, describe, expect, inject, it } from "vitest";
import { figures, type Managed, portOf, startApp } from "../src/harness.ts";

const redisUrl = inject("redisUrl");
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const CONCURRENCY = 4;
const MAX_QUEUED = 20;
/** The documented loss of an ack-first process killed with a full queue. */
const DOCUMENTED_LOSS = CONCURRENCY + MAX_QUEUED;

describe.skipIf(redisUrl === "")("in-process ack-first, process killed", () => {
  it("loses exactly concurrency + maxQueued deliveries answered 200, and no refused one", async () => {
    const prefix = `faults-${randomBytes(4).toString("hex")}`;
    const effects = new Redis(redisUrl);
    cleanup.push(async () => effects.quit());
    const receiver: Managed = await startApp({
      role: "receiver",
      mode: "ack-first",
      redisUrl,
      effectsUrl: redisUrl,
      prefix,
      handlerMs: 600_000, // a CRM that hangs: nothing accepted finishes before the kill
      concurrency: CONCURRENCY,
      maxQueued: MAX_QUEUED,
    });
    const port = portOf(receiver);
    cleanup.push(() => receiver.kill("SIGKILL"));
    const url = `http://127.0.0.1:${port}/webhooks/octo`;
    const auth = { username: "octo", password: "faults-password" };

    const uuids = Array.from({ length: DOCUMENTED_LOSS + 10 }, () => randomUUID());
    const statuses: number[] = [];
    for (const [i, uuid] of uuids.entries()) {
      const answer = await sendWebhook(url, bookingUpdate({ seed: i, booking: { uuid } }), auth);
      statuses.push(answer.status);
    }
    const accepted = uuids.filter((_, i) => statuses[i] === 200);
    const refused = statuses.filter((status) => status === 503).length;
    await receiver.kill("SIGKILL");
    await receiver.start(); // a restart brings nothing back: the queue was in memory
    const result = await figures(effects, prefix, accepted);
    console.log("ack-first, SIGKILL with a full queue:", { ...result, refused503: refused });

    expect(accepted.length).toBe(DOCUMENTED_LOSS);
    expect(refused).toBe(uuids.length - DOCUMENTED_LOSS); // 503: the supplier retries those
    expect(result.lost).toBe(DOCUMENTED_LOSS);
    expect(result.applied).toBe(0);
  });
});
