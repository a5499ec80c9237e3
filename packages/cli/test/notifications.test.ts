import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bookingUpdate, sendWebhook, startMockSupplier } from "@octo-webhooks/testing";
import { describe, expect, it } from "vitest";
import { recordingServer } from "../../testing/test/helpers.ts";
import { cli, expectNoStack, onCleanup, start } from "./helpers.ts";

const KEY = "sk_cli_notif_3c9a";
const PASSWORD = "p@ss w/rd:é";

async function supplier(options: Parameters<typeof startMockSupplier>[0] = {}) {
  const s = await startMockSupplier({ apiKey: KEY, ...options });
  onCleanup(() => s.close());
  return { s, env: { OCTO_BASE_URL: s.url, OCTO_API_KEY: KEY } };
}

function file(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), "octo-webhooks-cli-")), "subscriptions.json");
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe("octo-webhooks notifications", () => {
  it("create, list and delete, secrets hidden; the vendor capability spelling on request", async () => {
    const { s, env } = await supplier();
    const created = await cli(
      [
        "notifications",
        "create",
        "--type",
        "booking_update,PRODUCT_UPDATE",
        "--url",
        "https://shop.example/n",
        "--user",
        "octo",
        "--pass",
        PASSWORD,
        "--header",
        "x-key=hidden-value",
      ],
      env,
    );
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(
      /BOOKING_UPDATE,PRODUCT_UPDATE\s+https:\/\/\*\*\*@shop\.example\/n\s+yes\s+x-key/,
    );
    expect(created.stdout).not.toContain("hidden-value");
    expect(created.stdout).not.toContain("ss w");
    const [subscription] = s.subscriptions;
    expect(subscription).toMatchObject({
      notificationTypes: ["BOOKING_UPDATE", "PRODUCT_UPDATE"],
      headers: { "x-key": "hidden-value" },
    });
    const listed = await cli(
      ["notifications", "list", "--json", "--notifications-capability", "octo/notifications"],
      env,
    );
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        id: subscription?.id,
        url: "https://***@shop.example/n",
        headers: { "x-key": "***" },
      }),
    ]);
    expect(s.requests.at(-1)?.capabilities).toEqual(["octo/notifications"]);
    const deleted = await cli(["notifications", "delete", String(subscription?.id)], env);
    expect(deleted.stdout.trim()).toBe(`deleted ${subscription?.id}`);
    expect(s.subscriptions).toEqual([]);
  });

  it("sync: creates from a file, then everything is in line; a bad type is refused without a stack", async () => {
    const { s, env } = await supplier();
    const desired = file([
      {
        url: "https://shop.example/n",
        notificationTypes: ["BOOKING_UPDATE"],
        username: "octo",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the sync file's own ${VAR} syntax
        password: "${HOOK_PASS}",
      },
    ]);
    const dry = await cli(["notifications", "sync", desired, "--dry-run"], { ...env, HOOK_PASS: PASSWORD });
    expect(dry.stdout).toMatch(/would create\s+BOOKING_UPDATE\s+https:\/\/\*\*\*@shop\.example\/n/);
    expect(s.subscriptions).toEqual([]);
    const first = await cli(["notifications", "sync", desired], { ...env, HOOK_PASS: PASSWORD });
    expect(first.stdout).toMatch(/created\s+BOOKING_UPDATE/);
    const again = await cli(["notifications", "sync", desired, "--json"], { ...env, HOOK_PASS: PASSWORD });
    expect(JSON.parse(again.stdout)).toMatchObject({
      dryRun: false,
      changed: false,
      actions: [{ action: "kept" }],
    });
    const bad = await cli(
      ["notifications", "create", "--type", "booking.created", "--url", "https://x.example/"],
      env,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/`notificationTypes` must be a non-empty list/);
    expectNoStack(bad.stderr);
  });
});

describe("octo-webhooks notifications get and update", () => {
  it("get shows one subscription with secrets hidden; update changes only the fields given", async () => {
    const { s, env } = await supplier();
    await cli(
      [
        "notifications",
        "create",
        "--type",
        "BOOKING_UPDATE",
        "--url",
        "https://shop.example/n",
        "--header",
        "x-key=kept-secret",
      ],
      env,
    );
    const id = String(s.subscriptions[0]?.id);
    const got = await cli(["notifications", "get", id, "--json"], env);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual([
      expect.objectContaining({ id, notificationTypes: ["BOOKING_UPDATE"], headers: { "x-key": "***" } }),
    ]);
    const paused = await cli(
      [
        "notifications",
        "update",
        id,
        "--no-active",
        "--type",
        "BOOKING_UPDATE,AVAILABILITY_UPDATE",
        "--url",
        "https://shop.example/n2",
        "--user",
        "octo",
        "--pass",
        PASSWORD,
      ],
      env,
    );
    expect(paused.stderr).toBe("");
    expect(paused.stdout).toMatch(
      /BOOKING_UPDATE,AVAILABILITY_UPDATE\s+https:\/\/\*\*\*@shop\.example\/n2\s+no\s+x-key/,
    );
    expect(paused.stdout).not.toContain("ss w");
    expect(s.subscriptions[0]).toMatchObject({
      active: false,
      notificationTypes: ["BOOKING_UPDATE", "AVAILABILITY_UPDATE"],
      headers: { "x-key": "kept-secret" },
    });
    expect(new URL(String(s.subscriptions[0]?.url)).password).toBe(encodeURIComponent(PASSWORD));
    expect(s.requests.at(-1)?.method).toBe("PATCH");
  });

  it("update refuses nothing to change, and credentials without --url, before sending anything", async () => {
    const { s, env } = await supplier();
    const before = s.requests.length;
    const nothing = await cli(["notifications", "update", "n1"], env);
    expect([nothing.code, nothing.stderr]).toEqual([1, expect.stringMatching(/nothing to change/)]);
    const noUrl = await cli(["notifications", "update", "n1", "--user", "octo", "--pass", PASSWORD], env);
    expect([noUrl.code, noUrl.stderr]).toEqual([1, expect.stringMatching(/--user and --pass need --url/)]);
    expect(noUrl.stderr).not.toContain("ss w");
    expectNoStack(noUrl.stderr);
    const missing = await cli(["notifications", "get", "no-such-id"], env);
    expect(missing.code).toBe(1);
    expectNoStack(missing.stderr);
    expect(s.requests.length).toBe(before + 1);
  });
});

describe("octo-webhooks trigger --notification", () => {
  it("sends a thin BOOKING_UPDATE with credentials, and prints its identifiers", async () => {
    const receiver = await recordingServer();
    onCleanup(receiver.close);
    const { code, stdout } = await cli([
      "trigger",
      "--notification",
      "BOOKING_UPDATE",
      "--to",
      `${receiver.url}/webhooks/octo`,
      "--user",
      "octo",
      "--pass",
      PASSWORD,
    ]);
    expect(code).toBe(0);
    const [request] = receiver.requests;
    const body = JSON.parse(String(request?.body)) as { type: string; data: { uuid: string } };
    expect(body).toEqual({
      type: "BOOKING_UPDATE",
      data: { uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`octo:${PASSWORD}`).toString("base64")}`,
    );
    expect(stdout).toContain(`BOOKING_UPDATE  BOOKING_UPDATE booking ${body.data.uuid} (thin notification)`);
  });

  it("sends AVAILABILITY_UPDATE with the slot's dates; refuses an event and --notification together", async () => {
    const receiver = await recordingServer();
    onCleanup(receiver.close);
    const sent = await cli(["trigger", "--notification", "AVAILABILITY_UPDATE", "--to", receiver.url]);
    expect(sent.code).toBe(0);
    expect(JSON.parse(String(receiver.requests[0]?.body))).toEqual({
      type: "AVAILABILITY_UPDATE",
      data: {
        productId: expect.any(String),
        optionId: "DEFAULT",
        localDateStart: "2026-12-05",
        localDateEnd: "2026-12-05",
      },
    });
    const both = await cli([
      "trigger",
      "booking_update",
      "--notification",
      "PRODUCT_UPDATE",
      "--to",
      receiver.url,
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give an event \(booking_update\.\.\.\) or --notification <type>, not both/);
    const unknown = await cli(["trigger", "--notification", "ORDER_UPDATE", "--to", receiver.url]);
    expect(unknown.code).toBe(2);
    expect(receiver.requests).toHaveLength(1);
  });
});

describe("octo-webhooks listen, notifications", () => {
  it("prints a notification line with its type and identifiers, beside webhook lines", async () => {
    const running = start(["listen", "--port", "0"]);
    const [, url] = await running.waitFor(/Listening on (http:\/\/\S+)/);
    const notify = await sendWebhook(url as string, {
      type: "availability_update",
      data: {
        product_id: "p-1",
        option_id: "DEFAULT",
        local_date_start: "2026-12-05",
        local_date_end: "2026-12-06",
      },
    });
    expect(notify.status).toBe(200);
    expect((await sendWebhook(url as string, bookingUpdate({ seed: "listen-n" }))).status).toBe(200);
    await running.waitFor(/booking_update {2}booking/);
    const lines = running.stdout.trim().split("\n").slice(2);
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d ✓ notification {2}AVAILABILITY_UPDATE product p-1 option DEFAULT from 2026-12-05 to 2026-12-06 \(thin notification\)$/,
    );
    expect(lines[1]).toMatch(/✓ booking_update {2}booking [0-9a-f-]{36} ON_HOLD → CONFIRMED/);
    expect(await running.stop()).toBe(0);
  });
});
