// The delivery log: one entry per attempt, with what arrived and what the receiver did, never a
// credential; and replay through the same pipeline.
import { describe, expect, it } from "vitest";
import {
  createMemoryLog,
  createOctoWebhooks,
  type DeliveryLog,
  type DeliveryLogEntry,
  logDeliveries,
  NonRetryableError,
  replayDeliveries,
} from "../src/index.ts";
import { basic, bookingBody, post } from "./helpers.ts";

const PASSWORD = "s3cret-log-pass-77";
const AUTH = { basic: { username: "octo", password: PASSWORD } };
const AUTHORIZATION = basic("octo", PASSWORD);

async function entries(log: ReturnType<typeof createMemoryLog>): Promise<DeliveryLogEntry[]> {
  const { entries: found } = await log.list(undefined, { limit: 1000 });
  return found.reverse();
}

describe("the delivery log", () => {
  it("keeps each attempt: arrival, supplier, event, resource, key, body, headers without credentials, answer, handlers", async () => {
    const log = createMemoryLog();
    let fail = true;
    const webhooks = createOctoWebhooks({
      logger: {},
      auth: AUTH,
      log,
      onBookingUpdate: () => {
        if (fail) throw new Error(`database down (password ${PASSWORD})`);
      },
    });
    const body = bookingBody({ uuid: "b-9", notes: `the note repeats ${PASSWORD}` });
    const headers = { authorization: AUTHORIZATION, "x-request-id": "r-1", "x-api-key": "k-9f" };
    expect((await webhooks.handle(post(body, headers))).status).toBe(500);
    fail = false;
    expect((await webhooks.handle(post(body, headers))).status).toBe(200);
    const [first, second] = await entries(log);
    expect(first).toMatchObject({
      source: "webhook",
      event: "booking_update",
      resourceId: "b-9",
      attempt: 1,
      status: 500,
      outcome: "failed",
      error: { code: "HANDLER_FAILED" },
      handlers: [{ event: "booking_update", index: 0, ok: false }],
    });
    expect(second).toMatchObject({ attempt: 2, status: 200, outcome: "handled", handlers: [{ ok: true }] });
    expect(second?.deliveryKey).toBe(first?.deliveryKey);
    expect(first?.headers["x-request-id"]).toBe("r-1");
    expect(first?.body).toContain('"uuid":"b-9"');
    const everything = JSON.stringify(await entries(log));
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(AUTHORIZATION.slice(6));
    expect(everything).not.toContain("k-9f");
  });

  it("a refusal is logged with its status, the claimed supplier and no body it did not read", async () => {
    const log = createMemoryLog();
    const webhooks = createOctoWebhooks({
      logger: {},
      log,
      suppliers: { peek: { auth: AUTH } },
    });
    await webhooks.handle({
      ...post(bookingBody(), { authorization: basic("octo", "wrong") }),
      supplier: "peek",
    });
    await webhooks.handle(post("{not json", { authorization: AUTHORIZATION }));
    const [unauthorized, malformed] = await entries(log);
    expect(unauthorized).toMatchObject({
      status: 401,
      outcome: "refused",
      supplier: "peek",
      error: { code: "UNAUTHORIZED" },
    });
    expect(malformed).toMatchObject({
      status: 400,
      outcome: "refused",
      body: "{not json",
      error: { code: "MALFORMED_JSON" },
    });
  });

  it("duplicates, stale updates and NonRetryableError refusals are logged as such", async () => {
    const log = createMemoryLog();
    const webhooks = createOctoWebhooks({
      logger: {},
      auth: "none",
      dedupe: true,
      staleGuard: true,
      log,
      onBookingUpdate: ({ booking }) => {
        if (booking.uuid === "refuse") throw new NonRetryableError("not ours", { status: 409 });
      },
    });
    const newer = bookingBody({ utcUpdatedAt: "2026-03-02T00:00:00Z" });
    await webhooks.handle(post(newer));
    await webhooks.handle(post(newer));
    await webhooks.handle(post(bookingBody({ utcUpdatedAt: "2026-03-01T00:00:00Z", notes: "older" })));
    await webhooks.handle(post(bookingBody({ uuid: "refuse" })));
    expect((await entries(log)).map((entry) => [entry.status, entry.outcome])).toEqual([
      [200, "handled"],
      [200, "duplicate"],
      [200, "stale"],
      [409, "refused"],
    ]);
  });

  it("ack-first: the entry is written once the handlers ran, with their outcome", async () => {
    const log = createMemoryLog();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const webhooks = createOctoWebhooks({
      logger: {},
      auth: "none",
      ackFirst: true,
      log,
      onBookingUpdate: () => held,
    });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(200);
    expect(log.size).toBe(0);
    release();
    await webhooks.drain();
    const [entry] = await entries(log);
    expect(entry).toMatchObject({ status: 200, outcome: "handled", handlers: [{ ok: true }] });
  });

  it("a body over the log's limit is kept as its size and hash", async () => {
    const log = createMemoryLog();
    const webhooks = createOctoWebhooks({ logger: {}, auth: "none", log: { store: log, maxBodyBytes: 256 } });
    await webhooks.handle(post(bookingBody({ notes: "x".repeat(1000) })));
    const [entry] = await entries(log);
    expect(entry?.body).toBeUndefined();
    expect(entry?.bodySize).toBeGreaterThan(1000);
    expect(entry?.bodyHash).toMatch(/^[0-9a-f]+$/);
  });

  it("keeps at most maxEntries, the newest", async () => {
    const log = createMemoryLog({ maxEntries: 3 });
    const webhooks = createOctoWebhooks({ logger: {}, auth: "none", log });
    for (let i = 0; i < 5; i++) await webhooks.handle(post(bookingBody({ uuid: `b-${i}` })));
    expect((await entries(log)).map((entry) => entry.resourceId)).toEqual(["b-2", "b-3", "b-4"]);
  });
  it("a log of your own is written once given through logDeliveries(); given bare, the receiver says how", async () => {
    const kept: DeliveryLogEntry[] = [];
    const own: DeliveryLog = {
      append: (entry) => {
        kept.push(entry);
      },
      list: () => ({ entries: [...kept].reverse(), cursor: undefined }),
      get: (id) => kept.find((entry) => entry.id === id),
    };
    expect(() => createOctoWebhooks({ logger: {}, auth: "none", log: own })).toThrow(
      /logDeliveries\(yourLog\)/,
    );
    const webhooks = createOctoWebhooks({ logger: {}, auth: "none", log: logDeliveries(own) });
    expect((await webhooks.handle(post(bookingBody({ uuid: "b-own" })))).status).toBe(200);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ outcome: "handled", status: 200, resourceId: "b-own" });
  });
});

describe("replay from the log", () => {
  it("by supplier and time range: dedupe honoured (nothing runs twice), force applies again, each logged as a replay", async () => {
    const log = createMemoryLog();
    const calls: string[] = [];
    const webhooks = createOctoWebhooks({
      logger: {},
      auth: "none",
      dedupe: true,
      log,
      onBookingUpdate: ({ booking }, context) => void calls.push(`${booking.uuid} ${context.source}`),
    });
    for (let i = 0; i < 10; i++) await webhooks.handle(post(bookingBody({ uuid: `b-${i}` })));
    const filter = { since: new Date(Date.now() - 60_000).toISOString() };
    const honoured = await replayDeliveries({ log, receiver: webhooks, filter });
    expect(honoured).toMatchObject({ found: 10, applied: 0, skipped: 10, failed: 0 });
    const dry = await replayDeliveries({ log, receiver: webhooks, filter, force: true, dryRun: true });
    expect(dry.found).toBe(10);
    const forced = await replayDeliveries({ log, receiver: webhooks, filter, force: true });
    expect(forced).toMatchObject({ found: 10, applied: 10 });
    expect(calls.filter((call) => call.endsWith("replay"))).toHaveLength(10);
    const replays = (await entries(log)).filter((entry) => entry.source === "replay");
    expect(replays).toHaveLength(20);
    expect(Math.max(...replays.map((entry) => entry.attempt ?? 0))).toBe(3);
  });
});
