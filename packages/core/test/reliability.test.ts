// At-least-once delivery made exactly-once: a real node:http server wrapping handle(), a sender that
// retries every non-2xx (as OCTO senders do with retryOnError), duplicate sends, failing handlers and
// late out-of-order updates. Every booking's effect must be applied exactly once and none lost.
import { createServer, type Server } from "node:http";
import { closeServer, listen } from "@octo-webhooks/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOctoWebhooks } from "../src/index.ts";

const DELIVERIES = 2000;
const CONCURRENCY = 50;
const MAX_ATTEMPTS = 30;

const failsOnce = (i: number) => i % 20 === 3; // 5% of handler calls fail, once
const sentTwice = (i: number) => i % 20 === 11; // 5% are sent twice at once (a sender timeout)
const reserialised = (i: number) => i % 40 === 11; // half of those with other key order and whitespace
const followedByStale = (i: number) => i % 20 === 7; // 5% get an older update after the newest

const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

function booking(i: number, status: string, utcUpdatedAt: string) {
  return {
    webhook: { id: "wh-reliability", event: "booking_update", url: "https://reseller.example.test/hook" },
    booking: {
      id: `id-${i}`,
      uuid: uuid(i),
      status,
      utcUpdatedAt,
      productId: "prod-1",
      optionId: "DEFAULT",
      unitItems: [{ uuid: `ui-${i}`, unitId: "adult", status }],
    },
    diff: [{ op: "replace", path: "/status", was: "ON_HOLD", value: status }],
  };
}

const reversedKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(reversedKeys)
    : typeof value === "object" && value !== null
      ? Object.fromEntries(
          Object.entries(value)
            .reverse()
            .map(([k, v]) => [k, reversedKeys(v)]),
        )
      : value;

describe("reliability: 2,000 deliveries at concurrency 50 through a real HTTP server", () => {
  const applied = new Map<string, number>();
  const calls = new Map<string, number>();
  let duplicates = 0;
  let stale = 0;
  let server: Server;
  let url: string;

  const webhooks = createOctoWebhooks({
    dedupe: true,
    staleGuard: true,
    logger: {},
    onBookingConfirmed: async ({ booking }) => {
      const index = Number(booking.uuid.slice(-12));
      const call = (calls.get(booking.uuid) ?? 0) + 1;
      calls.set(booking.uuid, call);
      await new Promise((r) => setTimeout(r, index % 4));
      if (failsOnce(index) && call === 1) throw new Error("database unavailable");
      applied.set(booking.uuid, (applied.get(booking.uuid) ?? 0) + 1);
    },
    onBookingOnHold: ({ booking }) => {
      // only the stale updates are ON_HOLD: none may be applied
      applied.set(`stale ${booking.uuid}`, 1);
    },
    onDuplicate: () => void duplicates++,
    onStale: () => void stale++,
  });

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const answer = await webhooks.handle({ method: req.method ?? "", headers: req.headers, body: req });
      res.writeHead(answer.status, answer.headers).end(answer.body);
    });
    server.keepAliveTimeout = 10_000;
    url = `http://127.0.0.1:${await listen(server)}/webhooks/octo`;
  });
  afterAll(() => closeServer(server));

  /** The sender: POSTs until a 2xx, like an OCTO sender with retryOnError; answers what it saw. */
  async function send(body: string): Promise<number[]> {
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "reliability-sender" },
        body,
      });
      await response.arrayBuffer();
      statuses.push(response.status);
      if (response.ok) return statuses;
      await new Promise((r) => setTimeout(r, 2 * attempt));
    }
    return statuses;
  }

  it("applies every booking's effect exactly once, loses none, and dispatches no stale update", async () => {
    const outcomes: number[][] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < DELIVERIES; i = next++) {
        const body = booking(i, "CONFIRMED", `2026-11-20T10:00:${String(i % 60).padStart(2, "0")}Z`);
        const text = JSON.stringify(body);
        if (sentTwice(i)) {
          const copy = reserialised(i) ? JSON.stringify(reversedKeys(body), null, 2) : text;
          outcomes.push(...(await Promise.all([send(text), send(copy)])));
        } else {
          outcomes.push(await send(text));
        }
        if (followedByStale(i)) {
          // the supplier's earlier ON_HOLD update, arriving late
          outcomes.push(await send(JSON.stringify(booking(i, "ON_HOLD", "2026-11-20 09:59:00Z"))));
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // none lost: every send ended in a 2xx
    expect(outcomes.filter((statuses) => statuses.at(-1) !== 200)).toEqual([]);
    // exactly once: every booking's effect, once; no stale update applied
    expect(applied.size).toBe(DELIVERIES);
    expect([...applied.values()].every((count) => count === 1)).toBe(true);
    // the failures were real and were retried: one 500 for each booking whose handler failed once
    const failures = outcomes.flat().filter((s) => s === 500).length;
    expect(failures).toBe(DELIVERIES / 20);
    expect([...calls.values()].filter((n) => n === 2)).toHaveLength(DELIVERIES / 20);
    // every second copy was suppressed (some first met a 409 while the original ran), every late update stale
    expect(duplicates).toBeGreaterThanOrEqual(DELIVERIES / 20);
    expect(stale).toBe(DELIVERIES / 20);
    expect(outcomes.flat().filter((s) => ![200, 409, 500].includes(s))).toEqual([]);
  }, 60_000);
});
