// The example as a user runs it (`pnpm demo`): the mock supplier's delivery reaches the receiver, the
// console shows its receive span in the supplier's trace and the metrics, and pino's JSON line of the
// replayed duplicate carries that delivery's fields and trace id.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

it("pnpm demo: spans and metrics on the console, the supplier's trace id continued", async () => {
  const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", "--conditions=@octo-webhooks/source", main, "--demo"],
    { env: { ...process.env, PORT: "0", OCTO_HOOK_PASS: "smoke-pass-4d2e" }, timeout: 60_000 },
  );
  const traceparent = /delivered with traceparent (00-([0-9a-f]{32})-[0-9a-f]{16}-01): delivered/.exec(
    stdout,
  );
  expect(traceparent, stdout.slice(0, 2000)).not.toBeNull();
  const traceId = traceparent?.[2] as string;
  // ConsoleSpanExporter prints each span as an object literal
  expect(stdout).toMatch(new RegExp(`traceId: '${traceId}'[\\s\\S]*?name: 'octo\\.webhook\\.receive'`));
  expect(stdout).toContain("name: 'octo.handler booking_update'");
  expect(stdout).toContain("octo.webhook.deliveries");
  const replayed = /replayed with traceparent 00-([0-9a-f]{32})-[0-9a-f]{16}-01: delivered/.exec(stdout);
  const duplicateLine = stdout
    .split("\n")
    .filter((line) => line.startsWith(`{"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((line) => String(line.msg).includes("duplicate booking_update"));
  expect(duplicateLine).toMatchObject({
    level: 30,
    event: "booking_update",
    status: 200,
    traceId: replayed?.[1],
    deliveryKey: expect.stringMatching(/^[0-9a-f]+$/),
  });
  expect(stdout).toContain("octo.webhook.duplicates");
  expect(stdout).not.toContain("smoke-pass-4d2e");
});
