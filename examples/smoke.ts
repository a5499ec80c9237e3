// The smoke suite every example runs: the example started for real in a child process (Node, or workerd
// through `wrangler dev`), events sent by the built `octo-webhooks` binary and by @octo-webhooks/testing.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bookingLifecycle, sendWebhook } from "@octo-webhooks/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLI = fileURLToPath(new URL("../packages/cli/dist/cli.js", import.meta.url));
export const USER = "octo";
export const PASSWORD = "smoke-pass-8d2f:é";
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** How to start an example: a command run in its folder, and the line it prints once it listens. */
export interface ExampleCommand {
  command: string;
  args: string[];
  /** Extra environment; the credentials are given as OCTO_HOOK_USER/OCTO_HOOK_PASS too. */
  env?: Record<string, string>;
  /** Matches the line printed when it is ready; group 1 is the port. */
  ready: RegExp;
  /** How long starting may take (default 15 s). */
  startTimeoutMs?: number;
}

/** A Node example: `node --conditions=@octo-webhooks/source --import tsx src/main.ts` on a free port. */
export const nodeExample: ExampleCommand = {
  command: process.execPath,
  args: ["--conditions=@octo-webhooks/source", "--import", "tsx", "src/main.ts"],
  env: { PORT: "0" },
  ready: /listening on http:\/\/localhost:(\d+)\/webhooks\/octo/,
};

export interface RunningExample {
  /** `http://127.0.0.1:<port>/webhooks/octo`. */
  readonly url: string;
  /** Everything the example printed (stdout and stderr) so far. */
  readonly output: string;
  /** Resolves when `pattern` appears in the output. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** Starts the example in `dir` as a child process group; rejects (with its output) if it does not get ready. */
export function startExample(dir: URL, example: ExampleCommand): Promise<RunningExample> {
  const child: ChildProcess = spawn(example.command, example.args, {
    cwd: fileURLToPath(dir),
    env: {
      ...process.env,
      NO_COLOR: "1",
      FORCE_COLOR: "0",
      OCTO_HOOK_USER: USER,
      OCTO_HOOK_PASS: PASSWORD,
      ...example.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    // its own process group, so that stop() also ends what it started (wrangler starts workerd)
    detached: true,
  });
  let output = "";
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    for (const listener of listeners) listener();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let ended = false;
  void exited.then(() => {
    ended = true;
    for (const listener of listeners) listener();
  });

  const waitFor = (pattern: RegExp, timeoutMs = 10_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = output.match(pattern);
        if (match === null && !ended) return;
        listeners.delete(check);
        clearTimeout(timer);
        if (match) resolve(match);
        else reject(new Error(`the example exited before printing ${pattern}. Its output:\n${output}`));
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(
          new Error(`no ${pattern} in the example's output within ${timeoutMs} ms. Its output:\n${output}`),
        );
      }, timeoutMs);
      listeners.add(check);
      check();
    });

  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {}
  };
  const stop = async () => {
    if (ended) return;
    signal("SIGTERM");
    const kill = setTimeout(() => signal("SIGKILL"), 5000);
    await exited;
    clearTimeout(kill);
  };

  return waitFor(example.ready, example.startTimeoutMs ?? 15_000).then(
    (match) => ({
      url: `http://127.0.0.1:${match[1]}/webhooks/octo`,
      get output() {
        return output;
      },
      waitFor,
      stop,
    }),
    async (error: unknown) => {
      await stop();
      throw error;
    },
  );
}

/** Runs the built `octo-webhooks` binary to completion. */
export function octoWebhooks(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`pnpm build\` first (\`pnpm test\` does)`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, NO_COLOR: "1" }, timeout: 15_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** The uuid of the booking a `trigger` printed it was sending. */
function sentUuid(stdout: string): string {
  const uuid = stdout.match(new RegExp(`booking (${UUID.source})`))?.[1];
  expect(uuid, `no booking uuid in the trigger's output:\n${stdout}`).toBeDefined();
  return uuid as string;
}

/** The smoke suite: 200 and the handlers' lines for good credentials, 401 and no handler for bad ones. */
export function smokeTest(name: string, dir: URL, example: ExampleCommand): void {
  describe(`examples/${name}, started for real`, () => {
    let app: RunningExample;
    beforeAll(async () => {
      app = await startExample(dir, example);
    }, 60_000);
    afterAll(() => app?.stop());

    it("octo-webhooks trigger booking_update with the right credentials: 200, and the typed handler ran", async () => {
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
        "smoke-1",
      ]);
      expect(sent.stdout).toMatch(/← 200 \{"ok":true\}/);
      expect(sent.code).toBe(0);
      const uuid = sentUuid(sent.stdout);
      await app.waitFor(
        new RegExp(`booking ${uuid} ON_HOLD -> CONFIRMED \\[\\w+( \\w+)*\\] changed: status`),
      );
    });

    it("octo-webhooks trigger availability_update, credentials in the URL: 200, and the typed handler ran", async () => {
      const withCredentials = app.url.replace("http://", `http://${USER}:${encodeURIComponent(PASSWORD)}@`);
      const sent = await octoWebhooks([
        "trigger",
        "availability_update",
        "--to",
        withCredentials,
        "--status",
        "SOLD_OUT",
      ]);
      expect(sent.stdout).toMatch(/← 200 \{"ok":true\}/);
      expect(sent.code).toBe(0);
      const slot = sent.stdout.match(/availability (\S+) SOLD_OUT .*product ([0-9a-f-]{36})/);
      expect(slot).not.toBeNull();
      const seen = await app.waitFor(/availability ([0-9a-f-]{36}) (\S+) SOLD_OUT, 0 left/);
      expect([seen[1], seen[2]]).toEqual([slot?.[2], slot?.[1]]);
    });

    it("a wrong password: 401 with WWW-Authenticate, the handler does not run, nothing echoed", async () => {
      const refused = await octoWebhooks([
        "trigger",
        "booking_update",
        "--to",
        app.url,
        "--user",
        USER,
        "--pass",
        "wrong-pass-51",
        "--seed",
        "smoke-refused",
      ]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/← 401 /);
      expect(refused.stdout).not.toContain("wrong-pass-51");
      const answer = await sendWebhook(app.url, bookingLifecycle({ seed: "smoke-refused-2" })[0], {
        username: USER,
        password: "",
      });
      expect(answer.status).toBe(401);
      expect(answer.headers["www-authenticate"]).toMatch(/^Basic realm="/);
      // a delivery accepted after the refused ones: its line proves the refused ones were handled first
      const after = bookingLifecycle({ seed: "smoke-after-refused" })[0];
      expect((await sendWebhook(app.url, after, { username: USER, password: PASSWORD })).status).toBe(200);
      await app.waitFor(new RegExp(`booking ${after.booking.uuid} ON_HOLD`));
      expect(app.output).not.toContain(sentUuid(refused.stdout));
      expect(app.output).not.toContain(bookingLifecycle({ seed: "smoke-refused-2" })[0].booking.uuid);
    });

    it("a booking's lifecycle through sendWebhook: four 200s, each handled in order", async () => {
      const bodies = bookingLifecycle({ seed: "smoke-lifecycle" });
      for (const body of bodies) {
        expect((await sendWebhook(app.url, body, { username: USER, password: PASSWORD })).status).toBe(200);
      }
      const uuid = bodies[0].booking.uuid;
      await app.waitFor(new RegExp(`booking ${uuid} CONFIRMED -> CANCELLED`));
      const lines = app.output.split("\n").filter((line) => line.includes(`booking ${uuid}`));
      expect(lines.map((line) => line.match(/booking \S+ ((\S+ -> )?[A-Z_]+) \[/)?.[1])).toEqual([
        "ON_HOLD",
        "ON_HOLD -> CONFIRMED",
        "CONFIRMED",
        "CONFIRMED -> CANCELLED",
      ]);
    });

    it("never prints the password", () => {
      expect(app.output).not.toContain(PASSWORD);
    });
  });
}
