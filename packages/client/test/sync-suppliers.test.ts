import { startMockSuppliers } from "@octo-webhooks/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  receiverSuppliers,
  type SupplierEventName,
  type SuppliersConfig,
  supplierClients,
  supplierStatus,
  syncSuppliers,
} from "../src/index.ts";

let mocks: Awaited<ReturnType<typeof startMockSuppliers>>;
beforeAll(async () => {
  mocks = await startMockSuppliers({ count: 2 });
});
afterAll(() => mocks.close());

const entry = (n: number, extra: object = {}) => ({
  baseUrl: mocks.get(`mock-${n}`).url,
  apiKeyEnv: `KEY_${n}`,
  hook: { usernameEnv: `USER_${n}`, passwordEnv: `PASS_${n}`, nextPasswordEnv: `NEXT_${n}` },
  events: ["booking_update"] as SupplierEventName[],
  ...extra,
});
const env = {
  KEY_1: "mock-1-api-key",
  KEY_2: "mock-2-api-key",
  USER_1: "u1",
  PASS_1: "p1",
  USER_2: "u2",
  PASS_2: "p2",
};

describe("syncSuppliers", () => {
  it("dryRun plans without changing; a supplier with a bad notifications list fails alone, named", async () => {
    const config: SuppliersConfig = {
      receiverUrl: "https://shop.example/hooks/:supplier",
      suppliers: { "mock-1": entry(1), "mock-2": entry(2, { notifications: ["booking.created"] }) },
    };
    await expect(syncSuppliers(config, { env, dryRun: true })).rejects.toThrow(
      /`suppliers.mock-2.notifications` must be a list of BOOKING_UPDATE, AVAILABILITY_UPDATE, PRODUCT_UPDATE \(any case\)/,
    );
    const good: SuppliersConfig = {
      ...config,
      suppliers: { "mock-1": entry(1), "mock-2": entry(2, { apiKeyEnv: "UNSET" }) },
    };
    const planned = await syncSuppliers(good, { env, dryRun: true });
    expect(planned.changed).toBe(true);
    expect(planned.failed).toEqual(["mock-2"]);
    expect(planned.outcomes.find((o) => !o.ok)).toMatchObject({
      error: expect.stringMatching(/UNSET is not set/),
    });
    expect(planned.outcomes.find((o) => o.ok)).toMatchObject({
      rows: [
        {
          supplier: "mock-1",
          event: "booking_update",
          action: "create",
          url: "https://***@shop.example/hooks/mock-1",
        },
      ],
    });
    expect(mocks.get("mock-1").webhooks).toHaveLength(0);
    const status = await supplierStatus(good, { env, only: ["mock-1"] });
    expect(status).toEqual([{ supplier: "mock-1", ok: true, rows: [] }]);
  });

  it("syncs a supplier's notification subscription beside its webhooks; twice changes nothing; [] deletes it", async () => {
    const config = (
      notifications: string[],
      events: SupplierEventName[] = ["booking_update"],
    ): SuppliersConfig => ({
      receiverUrl: "https://shop.example/notify/:supplier",
      suppliers: { "mock-2": entry(2, { events, notifications }) },
    });
    const first = await syncSuppliers(config(["booking_update", "PRODUCT_UPDATE"]), { env });
    expect(first.outcomes[0]).toMatchObject({
      ok: true,
      rows: [
        { event: "booking_update", action: "create" },
        {
          kind: "notification",
          event: "BOOKING_UPDATE,PRODUCT_UPDATE",
          action: "create",
          url: "https://***@shop.example/notify/mock-2",
        },
      ],
    });
    const sub = mocks.get("mock-2").subscriptions;
    expect(sub).toEqual([
      expect.objectContaining({
        url: "https://u2:p2@shop.example/notify/mock-2",
        notificationTypes: ["BOOKING_UPDATE", "PRODUCT_UPDATE"],
      }),
    ]);
    const again = await syncSuppliers(config(["PRODUCT_UPDATE", "BOOKING_UPDATE"]), { env });
    expect(again.changed).toBe(false);
    const changed = await syncSuppliers(config(["AVAILABILITY_UPDATE"]), { env, dryRun: true });
    expect(changed.outcomes[0]).toMatchObject({
      rows: [
        expect.objectContaining({ action: "keep" }),
        expect.objectContaining({ kind: "notification", action: "update", event: "AVAILABILITY_UPDATE" }),
      ],
    });
    const status = await supplierStatus(config([]), { env });
    expect(status[0]).toMatchObject({
      ok: true,
      rows: [
        expect.objectContaining({ event: "booking_update" }),
        expect.objectContaining({ kind: "notification", known: true, webhookId: sub[0]?.id }),
      ],
    });
    const removed = await syncSuppliers(config([], []), { env });
    expect(removed.outcomes[0]).toMatchObject({
      rows: [
        { action: "delete", event: "booking_update" },
        { kind: "notification", action: "delete" },
      ],
    });
    expect(mocks.get("mock-2").subscriptions).toEqual([]);
  });

  it.each([
    [{ receiverUrl: "ftp://x", suppliers: {} }, /receiverUrl/],
    [{ receiverUrl: "https://x/:supplier", suppliers: {} }, /lists no supplier/],
    [{ receiverUrl: "https://x/:supplier", suppliers: { "a b": {} } }, /supplier id/],
    [
      {
        receiverUrl: "https://x/:supplier",
        suppliers: { a: { baseUrl: "https://a", apiKeyEnv: "K", events: [] } },
      },
      /`suppliers.a.hook`/,
    ],
  ])("refuses a bad config with a clear error (%#)", async (config, message) => {
    await expect(syncSuppliers(config as never, { env })).rejects.toThrow(message);
  });
});

describe("receiverSuppliers", () => {
  it("gives each supplier its credentials, both passwords during a rotation; a missing env var is named", () => {
    const config: SuppliersConfig = {
      receiverUrl: "https://shop.example/hooks/:supplier",
      suppliers: { a: entry(1), b: entry(2) },
    };
    expect(receiverSuppliers(config, { ...env, NEXT_2: "p2-next" })).toEqual({
      a: { auth: { basic: [{ username: "u1", password: "p1" }] } },
      b: {
        auth: {
          basic: [
            { username: "u2", password: "p2" },
            { username: "u2", password: "p2-next" },
          ],
        },
      },
    });
    expect(() => receiverSuppliers(config, { ...env, PASS_2: undefined })).toThrow(
      /supplier b: the env var PASS_2 is not set/,
    );
  });
});

describe("supplierClients", () => {
  it("gives each supplier its client (key from the env, its capability spelling); a missing key is named", async () => {
    const config: SuppliersConfig = {
      receiverUrl: "https://shop.example/hooks/:supplier",
      suppliers: {
        "mock-1": entry(1),
        "mock-2": entry(2, { notificationsCapability: "octo/notifications" }),
      },
    };
    const clients = supplierClients(config, { env });
    expect(Object.keys(clients)).toEqual(["mock-1", "mock-2"]);
    await clients["mock-2"]?.notifications.list();
    expect(mocks.get("mock-2").requests.at(-1)).toMatchObject({
      status: 200,
      capabilities: ["octo/notifications"],
    });
    expect(() => supplierClients(config, { env: { ...env, KEY_1: undefined } })).toThrow(
      /^\[@octo-webhooks\/client\] supplier mock-1: the env var KEY_1 is not set$/,
    );
  });
});
