// `pnpm demo` (the README's main command) runs the Express example: its script, run as pnpm runs it.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const script = JSON.parse(readFileSync(`${root}/package.json`, "utf8")).scripts.demo as string;

it("pnpm demo exits 0 and prints the confirmed and the cancelled booking, the availability change, the order of two bookings and a hydrated notification", async () => {
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve) => {
      execFile(
        "sh",
        ["-c", script],
        {
          cwd: root,
          env: { ...process.env, PATH: `${root}node_modules/.bin${delimiter}${process.env.PATH}`, CI: "1" },
          timeout: 30_000,
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
      );
    },
  );
  expect(stderr).toBe("");
  expect(code).toBe(0);
  const handled = stdout.split("\n").filter((line) => line.includes(" handler "));
  expect(handled).toEqual([
    expect.stringMatching(/booking [0-9a-f]{8}… ON_HOLD \[adult adult child\]$/),
    expect.stringMatching(/✗ 1 booking_update handler failed: .*simulated, once.*; answered 500$/),
    expect.stringMatching(/booking [0-9a-f]{8}… ON_HOLD -> CONFIRMED \[adult adult child\] changed: status/),
    expect.stringMatching(
      /booking [0-9a-f]{8}… CONFIRMED \[adult adult child adult\] changed: notes, unitItems$/,
    ),
    expect.stringMatching(
      /booking [0-9a-f]{8}… CONFIRMED -> CANCELLED \[adult adult child adult\] changed: status/,
    ),
    expect.stringMatching(/availability [0-9a-f]{8}… \S+ LIMITED, 3 left$/),
    expect.stringMatching(/order [0-9a-f]{8}… ON_HOLD -> CONFIRMED \[bookings: CONFIRMED CONFIRMED\]$/),
    expect.stringMatching(/order [0-9a-f]{8}… CONFIRMED \[bookings: CONFIRMED CANCELLED\]$/),
    expect.stringMatching(/booking [0-9a-f]{8}… cancelled inside order [0-9a-f]{8}…$/),
    // the notification round trip: a thin BOOKING_UPDATE for the first booking, hydrated as it is now
    expect.stringMatching(/booking [0-9a-f]{8}… CANCELLED$/),
    expect.stringMatching(/release the seats of booking [0-9a-f]{8}…$/),
  ]);
  expect(stdout).toMatch(/d9 BOOKING_UPDATE attempt 1: 200/);
  expect(stdout).toMatch(/1 booking read by the receiver/);
  expect(stdout).toMatch(
    /d2 booking_update attempt 1: 500, retrying in \d+ ms\n.*\n.*d2 booking_update attempt 2: 200/,
  );
  expect(stdout).toMatch(/d6 availability_update attempt 3: 401, gave up/);
  expect(stdout).toMatch(/d8\s+order_update\s+CONFIRMED \(CONFIRMED, CANCELLED\)\s+delivered/);
  expect(stdout).toMatch(
    /8 webhook deliveries, 11 attempts: 7 delivered, 1 given up; 1 notification delivered/,
  );
  // no colour without a terminal, and no credential anywhere
  expect(stdout).not.toContain("\u001b[");
  expect(stdout).not.toMatch(/demo-s3cret|not-the-password/);
});
