// The whole loop with nothing but the binary: `mock-supplier`, `listen` and `webhooks create` as separate
// processes; the simulated lifecycle travels over real HTTP from one to the other.
import { createOctoClient } from "@octo-webhooks/client";
import { describe, expect, it } from "vitest";
import { cli, start } from "./helpers.ts";

const PASSWORD = "p@ss w/rd:é";

describe("octo-webhooks mock-supplier", () => {
  it("runs the whole loop with listen and webhooks create", async () => {
    const supplier = start(["mock-supplier", "--port", "0", "--retry-schedule", "20,20"]);
    const [, baseUrl] = await supplier.waitFor(
      /export OCTO_BASE_URL=(http:\/\/\S+) OCTO_API_KEY=mock-api-key/,
    );
    const listener = start(["listen", "--port", "0", "--user", "octo", "--pass", PASSWORD]);
    const [, receiverUrl] = await listener.waitFor(/Listening on (http:\/\/\S+)/);
    const env = { OCTO_BASE_URL: baseUrl as string, OCTO_API_KEY: "mock-api-key" };

    const good = await cli(
      [
        "webhooks",
        "create",
        "--event",
        "booking_update",
        "--url",
        receiverUrl as string,
        "--user",
        "octo",
        "--pass",
        PASSWORD,
      ],
      env,
    );
    const bad = await cli(
      [
        "webhooks",
        "create",
        "--event",
        "availability_update",
        "--url",
        receiverUrl as string,
        "--user",
        "octo",
        "--pass",
        "stale-pass",
      ],
      env,
    );
    expect([good.code, bad.code]).toEqual([0, 0]);

    const control = (path: string, body: unknown = {}) =>
      fetch(`${baseUrl}/_mock/simulate/${path}`, {
        method: "POST",
        headers: { authorization: "Bearer mock-api-key", "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await control("booking-lifecycle")).status).toBe(202);
    expect((await control("availability-change", { vacancies: 0 })).status).toBe(202);

    await listener.waitFor(/CONFIRMED → CANCELLED/);
    // the availability webhook's credentials are stale: refused, retried twice, then given up
    await supplier.waitFor(/✗ d5 #3 availability_update → http:\/\/127\.0\.0\.1:\d+\/webhooks\/octo 401/);
    const events = listener.stdout.split("\n").filter((l) => l.includes("✓ booking_update"));
    expect(events.map((l) => l.match(/(ON_HOLD|CONFIRMED|CANCELLED)(?= \()/)?.[0])).toEqual([
      "ON_HOLD",
      "CONFIRMED",
      "CONFIRMED",
      "CANCELLED",
    ]);
    expect(listener.stdout.match(/refused 401 UNAUTHORIZED/g)).toHaveLength(3);
    expect(supplier.stdout).toMatch(/POST \/octo\/webhooks 200/);
    expect(supplier.stdout.match(/✓ d\d #1 booking_update/g)).toHaveLength(4);
    for (const output of [supplier.stdout, supplier.stderr, listener.stdout, listener.stderr]) {
      expect(output).not.toContain(PASSWORD);
      expect(output).not.toContain("stale-pass");
      expect(output).not.toContain("p%40ss");
    }
    expect(await listener.stop()).toBe(0);
    expect(await supplier.stop()).toBe(0);
  });

  it("takes --api-key (never printed) and --no-patch", async () => {
    const supplier = start(["mock-supplier", "--port", "0", "--api-key", "cli-key-77", "--no-patch"]);
    const [, baseUrl] = await supplier.waitFor(/Mock OCTO supplier on (http:\/\/\S+)/);
    await supplier.waitFor(/PATCH: no/);
    expect(supplier.stdout).not.toContain("cli-key-77");
    const client = createOctoClient({ baseUrl: baseUrl as string, apiKey: "cli-key-77", retries: 0 });
    const webhook = await client.webhooks.create({ event: "booking_update", url: "https://h.example/" });
    await expect(client.webhooks.update(webhook.id, { retryOnError: false })).rejects.toMatchObject({
      status: 404,
    });
    const result = await client.webhooks.sync([
      { event: "booking_update", url: "https://h.example/", retryOnError: false },
    ]);
    expect(result.updated.map((u) => u.via)).toEqual(["recreate"]);
    expect(await supplier.stop()).toBe(0);
  });
});
