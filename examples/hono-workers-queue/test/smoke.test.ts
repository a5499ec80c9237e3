import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bookingLifecycle, sendWebhook } from "@octo-webhooks/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { octoWebhooks, PASSWORD, type RunningExample, startExample, USER } from "../../smoke.ts";

// `wrangler dev` in local mode: the Worker inside workerd with a local queue, Durable Object and R2
// bucket, bundled by wrangler from the packages' builds as when deployed (`pnpm test` builds first); the
// secrets come from an env file, as from .dev.vars. Fetching `Request.cf` data, which needs the
// network, is turned off.
const secrets = mkdtempSync(join(tmpdir(), "octo-worker-queue-"));
writeFileSync(join(secrets, ".env"), `OCTO_HOOK_USER=${USER}\nOCTO_HOOK_PASS="${PASSWORD}"\n`);
// local state (queue, Durable Object, R2) of this run only
const state = mkdtempSync(join(tmpdir(), "octo-worker-queue-state-"));
afterAll(() => {
  rmSync(secrets, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

describe("examples/hono-workers-queue, started for real", () => {
  let app: RunningExample;
  beforeAll(async () => {
    app = await startExample(new URL("..", import.meta.url), {
      command: fileURLToPath(new URL("../node_modules/.bin/wrangler", import.meta.url)),
      args: [
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        "0",
        "--env-file",
        join(secrets, ".env"),
        "--persist-to",
        state,
        "--show-interactive-dev-session=false",
      ],
      env: {
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_HIDE_BANNER: "true",
      },
      ready: /Ready on http:\/\/127\.0\.0\.1:(\d+)/,
      startTimeoutMs: 30_000,
    });
  }, 60_000);
  afterAll(() => app?.stop());

  it("octo-webhooks trigger booking_update: 200 once queued, then the consumer's handler runs", async () => {
    const sent = await octoWebhooks([
      "trigger",
      "booking_update",
      "--to",
      app.url,
      "--user",
      USER,
      "--pass",
      PASSWORD,
      "--seed",
      "queue-smoke-1",
    ]);
    expect(sent.stdout).toMatch(/← 200 \{"ok":true\}/);
    const uuid = sent.stdout.match(/booking ([0-9a-f-]{36})/)?.[1];
    expect(uuid).toBeDefined();
    await app.waitFor(new RegExp(`booking ${uuid} ON_HOLD -> CONFIRMED \\[\\w+( \\w+)*\\] changed: status`));
  });

  it("a wrong password: 401, nothing queued", async () => {
    const body = bookingLifecycle({ seed: "queue-smoke-refused" })[0];
    const answer = await sendWebhook(app.url, body, { username: USER, password: "wrong-pass-51" });
    expect(answer.status).toBe(401);
    const after = bookingLifecycle({ seed: "queue-smoke-after" })[0];
    expect((await sendWebhook(app.url, after, { username: USER, password: PASSWORD })).status).toBe(200);
    await app.waitFor(new RegExp(`booking ${after.booking.uuid} ON_HOLD`));
    expect(app.output).not.toContain(body.booking.uuid);
  });

  it("a booking's lifecycle: four 200s; whatever order the queue hands them over in, the cancellation is applied last", async () => {
    const bodies = bookingLifecycle({ seed: "queue-smoke-lifecycle" });
    for (const body of bodies) {
      expect((await sendWebhook(app.url, body, { username: USER, password: PASSWORD })).status).toBe(200);
    }
    const uuid = bodies[0].booking.uuid;
    await app.waitFor(new RegExp(`booking ${uuid} CONFIRMED -> CANCELLED`));
    // a moment for any straggler: an older update arriving now is stale, and prints nothing
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const lines = app.output.split("\n").filter((line) => line.includes(`booking ${uuid}`));
    expect(lines.at(-1)).toMatch(/CONFIRMED -> CANCELLED/);
  });

  it("never prints the password", () => {
    expect(app.output).not.toContain(PASSWORD);
  });
});
