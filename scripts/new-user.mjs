#!/usr/bin/env node
// The first hour of a new user, replayed: the packages packed as published, installed with npm into a
// scratch project outside the workspace, the README's quickstart and Types snippets compiled there as
// written under `--strict` (moduleResolution node16 and bundler), the Express snippet run with a
// password, the mock supplier delivering to it with a wrong one, and the app's log searched for the
// warning that says so (without the password); then a receiver with two suppliers, as docs/suppliers.md
// sets it up: two mock suppliers (one authenticated by Basic credentials, one by a header), an
// `octo-webhooks.config.ts`, `octo-webhooks sync`, and `octo-webhooks status` after the receiver's password
// drifted for one of them, which must name that supplier (and no secret). Needs the build (`pnpm build`).
// Exits non-zero on failure.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertBuilt, packPackages, publishablePackages } from "./pack-packages.mjs";
import { readmeSnippets } from "./readme-snippets.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const started = Date.now();
const step = (message) =>
  console.log(`[new-user ${((Date.now() - started) / 1000).toFixed(1)} s] ${message}`);
const manifest = (dir) => JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
const pinned = (dir, name) => {
  const { devDependencies = {} } = manifest(dir);
  const version = devDependencies[name];
  if (version === undefined) throw new Error(`${dir}/package.json pins no ${name}`);
  return `${name}@${version}`;
};

for (const pkg of publishablePackages(root)) assertBuilt(pkg);
const scratch = mkdtempSync(join(tmpdir(), "octo-new-user-"));
const keep = process.argv.includes("--keep");
let app;
let mocks;
try {
  // NEW_USER_PROJECT: a project a previous `--keep` run installed, to iterate without packing again
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: a local shortcut of this script, not a turbo task input
  const reused = process.env.NEW_USER_PROJECT;
  const project = reused ?? join(scratch, "project");
  if (reused === undefined) await install(project);
  else rmSync(join(project, "src"), { recursive: true, force: true });
  mkdirSync(join(project, "src"), { recursive: true });
  rmSync(join(project, "run"), { recursive: true, force: true });

  // the snippets, each in its own file, as the README writes them
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const files = readmeSnippets(readme).map(({ title, code }) => {
    const file = `src/${title
      .toLowerCase()
      .replace(/[^a-z]+/g, "-")
      .replace(/-$/, "")}.ts`;
    writeFileSync(join(project, file), code);
    return file;
  });
  step(`compiling ${files.length} README snippets under --strict: ${files.join(", ")}`);
  const tsc = join(project, "node_modules", "typescript", "bin", "tsc");
  // One project holds every framework, so npm hoists Express's content-disposition 2 (with types of its
  // own) where @types/koa expects @types/content-disposition: a user of one framework never meets this.
  const common = {
    strict: true,
    target: "es2022",
    skipLibCheck: false,
    types: ["node"],
    lib: ["es2022", "dom"],
    paths: { "content-disposition": ["./node_modules/@types/content-disposition"] },
  };
  const configs = {
    node16: { ...common, module: "node16", moduleResolution: "node16" },
    bundler: { ...common, module: "esnext", moduleResolution: "bundler" },
  };
  for (const [name, compilerOptions] of Object.entries(configs)) {
    const config = `tsconfig.${name}.json`;
    writeFileSync(
      join(project, config),
      JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, include: ["src"] }),
    );
    execFileSync(process.execPath, [tsc, "-p", config], { cwd: project, stdio: "inherit" });
    step(`  moduleResolution ${name}: no errors`);
  }

  // the Express snippet, run (on a free port instead of 3000, the only change)
  const express = readmeSnippets(readme).find((s) => s.title === "Express");
  if (!express?.code.includes("app.listen(3000);"))
    throw new Error("the Express snippet no longer ends in app.listen(3000)");
  mkdirSync(join(project, "run"));
  writeFileSync(
    join(project, "run/express.ts"),
    express.code.replace(
      "app.listen(3000);",
      'app.listen(Number(process.env.PORT), () => console.log("listening"));',
    ),
  );
  writeFileSync(
    join(project, "tsconfig.run.json"),
    JSON.stringify({ compilerOptions: { ...configs.node16, outDir: "dist" }, include: ["run"] }),
  );
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.run.json"], { cwd: project, stdio: "inherit" });
  const port = await freePort();
  const password = "right-pass-1234";
  const wrong = "wrong-pass-5678";
  let log = "";
  app = spawn(process.execPath, ["dist/express.js"], {
    cwd: project,
    env: { ...process.env, PORT: String(port), OCTO_HOOK_USER: "octo", OCTO_HOOK_PASS: password },
    stdio: ["ignore", "pipe", "pipe"],
  });
  app.stdout.on("data", (chunk) => (log += chunk));
  app.stderr.on("data", (chunk) => (log += chunk));
  await waitFor(() => log.includes("listening"), "the Express app to listen");
  step(`the Express snippet listens on ${port}`);

  // the mock supplier, as the testing README shows it, with a wrong password in the URL, then the right one
  const driver = `
import { createOctoClient, webhookUrl } from "@octo-webhooks/client";
import { startMockSupplier } from "@octo-webhooks/testing";
const supplier = await startMockSupplier({ retrySchedule: [10, 10] });
const client = createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey });
const url = "http://127.0.0.1:${port}/webhooks/octo";
const wrong = await client.webhooks.create({ event: "booking_update", url: webhookUrl(url, { username: "octo", password: "${wrong}" }) });
await supplier.simulate.bookingUpdate({ status: "CONFIRMED" });
const refused = supplier.deliveries.flatMap((d) => d.attempts.map((a) => a.status));
await client.webhooks.delete(wrong.id);
await client.webhooks.create({ event: "booking_update", url: webhookUrl(url, { username: "octo", password: "${password}" }) });
await supplier.simulate.bookingUpdate({ status: "CANCELLED" });
const accepted = supplier.deliveries.at(-1).attempts.map((a) => a.status);
await supplier.close();
console.log(JSON.stringify({ refused, accepted }));
`;
  writeFileSync(join(project, "drive.mjs"), driver);
  const outcome = JSON.parse(
    execFileSync(process.execPath, ["drive.mjs"], { cwd: project, encoding: "utf8" })
      .trim()
      .split("\n")
      .at(-1),
  );
  step(
    `the mock supplier's attempts: wrong password ${outcome.refused.join(", ")}; right password ${outcome.accepted.join(", ")}`,
  );
  await waitFor(() => log.includes("CANCELLED"), "the app to log the accepted delivery");

  const failures = [];
  if (outcome.refused.length !== 3 || outcome.refused.some((s) => s !== 401))
    failures.push("the wrong password did not get three 401s");
  if (outcome.accepted.join() !== "200") failures.push("the right password did not get one 200");
  const warnings = log.split("\n").filter((line) => line.includes("refused a delivery with 401"));
  if (warnings.length !== 1)
    failures.push(`expected one refusal warning in the app's log, found ${warnings.length}`);
  if (log.includes(wrong) || log.includes(password)) failures.push("a password reached the app's log");
  console.log(`--- the app's log ---\n${log.trimEnd()}\n---`);
  failures.push(...(await suppliersSetup(project)));
  if (failures.length > 0) {
    for (const failure of failures) console.error(`[new-user] FAILED: ${failure}`);
    process.exitCode = 1;
  } else {
    step("passed: the README's snippets compile as written, and a wrong password shows in the app's log");
  }
} finally {
  app?.kill();
  mocks?.kill();
  if (keep) console.log(`[new-user] kept ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}

/**
 * Two mock suppliers of @octo-webhooks/testing (started here, in the project), a config file naming
 * them, `octo-webhooks sync`, then `status` before and after the receiver's password drifts for one:
 * the failures found, if any.
 */
async function suppliersSetup(project) {
  const failures = [];
  writeFileSync(
    join(project, "mocks.mjs"),
    `import { startMockSuppliers } from "@octo-webhooks/testing";
const mocks = await startMockSuppliers({ ids: ["basicco", "keyedco"] });
console.log(JSON.stringify(mocks.suppliers.map((s) => ({ id: s.id, url: s.url, apiKey: s.apiKey }))));
process.on("SIGTERM", () => mocks.close().then(() => process.exit(0)));
`,
  );
  let out = "";
  mocks = spawn(process.execPath, ["mocks.mjs"], { cwd: project, stdio: ["ignore", "pipe", "inherit"] });
  mocks.stdout.on("data", (chunk) => (out += chunk));
  await waitFor(() => out.includes("\n"), "the mock suppliers to start");
  const [basic, keyed] = JSON.parse(out.split("\n")[0]);
  writeFileSync(
    join(project, "octo-webhooks.config.ts"),
    `import type { SuppliersConfig } from "@octo-webhooks/client";

const config: SuppliersConfig = {
  receiverUrl: "https://shop.example/webhooks/octo/:supplier",
  suppliers: {
    basicco: {
      baseUrl: "${basic.url}",
      apiKeyEnv: "BASICCO_API_KEY",
      hook: { usernameEnv: "BASICCO_HOOK_USER", passwordEnv: "BASICCO_HOOK_PASS" },
      events: ["booking_update", "availability_update"],
    },
    keyedco: {
      baseUrl: "${keyed.url}",
      apiKeyEnv: "KEYEDCO_API_KEY",
      hook: { headerName: "x-api-key", valueEnv: "KEYEDCO_HOOK_KEY" },
      events: ["booking_update"],
    },
  },
};
export default config;
`,
  );
  const env = {
    ...process.env,
    NO_COLOR: "1",
    BASICCO_API_KEY: basic.apiKey,
    BASICCO_HOOK_USER: "octo",
    BASICCO_HOOK_PASS: "basicco-pass-first",
    KEYEDCO_API_KEY: keyed.apiKey,
    KEYEDCO_HOOK_KEY: "keyedco-hook-key",
  };
  const secrets = ["basicco-pass-first", "basicco-pass-second", "keyedco-hook-key"];
  const cli = (args) => {
    const bin = join(project, "node_modules", ".bin", "octo-webhooks");
    const result = spawnSync(bin, args, { cwd: project, env, encoding: "utf8" });
    const output = `${result.stdout}${result.stderr}`;
    console.log(`$ octo-webhooks ${args.join(" ")}   (exit ${result.status})\n${output.trimEnd()}`);
    if (secrets.some((secret) => output.includes(secret)))
      failures.push(`\`${args.join(" ")}\` printed a secret`);
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const synced = cli(["sync"]);
  if (synced.code !== 3 || (synced.stdout.match(/ create /g) ?? []).length !== 3)
    failures.push("`octo-webhooks sync` did not create the three webhooks (exit 3)");
  const fine = cli(["status"]);
  if (fine.code !== 0) failures.push("`octo-webhooks status` right after sync did not exit 0");
  step("the suppliers config synced; status is ok");
  // the receiver's password for basicco changes; its registrations still carry the old one
  env.BASICCO_HOOK_PASS = "basicco-pass-second";
  const drifted = cli(["status"]);
  const lines = drifted.stdout.split("\n");
  if (drifted.code !== 1) failures.push("`octo-webhooks status` after the password drifted did not exit 1");
  if (lines.filter((line) => line.startsWith("basicco") && line.includes("drifted: password")).length !== 2)
    failures.push("`octo-webhooks status` did not show basicco's two registrations as drifted: password");
  if (lines.some((line) => line.startsWith("keyedco") && line.includes("drifted")))
    failures.push("`octo-webhooks status` showed keyedco as drifted");
  if (!/supplier basicco has registrations whose credentials differ/.test(drifted.stderr))
    failures.push("`octo-webhooks status` did not name basicco on stderr");
  step("status names the supplier whose password drifted");
  mocks.kill("SIGTERM");
  return failures;
}

async function install(project) {
  step(`packing into ${scratch}`);
  const tarballs = packPackages(root, join(scratch, "tarballs")).map((packed) => packed.tarball);
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "new-user", private: true, type: "module" }),
  );
  const frameworks = [
    pinned("packages/express", "express"),
    pinned("packages/express", "@types/express"),
    pinned("packages/fastify", "fastify"),
    pinned("packages/hono", "hono"),
    pinned("packages/hono", "@hono/node-server"),
    pinned("packages/koa", "koa"),
    pinned("packages/koa", "@types/koa"),
    pinned("packages/aws-lambda", "@types/aws-lambda"),
    pinned(".", "typescript"),
    pinned(".", "@types/node"),
  ];
  step(`npm install (${tarballs.length} tarballs, ${frameworks.join(", ")})`);
  execFileSync(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--loglevel=error",
      ...tarballs,
      ...frameworks,
    ],
    { cwd: project, stdio: ["ignore", "inherit", "inherit"] },
  );
}

async function freePort() {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(condition, what, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`[new-user] timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
