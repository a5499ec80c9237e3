import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { closeAfterEach } from "@octo-webhooks/test-helpers/vitest";
import { expect } from "vitest";

export { closedPort } from "@octo-webhooks/test-helpers";

/** The built binary, run with plain `node` as a user would after `pnpm build`. */
export const CLI = join(import.meta.dirname, "..", "dist", "cli.js");

/** Registers `close` to run after the test (last registered, first run). */
export const onCleanup = closeAfterEach();

function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    "FORCE_COLOR",
    "NO_COLOR",
    "OCTO_BASE_URL",
    "OCTO_API_KEY",
    "OCTO_ENV",
    "OCTO_HOOK_PASS",
    "OCTO_CAPABILITIES",
    "OCTO_LOG_REDIS_URL",
    "OCTO_LOG_POSTGRES_URL",
  ]) {
    delete base[name];
  }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return base;
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `octo-webhooks ...args` to completion (`binary`: another copy of the built CLI). */
export function cli(
  args: string[],
  env: Record<string, string | undefined> = {},
  binary = CLI,
): Promise<Result> {
  expect(existsSync(binary), `${binary} is missing: run \`pnpm build\` first`).toBe(true);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [binary, ...args],
      { env: childEnv(env), timeout: 15_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface Running {
  readonly child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the first match of `pattern` in stdout, waiting for it to appear. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code when the process ends by itself. */
  readonly exited: Promise<number | null>;
  /** Sends SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts a long-running command (`listen`, `mock-supplier`); stopped after the test at the latest. */
export function start(args: string[], env: Record<string, string | undefined> = {}): Running {
  expect(existsSync(CLI), `${CLI} is missing: run \`pnpm build\` first`).toBe(true);
  const child = spawn(process.execPath, [CLI, ...args], {
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    for (const listener of listeners) listener();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    return exited;
  };
  onCleanup(stop);
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitFor(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = stdout.match(pattern);
          if (match) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(
              `no ${pattern} in stdout within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`,
            ),
          );
        }, timeoutMs);
        listeners.add(check);
        void exited.then(() => check());
        check();
      });
    },
    exited,
    stop,
  };
}

/** What a user must never see: a stack trace. */
export function expectNoStack(text: string): void {
  expect(text).not.toMatch(/\n\s+at /);
}
