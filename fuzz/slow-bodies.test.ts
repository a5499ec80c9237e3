// Slow and endless bodies. Every adapter, in a process of its own, takes many clients at once that send
// a few bytes at a time or never stop sending: each is cut off (408 after `bodyTimeoutMs`, 413 past
// `maxBodyBytes`) with its connection closed, nothing is thrown at the process, and its resident memory
// stays within a loose bound. With a body parser in front, the parser reads the body without a time
// limit (documented in the adapters' READMEs): the test shows it is the parser that waits, not us.

import { countingReceiver, PATH } from "@octo-webhooks/conformance/app";
import { forkServer } from "@octo-webhooks/conformance/fork-server";
import { frameworks } from "@octo-webhooks/conformance/frameworks";
import { sendEndlessBody, sendSlowBody } from "@octo-webhooks/conformance/raw-client";
import { describe, expect, it } from "vitest";
import { seedFixtures } from "../fixtures/index.ts";
import { FUZZ_RUNS } from "./settings.ts";

const BODY_TIMEOUT_MS = 500;
/** How long the clients stream at each server (longer in the long run). */
const STREAM_MS = FUZZ_RUNS >= 10_000 ? 20_000 : 1_500;
const SLOW_CLIENTS = 40;
const ENDLESS_CLIENTS = 4;
const MB = 1024 * 1024;

/**
 * Keeps `slow` slow clients and `endless` endless clients busy for `durationMs`, each starting over once
 * answered and closed; returns what each kind got: statuses, or what went wrong instead (a reset, a
 * connection the server kept open) so that a failure shows how often.
 */
async function stream(origin: string, durationMs: number, slow: number, endless: number) {
  const until = Date.now() + durationMs;
  const outcomes = { slow: new Map<string, number>(), endless: new Map<string, number>() };
  const headers = { "content-type": "application/json" };
  const lane = async (kind: "slow" | "endless") => {
    while (Date.now() < until) {
      const sent =
        kind === "slow"
          ? sendSlowBody(origin, PATH, { headers, bytesPerTick: 8, tickMs: 100 })
          : sendEndlessBody(origin, PATH, { headers });
      const outcome = await sent.then(
        async (answer) => {
          await answer.closed;
          return String(answer.status);
        },
        (error: Error) => error.message,
      );
      outcomes[kind].set(outcome, (outcomes[kind].get(outcome) ?? 0) + 1);
    }
  };
  await Promise.all([
    ...Array.from({ length: slow }, () => lane("slow")),
    ...Array.from({ length: endless }, () => lane("endless")),
  ]);
  return { slow: Object.fromEntries(outcomes.slow), endless: Object.fromEntries(outcomes.endless) };
}

const delivery = (origin: string) =>
  fetch(new URL(PATH, origin), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(seedFixtures()[0]!.body),
    signal: AbortSignal.timeout(10_000),
  });

describe("every adapter in a process of its own, under slow and endless clients", () => {
  // one at a time: four servers and their clients on two cores would measure the machine's load
  it.each(["express", "fastify", "hono (node-server)", "koa"])(
    `%s cuts off ${SLOW_CLIENTS} slow and ${ENDLESS_CLIENTS} endless clients at a time (408, 413, connection closed); its memory stays bounded`,
    async (name) => {
      const server = await forkServer(name, "none", BODY_TIMEOUT_MS);
      try {
        // the same load once first, so that what the first requests allocate for good (compiled code,
        // buffer pools, a young generation grown to its working size) is not counted as growth
        await stream(server.origin, STREAM_MS, SLOW_CLIENTS, ENDLESS_CLIENTS);
        const baseline = await server.settle();
        // what the server holds while the clients stream: sampled every 250 ms after a full collection
        // (the peak between collections is garbage not collected yet, which says more about the
        // machine's load than about the server; it is shown, not asserted)
        const held: number[] = [];
        const streaming = stream(server.origin, STREAM_MS, SLOW_CLIENTS, ENDLESS_CLIENTS);
        let done = false;
        const sampling = (async () => {
          while (!done) {
            await new Promise((resolve) => setTimeout(resolve, 250));
            if (!done) held.push(await server.measure());
          }
        })();
        const statuses = await streaming.finally(() => {
          done = true;
        });
        await sampling;
        const report = await server.report();
        const heldMb = (Math.max(...held) - baseline) / MB;
        console.log(
          `${name}: ${JSON.stringify(statuses)} in ${STREAM_MS} ms; resident memory ${(baseline / MB).toFixed(0)} MB, ` +
            `held while streaming ${heldMb >= 0 ? "+" : ""}${heldMb.toFixed(1)} MB (${held.length} samples), peak +${((report.peak - baseline) / MB).toFixed(1)} MB`,
        );
        expect(Object.keys(statuses.slow)).toEqual(["408"]);
        expect(statuses.slow[408]).toBeGreaterThanOrEqual(SLOW_CLIENTS * 2);
        // an endless client is cut off by whichever limit it meets first: 1 MB (413), or 500 ms on a
        // busy machine (408); never a reset (see lingerBeforeClose)
        expect(Object.keys(statuses.endless).filter((outcome) => outcome !== "408")).toEqual(["413"]);
        expect(report.problems).toEqual([]);
        expect(held.length).toBeGreaterThan(1);
        expect(heldMb).toBeLessThan(32);

        expect((await delivery(server.origin)).status).toBe(200);
        expect((await server.report()).handled).toBe(1);
      } finally {
        await server.stop();
      }
    },
  );
});

describe("a body parser in front reads a slow body without a time limit: the parser waits, not our middleware", () => {
  const cases = frameworks
    .filter((framework) => framework.transport === "http")
    .flatMap((framework) =>
      Object.entries(framework.parsers)
        .filter(([, traits]) => traits.common === true && traits.readsBodyFirst === true)
        .map(([parser]) => ({ framework, parser })),
    );

  it.each(cases.map((c) => [`${c.framework.name} + ${c.parser}`, c] as const))(
    "%s: held past bodyTimeoutMs before our middleware runs; answered 200 by it once the body ends",
    async (_name, { framework, parser }) => {
      const { webhooks, reached } = countingReceiver({ bodyTimeoutMs: 300, logger: {} });
      const target = await framework.start({ options: { webhooks, path: PATH }, parser, mount: "app" });
      try {
        let answered = false;
        const answer = sendSlowBody(target.origin as string, PATH, {
          headers: { "content-type": "application/json" },
          bytesPerTick: 4,
          tickMs: 50,
          end: { afterMs: 900, text: '"}}' },
        }).finally(() => {
          answered = true;
        });
        await new Promise((resolve) => setTimeout(resolve, 700));
        // past bodyTimeoutMs (300 ms): no answer, and our middleware was never called
        expect([answered, reached()]).toEqual([false, 0]);
        const { status, body } = await answer;
        expect([status, body]).toEqual([200, '{"ok":true}']);
        expect(reached()).toBe(1);
      } finally {
        await target.close();
      }
    },
  );
});
