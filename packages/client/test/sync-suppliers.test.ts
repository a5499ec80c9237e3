import { startMockSuppliers } from "@octo-webhooks/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiverSuppliers, type SuppliersConfig, supplierStatus, syncSuppliers } from "../src/index.ts";

let mocks: Awaited<ReturnType<typeof startMockSuppliers>>;
beforeAll(async () => {
  mocks = await startMockSuppliers({ count: 2 });
});
afterAll(() => mocks.close());

const entry = (n: number, extra: object = {}) => ({
  baseUrl: mocks.get(`mock-${n}`).url,
  apiKeyEnv: `KEY_${n}`,
  hook: { usernameEnv: `USER_${n}`, passwordEnv: `PASS_${n}`, nextPasswordEnv: `NEXT_${n}` },
  events: ["booking_update"],
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
  it("dryRun plans without changing; a supplier asking for notifications fails alone, named", async () => {
    const config: SuppliersConfig = {
      receiverUrl: "https://shop.example/hooks/:supplier",
      suppliers: { "mock-1": entry(1), "mock-2": entry(2, { notifications: ["booking.created"] }) },
    };
    const planned = await syncSuppliers(config, { env, dryRun: true });
    expect(planned.changed).toBe(true);
    expect(planned.failed).toEqual(["mock-2"]);
    expect(planned.outcomes.find((o) => !o.ok)).toMatchObject({
      error: expect.stringMatching(/notification subscriptions/),
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
    const status = await supplierStatus(config, { env, only: ["mock-1"] });
    expect(status).toEqual([{ supplier: "mock-1", ok: true, rows: [] }]);
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
