// The example for real: three mock suppliers, the receiver on a free port, `syncSuppliers` registering
// it at all three, then events from each reaching the handler with the right supplier.
import type { AddressInfo } from "node:net";
import { syncSuppliers } from "@octo-webhooks/client";
import { type MockSuppliers, startMockSuppliers } from "@octo-webhooks/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { suppliersConfig } from "../octo-webhooks.config.ts";
import { createApp } from "../src/main.ts";

const IDS = ["mock-1", "mock-2", "mock-3"];
const lines: string[] = [];
const log = { info: (line: string) => void lines.push(line), warn: () => {}, error: () => {} };
let mocks: MockSuppliers;
let close: () => Promise<void>;
let origin: string;
const env: Record<string, string> = {};

beforeAll(async () => {
  mocks = await startMockSuppliers({ ids: IDS, retrySchedule: [] });
  IDS.forEach((id, i) => {
    env[`MOCK_${i + 1}_API_KEY`] = mocks.get(id).apiKey;
    env[`MOCK_${i + 1}_HOOK_USER`] = `${id}-hooks`;
    env[`MOCK_${i + 1}_HOOK_PASS`] = `${id}-pass-${i * 7 + 3}`;
  });
  const placeholder = suppliersConfig(
    "http://127.0.0.1:1",
    mocks.suppliers.map((s) => s.url),
  );
  const server = createApp(placeholder, env, log).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  await close?.();
  await mocks?.close();
});

const config = () =>
  suppliersConfig(
    origin,
    mocks.suppliers.map((s) => s.url),
  );

it("sync registers the receiver at all three suppliers, then finds everything in line", async () => {
  const first = await syncSuppliers(config(), { env });
  expect(first.failed).toEqual([]);
  expect(first.changed).toBe(true);
  for (const s of mocks.suppliers.slice(0, 2))
    expect(s.webhooks.map((w) => new URL(w.url).pathname)).toEqual([
      `/webhooks/octo/${s.id}`,
      `/webhooks/octo/${s.id}`,
    ]);
  // mock-3 sends notifications: one subscription, no webhook
  expect(mocks.get("mock-3").webhooks).toEqual([]);
  expect(
    mocks.get("mock-3").subscriptions.map((s) => [new URL(s.url).pathname, s.notificationTypes]),
  ).toEqual([["/webhooks/octo/mock-3", ["BOOKING_UPDATE", "AVAILABILITY_UPDATE"]]]);
  const second = await syncSuppliers(config(), { env });
  expect(second.changed).toBe(false);
  expect(second.outcomes.flatMap((o) => (o.ok ? o.rows.map((r) => r.action) : ["failed"]))).toEqual(
    Array(5).fill("keep"),
  );
});

it("each supplier's events reach the handler with its id; mock-3's notifications hydrated from mock-3", async () => {
  for (const s of mocks.suppliers) {
    const deliveries = await s.simulate.bookingLifecycle();
    expect(deliveries).toHaveLength(4);
    for (const d of deliveries) expect(d.attempts.at(-1)?.status).toBe(200);
  }
  const uuid = [...mocks.get("mock-3").bookings.keys()][0];
  expect(lines.filter((l) => l.startsWith("[mock-3] "))).toEqual([
    `[mock-3] booking ${uuid} ON_HOLD`,
    `[mock-3] booking ${uuid} CONFIRMED`,
    `[mock-3] booking ${uuid} CONFIRMED`,
    `[mock-3] booking ${uuid} CANCELLED`,
  ]);
  expect(mocks.get("mock-3").reads.stats().requests.bookings).toBe(4);
  for (const id of IDS)
    expect(lines.filter((l) => l.startsWith(`[${id}] booking `)).length).toBeGreaterThan(1);
  expect(lines.every((l) => /^\[mock-[123]\] /.test(l))).toBe(true);
});

it("one supplier's credentials on another's path are refused", async () => {
  const authorization = `Basic ${btoa(`mock-1-hooks:${env.MOCK_1_HOOK_PASS}`)}`;
  const body = JSON.stringify({ booking: { uuid: "b-1", status: "CONFIRMED" } });
  const post = (path: string) =>
    fetch(`${origin}${path}`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body,
    });
  expect((await post("/webhooks/octo/mock-2")).status).toBe(401);
  expect((await post("/webhooks/octo/mock-1")).status).toBe(200);
});
