import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockSupplier } from "@octo-webhooks/testing";
import { describe, expect, it } from "vitest";
import { cli, expectNoStack, onCleanup } from "./helpers.ts";

const KEY = "sk_cli_test_8d1f";
const PASSWORD = "p@ss w/rd:é";

async function supplier(options: Parameters<typeof startMockSupplier>[0] = {}) {
  const s = await startMockSupplier({ apiKey: KEY, ...options });
  onCleanup(() => s.close());
  return { s, env: { OCTO_BASE_URL: s.url, OCTO_API_KEY: KEY } };
}

function file(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "octo-webhooks-cli-"));
  const path = join(dir, "webhooks.json");
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("octo-webhooks webhooks", () => {
  it("creates an order_update webhook with octo/cart and its own capabilities, and pauses it with --no-active", async () => {
    const { s, env } = await supplier();
    const created = await cli(
      [
        "webhooks",
        "create",
        "--event",
        "order_update",
        "--url",
        "https://shop.example/orders",
        "--webhook-capabilities",
        "octo/pricing,octo/content",
      ],
      env,
    );
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const [webhook] = s.webhooks;
    expect(webhook).toMatchObject({
      event: "order_update",
      capabilities: ["octo/cart", "octo/pricing", "octo/content"],
      active: true,
    });
    const paused = await cli(["webhooks", "update", String(webhook?.id), "--no-active"], env);
    expect(paused.code).toBe(0);
    expect(s.webhooks[0]).toMatchObject({
      active: false,
      capabilities: ["octo/cart", "octo/pricing", "octo/content"],
    });
  });

  it("create, list, update and delete, printing tables with secrets hidden", async () => {
    const { s, env } = await supplier();
    const created = await cli(
      [
        "webhooks",
        "create",
        "--event",
        "booking_update",
        "--url",
        "https://shop.example/hooks",
        "--user",
        "octo",
        "--pass",
        PASSWORD,
        "--header",
        "x-api-key=hdr-secret",
        "--no-retry-on-error",
      ],
      env,
    );
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const [webhook] = s.webhooks;
    expect(webhook).toMatchObject({
      url: `https://octo:${encodeURIComponent(PASSWORD)}@shop.example/hooks`,
      retryOnError: false,
      headers: { "x-api-key": "hdr-secret" },
    });
    expect(created.stdout.split("\n")[0]).toMatch(/^ID +EVENT +URL +RETRY +HEADERS$/);
    expect(created.stdout).toContain(
      `${webhook?.id}  booking_update  https://***@shop.example/hooks  no     x-api-key`,
    );

    const listed = await cli(["webhooks", "list"], env);
    expect(listed.stdout).toContain(`${webhook?.id}  booking_update  https://***@shop.example/hooks`);
    for (const out of [created.stdout, listed.stdout]) {
      expect(out).not.toContain("hdr-secret");
      expect(out).not.toContain("p%40ss");
    }

    const updated = await cli(
      ["webhooks", "update", webhook?.id as string, "--retry-on-error", "--header", "x-api-key=new"],
      env,
    );
    expect(updated.code).toBe(0);
    expect(s.webhooks[0]).toMatchObject({ retryOnError: true, headers: { "x-api-key": "new" } });

    const deleted = await cli(["webhooks", "delete", webhook?.id as string], env);
    expect([deleted.code, deleted.stdout]).toEqual([0, `deleted ${webhook?.id}\n`]);
    expect(s.webhooks).toEqual([]);
    expect((await cli(["webhooks", "list"], env)).stdout).toBe("no webhooks\n");
  });

  it("--json prints machine-readable output; --show-secrets reveals", async () => {
    const { s, env } = await supplier();
    const created = await cli(
      [
        "webhooks",
        "create",
        "--json",
        "--event",
        "availability_update",
        "--url",
        "https://u:pw-9@h.example/a",
      ],
      env,
    );
    const [webhook] = JSON.parse(created.stdout);
    expect(webhook).toMatchObject({
      id: s.webhooks[0]?.id,
      event: "availability_update",
      url: "https://***@h.example/a",
    });
    const revealed = JSON.parse((await cli(["webhooks", "list", "--json", "--show-secrets"], env)).stdout);
    expect(revealed).toEqual(s.webhooks);
    expect(JSON.parse((await cli(["webhooks", "delete", webhook.id, "--json"], env)).stdout)).toEqual({
      deleted: webhook.id,
    });
  });

  it("sync makes the supplier match a file; running it twice changes nothing; --dry-run only looks", async () => {
    const { s, env } = await supplier();
    await cli(["webhooks", "create", "--event", "booking_update", "--url", "https://old.example/x"], env);
    const desired = file({
      webhooks: [
        {
          event: "booking_update",
          url: "https://shop.example/hooks",
          username: "octo",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the sync file's ${VAR} syntax
          password: "${HOOK_PASS}",
        },
        { event: "availability_update", url: "https://shop.example/avail", headers: { "x-api-key": "k1" } },
      ],
    });
    const withPass = { ...env, HOOK_PASS: PASSWORD };

    const plan = await cli(["webhooks", "sync", desired, "--dry-run"], withPass);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/would create +booking_update +https:\/\/\*\*\*@shop\.example\/hooks/);
    expect(plan.stdout).toMatch(/would delete +booking_update +https:\/\/old\.example\/x +not-desired/);
    expect(plan.stdout.trim().split("\n").at(-1)).toBe(
      "2 would be created, 0 would be updated, 1 would be deleted, 0 would be kept",
    );
    expect(s.webhooks).toHaveLength(1);

    const first = await cli(["webhooks", "sync", desired], withPass);
    expect(first.stdout.trim().split("\n").at(-1)).toBe("2 created, 0 updated, 1 deleted, 0 kept");
    expect(s.webhooks.map((w) => w.url)).toEqual([
      `https://octo:${encodeURIComponent(PASSWORD)}@shop.example/hooks`,
      "https://shop.example/avail",
    ]);
    const second = await cli(["webhooks", "sync", desired, "--json"], withPass);
    expect(JSON.parse(second.stdout)).toMatchObject({
      dryRun: false,
      created: 0,
      updated: 0,
      deleted: 0,
      kept: 2,
    });

    const changed = file([
      { event: "availability_update", url: "https://shop.example/avail", headers: { "x-api-key": "k2" } },
    ]);
    const third = await cli(["webhooks", "sync", changed, "--no-prune"], env);
    expect(third.stdout).toMatch(
      /updated +availability_update +https:\/\/shop\.example\/avail +headers \(patch\)/,
    );
    expect(s.webhooks).toHaveLength(2);
    expect(`${plan.stdout}${first.stdout}${second.stdout}`).not.toContain("p%40ss");
  });

  it("fails in one line, exit 1, naming no secret: bad key, missing settings, bad file", async () => {
    const { env } = await supplier();
    const badKey = await cli(["webhooks", "list", "--retries", "0"], {
      ...env,
      OCTO_API_KEY: "sk_wrong_1234",
    });
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toMatch(
      /^octo-webhooks: GET http:\/\/127\.0\.0\.1:\d+\/octo\/webhooks answered 401 UNAUTHORIZED: missing or invalid API key; send Authorization: Bearer <key>\n$/,
    );
    expect(badKey.stderr).not.toContain("sk_wrong_1234");

    const noKey = await cli(["webhooks", "list"], { OCTO_BASE_URL: env.OCTO_BASE_URL });
    expect(noKey.stderr).toBe("octo-webhooks: missing --api-key (or OCTO_API_KEY)\n");
    const missingVar = await cli(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the sync file's ${VAR} syntax
      ["webhooks", "sync", file([{ event: "booking_update", url: "https://h/${NOPE}" }])],
      env,
    );
    expect(missingVar.stderr).toMatch(/uses \$\{NOPE\}, which is not set\n$/);
    const notJson = await cli(["webhooks", "sync", file("{oops")], env);
    expect(notJson.stderr).toMatch(/: it is not valid JSON\n$/);
    const noFile = await cli(["webhooks", "sync", "/nonexistent/webhooks.json"], env);
    expect(noFile.stderr).toBe("octo-webhooks: cannot read /nonexistent/webhooks.json: ENOENT\n");
    const badDesired = await cli(["webhooks", "sync", file([{ event: "booking_update", url: "nope" }])], env);
    expect(badDesired.stderr).toBe("octo-webhooks: desired[0]: `url` must be an absolute http(s) URL\n");
    const nothing = await cli(["webhooks", "update", "w1"], env);
    expect(nothing.stderr).toContain("nothing to change");
    for (const result of [badKey, noKey, missingVar, notJson, noFile, badDesired, nothing]) {
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expectNoStack(result.stderr);
    }
  });

  it("retries a 503 from the supplier (printing the retry), then succeeds", async () => {
    const { s, env } = await supplier();
    s.failNext(1);
    const listed = await cli(["webhooks", "list", "--json"], env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
    expect(listed.stderr).toMatch(
      /answered 503 SERVICE_UNAVAILABLE: simulated failure \(failNext\) \(retry 1\/2 in \d+ ms\)/,
    );
  });
});
