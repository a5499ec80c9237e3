// The CLI's output cut short (`octo-webhooks sync --help | head -2`): when the reader of its stdout goes
// away, it ends quietly with its own exit code, no `write EPIPE` and no stack trace; a command that runs
// until stopped stops.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOctoClient } from "@octo-webhooks/client";
import { startMockSupplier } from "@octo-webhooks/testing";
import { describe, expect, it } from "vitest";
import { CLI, expectNoStack, onCleanup } from "./helpers.ts";

/**
 * Runs the built CLI with its stdout read by a reader that takes the first `keep` bytes (0: none), then
 * closes its end of the pipe, like `head`; resolves with the exit code, what was read, and stderr.
 */
function runCutShort(args: string[], keep: number, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  let read = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  if (keep === 0) child.stdout.destroy();
  else {
    child.stdout.on("data", (chunk: Buffer) => {
      read += chunk.toString("utf8");
      if (read.length >= keep) child.stdout.destroy();
    });
  }
  return new Promise<{ code: number | null; signal: string | null; read: string; stderr: string }>(
    (resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, read, stderr });
      });
    },
  );
}

function expectQuiet(result: { stderr: string }) {
  expectNoStack(result.stderr);
  expect(result.stderr).not.toMatch(/EPIPE|Unhandled|Error:/);
}

describe("the CLI's output cut short", () => {
  it("--help read by nobody, or cut after its first line: exit 0, nothing on stderr", async () => {
    for (const args of [["sync", "--help"], ["--help"], ["webhooks", "create", "--help"]]) {
      for (const keep of [0, 1]) {
        const result = await runCutShort(args, keep);
        expect({ args, keep, code: result.code, signal: result.signal }).toEqual({
          args,
          keep,
          code: 0,
          signal: null,
        });
        expect(result.stderr).toBe("");
      }
    }
  });

  it("a long `webhooks list` cut after 2 KB ends quietly with the command's exit code", async () => {
    const supplier = await startMockSupplier({ apiKey: "cut-short-key" });
    onCleanup(() => supplier.close());
    const client = createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey, retries: 0 });
    for (let i = 0; i < 400; i++) {
      await client.webhooks.create({
        event: "booking_update",
        url: `https://shop.example/hooks/${"path-".repeat(20)}${i}`,
      });
    }
    const env = { OCTO_BASE_URL: supplier.url, OCTO_API_KEY: supplier.apiKey };
    for (const args of [
      ["webhooks", "list"],
      ["webhooks", "list", "--json"],
    ]) {
      const result = await runCutShort(args, 2048, env);
      expect(result.read.length).toBeGreaterThanOrEqual(2048);
      expect({ args, code: result.code, signal: result.signal }).toEqual({ args, code: 0, signal: null });
      expectQuiet(result);
    }
  });

  it("reconcile whose reader goes away finishes its run and ends quietly with its exit code", async () => {
    const supplier = await startMockSupplier({ apiKey: "cut-short-key" });
    onCleanup(() => supplier.close());
    await supplier.simulate.bookingBatch({
      count: 20,
      createdAt: new Date(Date.now() - 15.5 * 86_400_000).toISOString(),
    });
    const config = join(mkdtempSync(join(tmpdir(), "octo-webhooks-cut-")), "octo-webhooks.config.json");
    writeFileSync(
      config,
      JSON.stringify({
        receiverUrl: "http://127.0.0.1:1/webhooks/octo",
        suppliers: {
          mock: {
            baseUrl: supplier.url,
            apiKeyEnv: "CUT_API_KEY",
            hook: { usernameEnv: "CUT_HOOK_USER", passwordEnv: "CUT_HOOK_PASS" },
            events: ["booking_update"],
          },
        },
      }),
    );
    const env = { CUT_API_KEY: supplier.apiKey, CUT_HOOK_USER: "octo", CUT_HOOK_PASS: "pw" };
    for (const args of [
      ["reconcile", "--dry-run", "--days", "2", "--config", config],
      ["reconcile", "--dry-run", "--days", "2", "--json", "--config", config],
    ]) {
      for (const keep of [0, 1]) {
        const result = await runCutShort(args, keep, env);
        // 3: the deleted webhook would be created again (the dry run creates nothing)
        expect({ args, keep, code: result.code, signal: result.signal }).toEqual({
          args,
          keep,
          code: 3,
          signal: null,
        });
        expectQuiet(result);
      }
    }
    expect(supplier.webhooks).toEqual([]);
  });

  it("a long-running command (listen) whose reader goes away stops by itself, quietly", async () => {
    const result = await runCutShort(["listen", "--port", "0"], 0);
    expect(result.code).toBe(0);
    expectQuiet(result);
  });
});
