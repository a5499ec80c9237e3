// SIGTERM during load, every adapter: the process stops accepting connections at once, answers the
// deliveries in flight (their handlers finish: nothing half-processed), drains the ack-first queue, and
// exits 0 within its deadline. The recipe is app.ts's SIGTERM handler, documented in docs/reliability.md:
// server.close(), wait for the requests in flight, webhooks.drain(), exit; all raced against a deadline.
import { randomBytes, randomUUID } from "node:crypto";
import { bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import { Redis } from "ioredis";
import { afterEach, describe, expect, inject, it } from "vitest";
import { figures, long, portOf, startApp, until } from "../src/harness.ts";
import { ADAPTERS, type Adapter } from "../src/servers.ts";

const redisUrl = inject("redisUrl");
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const credentials = { username: "octo", password: "faults-password" };

/**
 * Refused: the connection itself fails (nothing listens any more). Each probe has its own deadline: one
 * that hangs (CI once waited out the test's 120 s here, the other cases done) counts as not refused yet,
 * and the next probe goes on a new connection.
 */
async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { method: "POST", body: "{}", signal: AbortSignal.timeout(2_000) });
    return false;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED";
  }
}

type Case = { adapter: Adapter; mode: "default" | "ack-first" };
const cases: Case[] = ADAPTERS.flatMap((adapter) =>
  long || adapter === "node"
    ? [
        { adapter, mode: "default" as const },
        { adapter, mode: "ack-first" as const },
      ]
    : [{ adapter, mode: "default" as const }],
);

describe.skipIf(redisUrl === "")("SIGTERM during load", () => {
  it(`drains and refuses new connections: ${cases.map((c) => `${c.adapter}/${c.mode}`).join(", ")}`, async () => {
    // a command that hangs fails in time instead of holding the test until its own timeout
    const effects = new Redis(redisUrl, { commandTimeout: 10_000 });
    cleanup.push(async () => effects.quit());
    const inFlight = long ? 100 : 20;
    // ack-first drains in inFlight / concurrency rounds of 1.5 s: 5 of them, well within the deadline
    const concurrency = inFlight / 5;
    // every case at once: their processes start in parallel
    const outcomes = await Promise.all(
      cases.map(async ({ adapter, mode }) => {
        const prefix = `faults-${randomBytes(4).toString("hex")}`;
        const app = await startApp({
          role: "receiver",
          adapter,
          mode,
          redisUrl,
          effectsUrl: redisUrl,
          prefix,
          handlerMs: 1_500,
          concurrency,
          maxQueued: inFlight,
          drainMs: 20_000,
        });
        const port = portOf(app);
        cleanup.push(() => app.kill("SIGKILL"));
        const url = `http://127.0.0.1:${port}/webhooks/octo`;
        const uuids = Array.from({ length: inFlight }, () => randomUUID());
        const answers = uuids.map((uuid, i) =>
          sendWebhook(url, bookingUpdate({ seed: i, booking: { uuid } }), {
            ...credentials,
            timeoutMs: 60_000,
          }),
        );
        let answered = 0;
        for (const answer of answers)
          void answer.then(
            () => answered++,
            () => answered++,
          );
        // handlers running (default: one per request; ack-first: `concurrency` of them, the rest queued)
        const running = mode === "default" ? inFlight : concurrency;
        const runs = async () =>
          (await effects.hvals(`${prefix}:runs`)).reduce((sum, value) => sum + Number(value), 0);
        await until(async () => (await runs()) >= running, `${adapter}/${mode}: handlers running`);
        // ack-first: every delivery received (answered, the rest queued) before the signal. A connection
        // still in the listen backlog when server.close() runs is reset by the kernel: that is not
        // in flight, and the sender retries it.
        if (mode === "ack-first")
          await until(() => answered === inFlight, `${adapter}/${mode}: every delivery answered`);
        const exited = app.exited();
        app.process.kill("SIGTERM");
        await until(() => refused(url), `${adapter}/${mode}: new connections refused`, 10_000);
        const statuses = (await Promise.all(answers)).map((answer) => answer.status);
        const code = await Promise.race([
          exited,
          new Promise<never>((_, reject) =>
            setTimeout(
              () =>
                reject(new Error(`${adapter}/${mode}: still running 30 s after SIGTERM (drainMs is 20 s)`)),
              30_000,
            ).unref(),
          ),
        ]);
        const result = await figures(effects, prefix, uuids);
        console.log(`SIGTERM ${adapter}/${mode}:`, { ...result, runs: await runs(), exit: code });
        return { statuses, code, result, runs: await runs(), lines: app.lines };
      }),
    );
    for (const { statuses, code, result, runs, lines } of outcomes) {
      expect(statuses).toEqual(Array(inFlight).fill(200));
      expect(code).toBe(0);
      expect(lines).toContain("DRAINED");
      expect(result).toEqual({ sent: inFlight, applied: inFlight, lost: 0, doubled: 0 });
      expect(runs).toBe(inFlight); // every handler that started finished: nothing half-processed
    }
  });
});
