// The suppliers config's credentials and events: a supplier authenticated by a header (registered as the
// webhook's header, checked by core's `auth.header`), a receiver's password that drifted from what a
// supplier has registered (`supplierStatus` names it), and events checked against core's.
import { createOctoWebhooks } from "@octo-webhooks/core";
import { startMockSuppliers, startReceiver } from "@octo-webhooks/testing";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  createOctoClient,
  receiverSuppliers,
  type SupplierEntry,
  type SuppliersConfig,
  supplierStatus,
  syncSuppliers,
} from "../src/index.ts";
import { onCleanup } from "./helpers.ts";

let mocks: Awaited<ReturnType<typeof startMockSuppliers>>;
beforeAll(async () => {
  mocks = await startMockSuppliers({ ids: ["basic", "keyed"], retrySchedule: [] });
});
afterAll(() => mocks.close());

const basic = (extra: Partial<SupplierEntry> = {}): SupplierEntry => ({
  baseUrl: mocks.get("basic").url,
  apiKeyEnv: "BASIC_KEY",
  hook: { usernameEnv: "BASIC_USER", passwordEnv: "BASIC_PASS", nextPasswordEnv: "BASIC_NEXT" },
  events: ["booking_update", "availability_update"],
  ...extra,
});
const keyed = (extra: Partial<SupplierEntry> = {}): SupplierEntry => ({
  baseUrl: mocks.get("keyed").url,
  apiKeyEnv: "KEYED_KEY",
  hook: { headerName: "x-api-key", valueEnv: "KEYED_HOOK_KEY", nextValueEnv: "KEYED_HOOK_KEY_NEXT" },
  events: ["booking_update"],
  ...extra,
});
const baseEnv = () => ({
  BASIC_KEY: "basic-api-key",
  BASIC_USER: "octo",
  BASIC_PASS: "basic-pass-1",
  KEYED_KEY: "keyed-api-key",
  KEYED_HOOK_KEY: "keyed-hook-key-1",
});

async function cleared() {
  for (const s of mocks.suppliers) {
    const octo = createOctoClient({ baseUrl: s.url, apiKey: s.apiKey, retries: 0 });
    for (const w of await octo.webhooks.list()) await octo.webhooks.delete(w.id);
  }
}

describe("a supplier authenticated by a header", () => {
  it("sync registers the header (no credentials in the URL); the receiver checks it with auth.header", async () => {
    await cleared();
    const env: Record<string, string | undefined> = baseEnv();
    const handled: string[] = [];
    const config = (receiverUrl: string): SuppliersConfig => ({
      receiverUrl,
      suppliers: { basic: basic(), keyed: keyed() },
    });
    // the header supplier's auth, read from the env at each delivery (the rotation below changes it)
    const webhooks = createOctoWebhooks({
      logger: {},
      auth: () => receiverSuppliers(config("https://placeholder.example/"), env).keyed?.auth,
      onBookingUpdate: ({ booking }) => void handled.push(String(booking.status)),
    });
    const receiver = await startReceiver(webhooks);
    onCleanup(() => receiver.close());

    expect(receiverSuppliers(config(receiver.url), env).keyed).toEqual({
      auth: { header: { name: "x-api-key", value: ["keyed-hook-key-1"] } },
    });
    const synced = await syncSuppliers(config(receiver.url), { env });
    expect(synced.failed).toEqual([]);
    expect(mocks.get("keyed").webhooks).toEqual([
      expect.objectContaining({
        event: "booking_update",
        url: receiver.url,
        headers: { "x-api-key": "keyed-hook-key-1" },
      }),
    ]);
    expect(new URL(mocks.get("basic").webhooks[0]?.url as string).password).toBe("basic-pass-1");
    expect((await syncSuppliers(config(receiver.url), { env })).changed).toBe(false);

    const [delivered] = await mocks.get("keyed").simulate.bookingUpdate({ status: "CONFIRMED" });
    expect(delivered?.attempts.map((a) => a.status)).toEqual([200]);
    expect(handled).toEqual(["CONFIRMED"]);

    // a rotation: the receiver accepts both values, `rotate` moves the registration to the next one
    env.KEYED_HOOK_KEY_NEXT = "keyed-hook-key-2";
    expect(receiverSuppliers(config(receiver.url), env).keyed).toEqual({
      auth: { header: { name: "x-api-key", value: ["keyed-hook-key-1", "keyed-hook-key-2"] } },
    });
    const rotated = await syncSuppliers(config(receiver.url), { env, rotate: true, only: ["keyed"] });
    expect(rotated.outcomes[0]).toMatchObject({ ok: true, rows: [{ action: "update" }] });
    expect(mocks.get("keyed").webhooks[0]?.headers).toEqual({ "x-api-key": "keyed-hook-key-2" });
    const [after] = await mocks.get("keyed").simulate.bookingUpdate({ status: "CANCELLED" });
    expect(after?.attempts.map((a) => a.status)).toEqual([200]);

    // the receiver without the value the supplier sends refuses it
    env.KEYED_HOOK_KEY_NEXT = undefined;
    const [refused] = await mocks.get("keyed").simulate.bookingUpdate({ status: "CONFIRMED" });
    expect(refused?.attempts.map((a) => a.status)).toEqual([401]);
  });

  it("refuses a header hook without its env var name, or with a header name that is not one", async () => {
    const env = baseEnv();
    const bad = (hook: object) =>
      syncSuppliers(
        {
          receiverUrl: "https://shop.example/h/:supplier",
          suppliers: { keyed: keyed({ hook: hook as never }) },
        },
        { env },
      );
    await expect(bad({ headerName: "x-api-key" })).rejects.toThrow(
      /`suppliers.keyed.hook` must be \{ headerName, valueEnv, nextValueEnv\? \}/,
    );
    await expect(bad({ headerName: "x api key", valueEnv: "V" })).rejects.toThrow(
      /`suppliers.keyed.hook.headerName` must be a header name/,
    );
    await expect(bad({ user: "U" })).rejects.toThrow(
      /must be \{ usernameEnv, passwordEnv, nextPasswordEnv\? \} \(Basic\) or \{ headerName, valueEnv, nextValueEnv\? \} \(a header\)/,
    );
  });
});

describe("supplierStatus: credentials that drifted", () => {
  it("names the supplier whose registrations carry another password or header value than the config's", async () => {
    await cleared();
    const env: Record<string, string | undefined> = baseEnv();
    const config: SuppliersConfig = {
      receiverUrl: "https://shop.example/hooks/:supplier",
      suppliers: { basic: basic(), keyed: keyed() },
    };
    await syncSuppliers(config, { env });
    const drifts = async () =>
      (await supplierStatus(config, { env })).flatMap((o) =>
        o.ok
          ? o.rows.map((r) => `${r.supplier} ${r.event} ${r.known} ${r.drifted.join("+") || "-"}`)
          : [o.error],
      );
    expect(await drifts()).toEqual([
      "basic booking_update true -",
      "basic availability_update true -",
      "keyed booking_update true -",
    ]);

    // the receiver's password changed, the registrations did not
    env.BASIC_PASS = "basic-pass-2";
    expect(await drifts()).toEqual([
      "basic booking_update true password",
      "basic availability_update true password",
      "keyed booking_update true -",
    ]);
    // during a rotation, the registered one is the current or the next: no drift
    env.BASIC_NEXT = "basic-pass-1";
    expect((await drifts()).every((row) => row.endsWith("-"))).toBe(true);
    env.BASIC_NEXT = undefined;
    env.BASIC_USER = "someone-else";
    expect((await drifts())[0]).toBe("basic booking_update true username+password");

    env.BASIC_USER = "octo";
    env.BASIC_PASS = "basic-pass-1";
    env.KEYED_HOOK_KEY = "keyed-hook-key-9";
    expect(await drifts()).toEqual([
      "basic booking_update true -",
      "basic availability_update true -",
      "keyed booking_update true header x-api-key",
    ]);
    // never a secret in what it returns
    expect(JSON.stringify(await supplierStatus(config, { env }))).not.toMatch(/basic-pass|keyed-hook-key/);
    // a sync repairs it
    await syncSuppliers(config, { env });
    expect((await drifts()).every((row) => row.endsWith("-"))).toBe(true);
  });
});

describe("the config's events", () => {
  it('refuses a misspelt event with a "did you mean"; "custom:<name>" registers <name> as it is', async () => {
    const env = baseEnv();
    const config = (events: readonly string[]): SuppliersConfig => ({
      receiverUrl: "https://shop.example/hooks/:supplier",
      suppliers: { basic: basic({ events: events as SupplierEntry["events"] }) },
    });
    await expect(syncSuppliers(config(["product_updte"]), { env, dryRun: true })).rejects.toThrow(
      /`suppliers.basic.events` has no such event "product_updte"; did you mean "product_update"\? \(an event of the supplier's own: "custom:<name>"\)/,
    );
    await expect(syncSuppliers(config(["Booking_Update"]), { env, dryRun: true })).rejects.toThrow(
      /did you mean "booking_update"/,
    );
    await expect(syncSuppliers(config(["refund_issued"]), { env, dryRun: true })).rejects.toThrow(
      /no such event "refund_issued"; the events are booking_update, availability_update, order_update, product_update/,
    );
    expect(() => receiverSuppliers(config(["custom:"]), env)).toThrow(/no such event "custom:"/);
    const custom = await syncSuppliers(config(["custom:refund_issued"]), { env, dryRun: true });
    expect(custom.outcomes[0]).toMatchObject({
      ok: true,
      rows: expect.arrayContaining([expect.objectContaining({ event: "refund_issued", action: "create" })]),
    });
  });

  it("types events as core's, with the custom: escape (checked by the typecheck of the tests)", () => {
    type ConfigEvent = NonNullable<SupplierEntry["events"]>[number];
    expectTypeOf<"booking_update">().toExtend<ConfigEvent>();
    expectTypeOf<"custom:refund_issued">().toExtend<ConfigEvent>();
    expectTypeOf<"product_updte">().not.toExtend<ConfigEvent>();
  });
});
