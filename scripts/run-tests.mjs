#!/usr/bin/env node
// Runs every test project once and ends with one plain line, `N passed, N failed` (`, N skipped` when a
// test was skipped), computed from vitest's own JSON results, so that a run which executed no test is
// visible as "0 passed". Tests are only ever skipped for a missing prerequisite (Redis for the bullmq
// tests): above the closing line come which ones and why, as the project's global setup left it.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const results = `${root}.vitest-results.json`;
const skipReasons = `${root}node_modules/.octo-test-skips`;
rmSync(results, { force: true });
rmSync(skipReasons, { recursive: true, force: true });

const run = spawnSync(
  "npx",
  [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${results}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: "inherit" },
);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(results)) {
  const report = JSON.parse(readFileSync(results, "utf8"));
  passed = report.numPassedTests ?? 0;
  failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (skipped > 0) {
    const perFile = new Map();
    for (const file of report.testResults ?? []) {
      const count = (file.assertionResults ?? []).filter(
        (test) => test.status === "pending" || test.status === "skipped" || test.status === "todo",
      ).length;
      if (count > 0) perFile.set(relative(root, file.name), count);
    }
    console.log(`\n${skipped} skipped:`);
    for (const [file, count] of perFile) console.log(`  ${file}: ${count}`);
    if (existsSync(skipReasons)) {
      for (const name of readdirSync(skipReasons)) {
        console.log(`why: ${readFileSync(`${skipReasons}/${name}`, "utf8").trim()}`);
      }
    }
  }
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
