// The whole loop with nothing but the binary: `mock-supplier`, `listen` and `webhooks create` as separate
// processes; the simulated lifecycle travels over real HTTP from one to the other.
import { createOctoClient } from "@octo-webhooks/client";
import { describe, expect, it } from "vitest";
import { cli, closedPort, start } from "./helpers.ts";

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

  it("gives deliveries up (--give-up-after) and deletes a failing webhook (--delete-webhook-after)", async () => {
    const supplier = start([
      "mock-supplier",
      "--port",
      "0",
      "--retry-schedule",
      "5,5,5",
      "--give-up-after",
      "2",
      "--delete-webhook-after",
      "2",
    ]);
    const [, baseUrl] = await supplier.waitFor(/export OCTO_BASE_URL=(http:\/\/\S+) /);
    await supplier.waitFor(
      /gives up after 2 attempts, deletes a webhook after 2 failed deliveries in a row\./,
    );
    const client = createOctoClient({ baseUrl: baseUrl as string, apiKey: "mock-api-key", retries: 0 });
    const port = await closedPort();
    const webhook = await client.webhooks.create({
      event: "booking_update",
      url: `http://octo:hook-secret@127.0.0.1:${port}/hook`,
    });
    const headers = { authorization: "Bearer mock-api-key", "content-type": "application/json" };
    const simulated = await fetch(`${baseUrl}/_mock/simulate/booking-lifecycle`, {
      method: "POST",
      headers,
      body: "{}",
    });
    expect(simulated.status).toBe(202);
    await supplier.waitFor(
      new RegExp(
        `deleted webhook ${webhook.id} → http://127\\.0\\.0\\.1:${port}/hook after 2 failed deliveries in a row`,
      ),
    );
    const abandoned = async () => {
      const answer = await fetch(`${baseUrl}/_mock/deliveries?state=abandoned`, { headers });
      return (await answer.json()) as Array<{ id: string; cause: string; attempts: unknown[] }>;
    };
    await expect.poll(async () => (await abandoned()).length).toBe(4);
    expect((await abandoned()).map((d) => [d.id, d.cause, d.attempts.length])).toEqual([
      ["d1", "giveUpAfter", 2],
      ["d2", "giveUpAfter", 2],
      ["d3", "deleteWebhookAfter", 0],
      ["d4", "deleteWebhookAfter", 0],
    ]);
    expect(supplier.stdout).toMatch(/✗ d1 #2 booking_update/);
    expect(supplier.stdout).not.toMatch(/ #3 /);
    expect(await client.webhooks.list()).toEqual([]);
    const faults = await fetch(`${baseUrl}/_mock/faults`, { headers });
    expect(await faults.json()).toEqual({ giveUpAfter: 2, deleteWebhookAfter: 2, dropRate: 0 });
    expect(supplier.stdout).not.toContain("hook-secret");
    expect(await supplier.stop()).toBe(0);
  });

  it("drops deliveries (--drop-rate) and refuses bad failure-mode values", async () => {
    const supplier = start(["mock-supplier", "--port", "0", "--drop-rate", "1"]);
    const [, baseUrl] = await supplier.waitFor(/export OCTO_BASE_URL=(http:\/\/\S+) /);
    await supplier.waitFor(/drops 100% of deliveries\./);
    const client = createOctoClient({ baseUrl: baseUrl as string, apiKey: "mock-api-key", retries: 0 });
    const port = await closedPort();
    await client.webhooks.create({ event: "booking_update", url: `http://127.0.0.1:${port}/hook` });
    await fetch(`${baseUrl}/_mock/simulate/booking-update`, {
      method: "POST",
      headers: { authorization: "Bearer mock-api-key", "content-type": "application/json" },
      body: "{}",
    });
    await supplier.waitFor(/– d1 booking_update → http:\/\/127\.0\.0\.1:\d+\/hook dropped \(--drop-rate\)/);
    expect(supplier.stdout).not.toMatch(/[✓✗] d1/);
    expect(await supplier.stop()).toBe(0);

    for (const [flag, value] of [
      ["--drop-rate", "1.5"],
      ["--drop-rate", "lots"],
      ["--give-up-after", "0"],
      ["--delete-webhook-after", "-1"],
    ] as const) {
      const result = await cli(["mock-supplier", "--port", "0", flag, value]);
      expect([flag, value, result.code]).toEqual([flag, value, 2]);
      expect(result.stderr).toContain(flag);
    }
  });
});
