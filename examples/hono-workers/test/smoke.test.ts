import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { PASSWORD, smokeTest, USER } from "../../smoke.ts";

// `wrangler dev` in local mode: the Worker runs inside workerd, bundled by wrangler from the packages'
// builds as when deployed (`pnpm test` builds first); the secrets come from an env file, as from
// .dev.vars. Fetching Cloudflare's `Request.cf` data, which needs the network, is turned off.
const secrets = mkdtempSync(join(tmpdir(), "octo-worker-"));
writeFileSync(join(secrets, ".env"), `OCTO_HOOK_USER=${USER}\nOCTO_HOOK_PASS="${PASSWORD}"\n`);
afterAll(() => rmSync(secrets, { recursive: true, force: true }));

smokeTest("hono-workers", new URL("..", import.meta.url), {
  command: fileURLToPath(new URL("../node_modules/.bin/wrangler", import.meta.url)),
  args: [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    "0",
    "--env-file",
    join(secrets, ".env"),
    "--show-interactive-dev-session=false",
  ],
  env: { CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true" },
  ready: /Ready on http:\/\/127\.0\.0\.1:(\d+)/,
});
