// Pins the public types. `tsc -p tsconfig.test.json` fails when one of them drifts.
import { describe, expectTypeOf, it } from "vitest";
import {
  createOctoClient,
  type OctoApiError,
  type RegisteredWebhook,
  type SyncResult,
  type WebhookInput,
} from "../src/index.ts";

describe("public types", () => {
  it("a registered webhook always has a string id and event; the rest is as the supplier sent it", () => {
    expectTypeOf<RegisteredWebhook["id"]>().toEqualTypeOf<string>();
    expectTypeOf<"booking_update">().toExtend<RegisteredWebhook["event"]>();
    expectTypeOf<RegisteredWebhook["retryOnError"]>().toEqualTypeOf<boolean | null | undefined>();
    // unknown fields are kept at run time, typed through WithVendorFields (core's escape hatch)
    // @ts-expect-error a field OCTO does not name does not compile
    expectTypeOf<RegisteredWebhook["vendorField"]>().toEqualTypeOf<unknown>();
  });

  it("methods are typed end to end", () => {
    const client = createOctoClient({ baseUrl: "https://api.example/octo", apiKey: "k" });
    expectTypeOf(client.webhooks.list).returns.resolves.toEqualTypeOf<RegisteredWebhook[]>();
    expectTypeOf(client.webhooks.sync).returns.resolves.toEqualTypeOf<SyncResult>();
    expectTypeOf<SyncResult["updated"][number]["via"]>().toEqualTypeOf<"patch" | "recreate">();
    // @ts-expect-error `event` is required
    const missing: WebhookInput = { url: "https://h/" };
    void missing;
    // @ts-expect-error `env` is "test" or "live"
    const wrongEnv = () => createOctoClient({ baseUrl: "https://h/", apiKey: "k", env: "prod" });
    void wrongEnv;
  });

  it("OctoApiError carries status, code and the extra fields", () => {
    expectTypeOf<OctoApiError["status"]>().toEqualTypeOf<number>();
    expectTypeOf<OctoApiError["code"]>().toEqualTypeOf<string>();
    expectTypeOf<OctoApiError["extra"]>().toEqualTypeOf<Readonly<Record<string, unknown>>>();
  });
});
