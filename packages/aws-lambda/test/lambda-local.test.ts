// Once end to end: the built package, deployed as a user would (test/fixtures/handler.mjs imports
// "@octo-webhooks/aws-lambda", which resolves to ./dist through the package's exports), run by the
// lambda-local CLI in a process of its own the way the Lambda Node runtime runs it (its context, timeout
// and environment), on a recorded HTTP API v2 event.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(
  createRequire(import.meta.url)
    .resolve("lambda-local/package.json")
    .replace(/package\.json$/, ""),
  "build/cli.js",
);
/** The colours of lambda-local's logger. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
const scratch = mkdtempSync(join(tmpdir(), "octo-lambda-local-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs a fixture (default: handler.mjs) on `event` with lambda-local; its output and the result it printed. */
function invoke(
  name: string,
  event: unknown,
  fixture = "handler.mjs",
  timeoutSeconds = 10,
): Promise<{ output: string; result: Record<string, unknown> }> {
  const file = join(scratch, `${name}.json`);
  writeFileSync(file, JSON.stringify(event));
  const args = [cli, "-l", `test/fixtures/${fixture}`, "-h", "handler", "-e", file, "--esm"];
  args.push("-t", String(timeoutSeconds));
  args.push(
    "-E",
    JSON.stringify({ OCTO_HOOK_USER: "octo", OCTO_HOOK_PASS: "s3cret" }),
    "--verboselevel",
    "3",
  );
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, env: { ...process.env, NODE_OPTIONS: "" } },
      (error, stdout) => {
        if (error) return reject(new Error(`lambda-local failed: ${error.message}\n${stdout}`));
        const plain = stdout.replace(ANSI, "");
        const json = plain.match(/End - Result:\ninfo: ([\s\S]*?)\ninfo: Lambda successfully executed/)?.[1];
        if (json === undefined) return reject(new Error(`no result in lambda-local's output:\n${plain}`));
        resolve({ output: plain, result: JSON.parse(json) });
      },
    );
  });
}

it("lambda-local runs the built handler on a v2 event: 200 in the v2 shape; with wrong credentials 401", async () => {
  expect(existsSync(join(root, "dist/index.js")), "run the build first (pnpm build)").toBe(true);
  const event = JSON.parse(readFileSync(join(root, "test/events/api-gateway-v2.json"), "utf8"));
  const accepted = await invoke("accepted", event);
  expect(accepted.result).toEqual({
    statusCode: 200,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: '{"ok":true}',
    isBase64Encoded: false,
  });
  expect(accepted.output).toContain("handled b-v2 CONFIRMED cookie=session=abc123; theme=dark");

  event.headers.authorization = `Basic ${btoa("octo:guessed")}`;
  const refused = await invoke("refused", event);
  expect(refused.result.statusCode).toBe(401);
  expect((refused.result.headers as Record<string, string>)["www-authenticate"]).toMatch(/^Basic realm="/);
  expect(refused.output).not.toContain("handled");
});

it("lambda-local runs the built scheduled handler on an EventBridge event: the job stops 1 s before the 3 s timeout", async () => {
  expect(existsSync(join(root, "dist/index.js")), "run the build first (pnpm build)").toBe(true);
  const event = JSON.parse(readFileSync(join(root, "test/events/eventbridge-scheduled.json"), "utf8"));
  const { result } = await invoke("scheduled", event, "scheduled.mjs", 3);
  expect(result).toMatchObject({ source: "aws.events", complete: false });
  expect(result.stoppedAfterMs).toBeGreaterThanOrEqual(1500);
  expect(result.stoppedAfterMs).toBeLessThan(2900);
});
