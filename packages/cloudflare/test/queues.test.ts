// The receiver and the consumer inside workerd (Miniflare), with a real local Queue (max_retries 3,
// a dead-letter queue), the Durable Object store and an R2 bucket: 1,000 deliveries, 10% of them failing
// their first run, each applied exactly once; a poisoned delivery in the dead-letter queue; duplicates
// applied once; an older update after a newer one not applied; a body too large for a message refused
// with 413, or kept in R2 and applied.
import { deliveryKey } from "@octo-webhooks/core";
import { basic } from "@octo-webhooks/test-helpers";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DurableObjectNamespaceLike, durableObjectStore, type OctoDeadLetter } from "../src/index.ts";

const PASSWORD = "s3cret-queues";
let mf: Miniflare;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [new URL("./workerd/queue-worker.ts", import.meta.url).pathname],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["@octo-webhooks/source", "workerd", "worker", "browser", "import"],
    mainFields: ["module", "main"],
    logLevel: "silent",
  });
  mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]?.text ?? "",
    compatibilityDate: "2026-04-01",
    bindings: { OCTO_HOOK_PASS: PASSWORD },
    queueProducers: { OCTO_QUEUE: { queueName: "octo" } },
    queueConsumers: {
      octo: { maxBatchSize: 100, maxBatchTimeout: 1, maxRetries: 3, deadLetterQueue: "octo-dlq" },
      "octo-dlq": { maxBatchSize: 10, maxBatchTimeout: 1 },
    },
    durableObjects: { OCTO_STORE: { className: "OctoStoreObject", useSQLite: true } },
    r2Buckets: ["OCTO_BODIES"],
  });
  await mf.ready;
});
afterAll(() => mf?.dispose());

interface State {
  effects: Record<string, number>;
  applied: Record<string, string>;
  failures: number;
  deadLetters: OctoDeadLetter[];
  sizes: Record<string, number>;
}
const state = async (): Promise<State> =>
  (await mf.dispatchFetch("http://worker.test/state")).json() as Promise<State>;

/** A `booking_update`; without `utcUpdatedAt` the stale guard leaves it alone, and only `dedupe` stops its duplicates. */
const bookingUpdate = (uuid: string, status = "CONFIRMED", utcUpdatedAt?: string, extra = {}) =>
  JSON.stringify({
    webhook: { event: "booking_update" },
    booking: { uuid, status, ...(utcUpdatedAt === undefined ? {} : { utcUpdatedAt }), ...extra },
  });

const post = (body: string, path = "/webhooks/octo") =>
  mf.dispatchFetch(`http://worker.test${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: basic("octo", PASSWORD) },
    body,
  });

/** Sends every body, `concurrency` at a time; resolves the answers' statuses in order. */
async function sendAll(bodies: string[], concurrency = 25): Promise<number[]> {
  const statuses: number[] = new Array(bodies.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < bodies.length; i = next++) {
      const answer = await post(bodies[i] as string);
      await answer.arrayBuffer();
      statuses[i] = answer.status;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}

async function waitFor<T>(check: (s: State) => T | undefined | false, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await state();
    const value = check(s);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("Cloudflare Queues: receiver and consumer inside workerd", () => {
  it("1,000 deliveries, 10% failing at first, 50 sent twice: each applied exactly once; a poisoned one reaches the dead-letter queue", async () => {
    const started = performance.now();
    const bodies = Array.from({ length: 1000 }, (_, i) =>
      bookingUpdate(i % 10 === 0 ? `flaky-${i}` : `b-${i}`),
    );
    const keys = bodies.map((body) => deliveryKey(JSON.parse(body)));
    // the sender re-sends 50 of them (a timeout on its side), and one delivery always fails
    const statuses = await sendAll([...bodies, ...bodies.slice(0, 50), bookingUpdate("poison")]);
    expect(statuses.every((status) => status === 200)).toBe(true);
    const answered = performance.now();

    const done = await waitFor(
      (s) => keys.every((key) => s.effects[key] !== undefined) && s.deadLetters.length > 0 && s,
      "every delivery applied and the poisoned one dead-lettered",
    );
    // a moment more: a late duplicate would show here
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const s = await state();
    expect(Object.keys(s.effects)).toHaveLength(1000);
    expect(Object.entries(s.effects).filter(([, count]) => count !== 1)).toEqual([]);
    expect(s.effects).toEqual(Object.fromEntries(keys.map((key) => [key, 1])));
    // 100 flaky deliveries failed once, the poisoned one 4 times (1 + max_retries 3)
    expect(s.failures).toBe(100 + 4);
    expect(s.deadLetters).toEqual([
      expect.objectContaining({
        reason: "exhausted",
        event: "booking_update",
        deliveryKey: deliveryKey(JSON.parse(bookingUpdate("poison"))),
        body: bookingUpdate("poison"),
      }),
    ]);
    expect(done.deadLetters).toHaveLength(1);
    // the claims are in the Durable Object, shared by every isolate, not in the isolate's memory
    const namespace = (await mf.getDurableObjectNamespace(
      "OCTO_STORE",
    )) as unknown as DurableObjectNamespaceLike;
    const store = durableObjectStore(namespace);
    for (const key of [keys[0], keys[1], keys[999]])
      expect(await store.claim(key as string, 1000, "probe")).toBe("done");
    console.info(
      `[cloudflare queues] 1,051 deliveries answered in ${Math.round(answered - started)} ms; all applied and the dead letter in ${Math.round(performance.now() - started)} ms`,
    );
  }, 120_000);

  it("the queue does not keep order: the stale guard on the Durable Object store keeps a newer update from being overwritten by an older one", async () => {
    expect((await post(bookingUpdate("ordered", "CANCELLED", "2026-05-02T12:00:00Z"))).status).toBe(200);
    await waitFor((s) => s.applied.ordered, "the newer update");
    expect((await post(bookingUpdate("ordered", "CONFIRMED", "2026-05-02T11:00:00Z"))).status).toBe(200);
    const older = deliveryKey(JSON.parse(bookingUpdate("ordered", "CONFIRMED", "2026-05-02T11:00:00Z")));
    // the older update is acknowledged without reaching the handlers: wait a few batches
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const s = await state();
    expect(s.applied.ordered).toBe("CANCELLED 2026-05-02T12:00:00Z");
    expect(s.effects[older]).toBeUndefined();
  });

  it("a body too large for a message gets 413 naming the limit, unless the receiver keeps bodies in R2", async () => {
    const notes = "x".repeat(130_000);
    const large = bookingUpdate("large", "CONFIRMED", "2026-05-03T10:00:00Z", { notes });
    const refused = await post(large);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toEqual({
      ok: false,
      error: {
        code: "NON_RETRYABLE",
        message: expect.stringMatching(/over the 128000 bytes a Cloudflare Queues message holds/),
      },
    });

    const kept = await post(large, "/big/webhooks/octo");
    expect(kept.status).toBe(200);
    const s = await waitFor((s) => s.applied.large !== undefined && s, "the large delivery applied");
    expect(s.sizes.large).toBe(large.length);
    // its body is deleted from R2 once its handlers succeeded
    // Miniflare types its bindings with @cloudflare/workers-types, which this package does not install
    const bucket = (await mf.getR2Bucket("OCTO_BODIES")) as unknown as {
      head(key: string): Promise<unknown>;
    };
    const ref = `octo-webhooks/${deliveryKey(JSON.parse(large))}`;
    for (let tries = 0; (await bucket.head(ref)) !== null && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await bucket.head(ref)).toBeNull();
  });
});
