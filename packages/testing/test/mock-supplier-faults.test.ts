// The mock supplier's failure modes over real HTTP: a delivery given up after N attempts, a webhook (or
// subscription) deleted after N failed deliveries in a row, a seeded share of deliveries never sent.
import { createOctoWebhooks } from "@octo-webhooks/core";
import { closeAfterEach } from "@octo-webhooks/test-helpers/vitest";
import { describe, expect, it } from "vitest";
import {
  type MockSupplier,
  type MockSupplierOptions,
  startMockSupplier,
  startReceiver,
} from "../src/index.ts";
import { closedPort, recordingServer } from "./helpers.ts";

const onCleanup = closeAfterEach();
const KEY = "k-faults";
const AUTH = { username: "octo", password: "faults-pw" };

async function supplier(options: MockSupplierOptions = {}): Promise<MockSupplier> {
  const started = await startMockSupplier({ apiKey: KEY, retrySchedule: [5, 5], ...options });
  onCleanup(() => started.close());
  return started;
}

async function recorder(statuses?: number[]) {
  const server = await recordingServer(statuses);
  onCleanup(server.close);
  return server;
}

async function call(
  s: MockSupplier,
  method: string,
  path: string,
  body?: unknown,
  capabilities = "octo/webhooks",
) {
  const response = await fetch(`${s.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${KEY}`,
      "octo-capabilities": capabilities,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) };
}

const webhook = async (s: MockSupplier, url: string, event = "booking_update") =>
  (await call(s, "POST", "/webhooks", { url, event })).json.id as string;

/** A core receiver on node:http whose handler fails while `down.now` is true (it answers 500 then). */
async function flakyReceiver() {
  const down = { now: false };
  const applied: string[] = [];
  const webhooks = createOctoWebhooks({
    auth: { basic: AUTH },
    logger: {},
    onBookingUpdate: ({ booking }) => {
      if (down.now) throw new Error("the database is down");
      applied.push(`${booking.uuid} ${booking.status}`);
    },
  });
  const receiver = await startReceiver(webhooks);
  onCleanup(() => receiver.close());
  const url = new URL(receiver.url);
  url.username = AUTH.username;
  url.password = AUTH.password;
  return { url: url.href, down, applied };
}

describe("giveUpAfter", () => {
  it("tries each delivery exactly N times, past the schedule's end, then records it abandoned", async () => {
    const s = await supplier({ retrySchedule: [5], giveUpAfter: 3 });
    const failing = await recorder([500]);
    await webhook(s, `${failing.url}/hook`);
    const [delivery] = await s.simulate.bookingUpdate();
    expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 500, 500]);
    expect(delivery).toMatchObject({ state: "abandoned", cause: "giveUpAfter" });
    expect(failing.requests).toHaveLength(3);
  });

  it("cuts a longer schedule; a delivery taken in time is delivered; retryOnError: false stays one attempt", async () => {
    const s = await supplier({ retrySchedule: [5, 5, 5, 5], giveUpAfter: 2 });
    const failing = await recorder([500]);
    const second = await recorder([503, 200]);
    const noRetry = await recorder([500]);
    await webhook(s, `${failing.url}/a`);
    await webhook(s, `${second.url}/b`);
    const id = await webhook(s, `${noRetry.url}/c`);
    await call(s, "PATCH", `/webhooks/${id}`, { retryOnError: false });
    const deliveries = await s.simulate.bookingUpdate();
    expect(deliveries.map((d) => [d.state, d.cause, d.attempts.length])).toEqual([
      ["abandoned", "giveUpAfter", 2],
      ["delivered", undefined, 2],
      ["failed", undefined, 1],
    ]);
    expect([failing.requests.length, second.requests.length, noRetry.requests.length]).toEqual([2, 2, 1]);
  });

  it("without it, a delivery out of retries is failed as before", async () => {
    const s = await supplier();
    await webhook(s, `http://127.0.0.1:${await closedPort()}/hook`);
    const [delivery] = await s.simulate.bookingUpdate();
    expect([delivery?.state, delivery?.cause, delivery?.attempts.length]).toEqual(["failed", undefined, 3]);
  });
});

describe("deleteWebhookAfter", () => {
  it("deletes a webhook after N failed deliveries in a row, records it, and stops sending to it", async () => {
    const deleted: string[] = [];
    const s = await supplier({
      giveUpAfter: 1,
      deleteWebhookAfter: 2,
      onWebhookDeleted: (d) => void deleted.push(d.id),
    });
    const good = await flakyReceiver();
    const failing = await recorder([500]);
    const goodId = await webhook(s, good.url);
    const failingId = await webhook(s, `http://user:secret@127.0.0.1:${failing.port}/hook`);
    await s.simulate.bookingUpdate();
    expect(s.webhooks.map((w) => w.id)).toEqual([goodId, failingId]); // one failure: still there
    await s.simulate.bookingUpdate();
    await s.simulate.bookingUpdate();

    expect(failing.requests).toHaveLength(2);
    expect(good.applied).toHaveLength(3);
    expect((await call(s, "GET", "/webhooks")).json.map((w: { id: string }) => w.id)).toEqual([goodId]);
    const failedIds = s.deliveries.filter((d) => d.webhookId === failingId).map((d) => d.id);
    expect(s.deletedWebhooks).toEqual([
      {
        id: failingId,
        kind: "webhook",
        events: ["booking_update"],
        url: `http://127.0.0.1:${failing.port}/hook`,
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        failedDeliveries: failedIds,
      },
    ]);
    expect(deleted).toEqual([failingId]);
    expect((await call(s, "GET", "/_mock/deleted-webhooks")).json).toEqual(s.deletedWebhooks);
    expect((await call(s, "PATCH", `/webhooks/${failingId}`, { active: true })).json.error).toBe(
      "INVALID_WEBHOOK_ID",
    );
  });

  it("counts failures in a row only: a delivered one starts the count again", async () => {
    const s = await supplier({ giveUpAfter: 1, deleteWebhookAfter: 2 });
    const receiver = await flakyReceiver();
    const id = await webhook(s, receiver.url);
    const run = async (down: boolean) => {
      receiver.down.now = down;
      const [delivery] = await s.simulate.bookingUpdate();
      return delivery?.state;
    };
    expect([await run(true), await run(false), await run(true)]).toEqual([
      "abandoned",
      "delivered",
      "abandoned",
    ]);
    expect(s.webhooks.map((w) => w.id)).toEqual([id]);
    expect(await run(true)).toBe("abandoned");
    expect(s.webhooks).toEqual([]);
    expect(s.deletedWebhooks[0]?.failedDeliveries).toEqual(["d3", "d4"]);
    expect(await s.simulate.bookingUpdate()).toEqual([]);
  });

  it("abandons the deliveries still queued or waiting for a retry when their webhook is deleted", async () => {
    const s = await supplier({ retrySchedule: [300, 300, 300, 300] });
    const port = await closedPort();
    await webhook(s, `http://127.0.0.1:${port}/hook`);
    const slow = s.simulate.bookingUpdate(); // d1: fails, then waits 300 ms for its retry
    await new Promise((resolve) => setTimeout(resolve, 50));
    s.faults.configure({ giveUpAfter: 1, deleteWebhookAfter: 1 });
    const life = await s.simulate.bookingLifecycle(); // d2 fails once: the webhook is deleted
    const [waiting] = await slow;
    expect(life.map((d) => [d.state, d.cause, d.attempts.length])).toEqual([
      ["abandoned", "giveUpAfter", 1],
      ["abandoned", "deleteWebhookAfter", 0],
      ["abandoned", "deleteWebhookAfter", 0],
      ["abandoned", "deleteWebhookAfter", 0],
    ]);
    // it keeps the attempts' limit it started with, but no retry is sent to a deleted webhook
    expect(waiting?.state).toBe("abandoned");
    expect(waiting?.cause).toBe("deleteWebhookAfter");
    expect(waiting?.attempts.length).toBeLessThan(5);
    expect(s.deletedWebhooks.map((d) => d.failedDeliveries)).toEqual([[life[0]?.id]]);
  });

  it("deletes a notification subscription the same way", async () => {
    const s = await supplier({ giveUpAfter: 2, deleteWebhookAfter: 2 });
    const failing = await recorder([500]);
    const created = await call(
      s,
      "POST",
      "/notifications/subscriptions",
      { url: `${failing.url}/n`, notificationTypes: ["BOOKING_UPDATE"] },
      "notifications",
    );
    await s.simulate.bookingUpdate();
    await s.simulate.bookingUpdate();
    expect((await call(s, "GET", "/notifications/subscriptions", undefined, "notifications")).json).toEqual(
      [],
    );
    expect(s.deletedWebhooks).toMatchObject([
      {
        id: created.json.id,
        kind: "subscription",
        events: ["BOOKING_UPDATE"],
        failedDeliveries: ["d1", "d2"],
      },
    ]);
    expect(failing.requests).toHaveLength(4);
  });
});

describe("dropRate", () => {
  const run = async (seed: string, dropRate: number) => {
    const s = await supplier({ seed, dropRate });
    const server = await recorder();
    await webhook(s, `${server.url}/hook`);
    for (let i = 0; i < 40; i++) await s.simulate.bookingUpdate();
    return { s, server };
  };

  it("never sends a seeded share of deliveries, and records each one dropped", async () => {
    const { s, server } = await run("drops-a", 0.5);
    const dropped = s.deliveries.filter((d) => d.state === "dropped");
    expect(dropped.length).toBeGreaterThan(5);
    expect(dropped.length).toBeLessThan(35);
    expect(dropped.every((d) => d.cause === "dropRate" && d.attempts.length === 0)).toBe(true);
    expect(server.requests).toHaveLength(40 - dropped.length);
    const sent = server.requests.map((r) => JSON.parse(r.body).booking.uuid);
    const delivered = s.deliveries.filter((d) => d.state === "delivered");
    expect(sent).toEqual(delivered.map((d) => (d.body.booking as { uuid: string }).uuid));
    const listed = await call(s, "GET", "/_mock/deliveries?state=dropped");
    expect(listed.json.map((d: { id: string }) => d.id)).toEqual(dropped.map((d) => d.id));

    // the same seed drops the same ones; another seed, others
    const again = await run("drops-a", 0.5);
    const other = await run("drops-b", 0.5);
    const pattern = (x: MockSupplier) => x.deliveries.map((d) => d.state).join(",");
    expect(pattern(again.s)).toBe(pattern(s));
    expect(pattern(other.s)).not.toBe(pattern(s));
  });

  it("drops all at 1 and none at 0; a replay is never dropped; drops are not failures", async () => {
    const all = await supplier({ dropRate: 1, giveUpAfter: 1, deleteWebhookAfter: 1 });
    const server = await recorder();
    await webhook(all, `${server.url}/hook`);
    const deliveries = await all.simulate.bookingLifecycle();
    expect(deliveries.map((d) => d.state)).toEqual(["dropped", "dropped", "dropped", "dropped"]);
    expect(server.requests).toEqual([]);
    expect(all.webhooks).toHaveLength(1);
    expect((await all.replay("d1")).state).toBe("delivered");
    expect(server.requests).toHaveLength(1);

    const { s } = await run("drops-a", 0);
    expect(s.deliveries.every((d) => d.state === "delivered")).toBe(true);
  });
});

describe("the failure modes' settings", () => {
  it("are read and changed at /_mock/faults and through supplier.faults", async () => {
    const s = await supplier({ giveUpAfter: 4 });
    expect((await call(s, "GET", "/_mock/faults")).json).toEqual({
      giveUpAfter: 4,
      deleteWebhookAfter: null,
      dropRate: 0,
    });
    const changed = await call(s, "POST", "/_mock/faults", { deleteWebhookAfter: 3, dropRate: 0.25 });
    expect(changed).toEqual({
      status: 202,
      json: { giveUpAfter: 4, deleteWebhookAfter: 3, dropRate: 0.25 },
    });
    await call(s, "POST", "/_mock/faults", { giveUpAfter: null });
    expect(s.faults.settings()).toEqual({ giveUpAfter: null, deleteWebhookAfter: 3, dropRate: 0.25 });
    for (const bad of [{ giveUpAfter: 0 }, { dropRate: 1.5 }, { deleteWebhookAfter: "3" }, { retries: 2 }]) {
      const answer = await call(s, "POST", "/_mock/faults", bad);
      expect([answer.status, answer.json.error]).toEqual([400, "BAD_REQUEST"]);
    }
    expect(() => s.faults.configure({ dropRate: -1 })).toThrow(/dropRate/);
    expect(s.faults.settings()).toEqual({ giveUpAfter: null, deleteWebhookAfter: 3, dropRate: 0.25 });
  });

  it("refuses bad options at start", async () => {
    await expect(startMockSupplier({ giveUpAfter: 0 })).rejects.toThrow(/giveUpAfter/);
    await expect(startMockSupplier({ deleteWebhookAfter: 1.5 })).rejects.toThrow(/deleteWebhookAfter/);
    await expect(startMockSupplier({ dropRate: 2 })).rejects.toThrow(/dropRate/);
  });
});
