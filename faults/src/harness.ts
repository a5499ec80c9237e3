// The fault-injection harness: the processes of a scenario (receivers, workers, Redis) started apart from
// the test process, so that they can be killed (SIGKILL), stopped (SIGTERM) and started again at chosen
// moments, while the effects are counted in a Redis that none of the killed processes owns.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@octo-webhooks/test-helpers";
import { Redis } from "ioredis";
import { APP_BUNDLE } from "./bundle.ts";
import type { Adapter } from "./servers.ts";

/** One process of a scenario, which can be killed and started again with the same arguments. */
export interface Managed {
  /** The current process (a new one after each `start()`). */
  readonly process: ChildProcess;
  /** Every line it printed on stdout, across restarts. */
  readonly lines: string[];
  /** Starts it again (after a kill), and waits for its readiness line. */
  start(): Promise<void>;
  /** Sends `signal` and waits until it exited; resolves at once when it is not running. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Resolves with the exit code or signal of the current process. */
  exited(): Promise<number | string | null>;
}

/** The options of an app process (src/app.ts), passed as JSON. */
export interface AppOptions {
  role: "receiver" | "worker";
  /** The receiver's adapter (default node:http with core's handle()). */
  adapter?: Adapter;
  /**
   * default: handlers before the answer; ack-first: in the bounded in-process queue; queue: BullMQ;
   * postgres: @octo-webhooks/postgres's queue and worker.
   */
  mode: "default" | "ack-first" | "queue" | "postgres";
  /** The port to listen on (the same after a restart, so that the supplier's webhook URL holds). */
  port?: number;
  /** The Redis of the queue and of `dedupe`. */
  redisUrl: string;
  /** The Redis where effects are counted (outside every killed process). */
  effectsUrl: string;
  /** The PostgreSQL of the postgres mode, and the schema there (its jobs in `<schema>_jobs`). */
  postgresUrl?: string;
  schema?: string;
  /**
   * How long the receiver holds each answer once `handle()` resolved, in ms (the postgres mode: the job
   * is committed then), so that a kill lands between the commit and the answer.
   */
  answerDelayMs?: number;
  prefix: string;
  /** How long a handler works before its effect, in ms. */
  handlerMs: number;
  dedupe?: boolean;
  concurrency?: number;
  maxQueued?: number;
  /** Grace given to in-flight work on SIGTERM, in ms. */
  drainMs?: number;
  /** The receiver's `maxBodyBytes` (core's default when absent). */
  maxBodyBytes?: number;
  /** Print a `SAMPLE <json>` line (RSS, event-loop delay p99, handles) every this many ms. */
  sampleMs?: number;
}

/** Starts `src/app.ts` with `options` and waits for its `READY` line. */
export async function startApp(options: AppOptions): Promise<Managed> {
  // a receiver listens on a port of its choosing the first time (no race for a "free" port with other
  // processes), then on that same port after each restart, so that the supplier's webhook URL holds
  const settings = { ...options };
  const app = managed(() => [JSON.stringify(settings)]);
  await app.start();
  const port = /^PORT=(\d+)$/.exec(app.lines.find((line) => line.startsWith("PORT=")) ?? "")?.[1];
  if (port !== undefined) settings.port = Number(port);
  return app;
}

/** The port a receiver started by {@link startApp} listens on. */
export function portOf(app: Managed): number {
  const line = app.lines.find((l) => l.startsWith("PORT="));
  if (line === undefined) throw new Error("[@octo-webhooks/faults] this process printed no PORT= line");
  return Number(line.slice(5));
}

/** The bundle (test/setup.ts makes it) when there is one, else the sources through tsx. */
function command(args: string[]): string[] {
  if (existsSync(APP_BUNDLE)) return ["--expose-gc", APP_BUNDLE, ...args];
  const source = new URL("app.ts", import.meta.url).pathname;
  return ["--expose-gc", "--conditions=@octo-webhooks/source", "--import", "tsx", source, ...args];
}

function managed(args: () => string[]): Managed {
  const script = "app.ts";
  let current: ChildProcess | undefined;
  const lines: string[] = [];
  return {
    get process() {
      if (current === undefined) throw new Error("[@octo-webhooks/faults] the process was never started");
      return current;
    },
    lines,
    async start() {
      const child = spawn(process.execPath, command(args()), { stdio: ["ignore", "pipe", "inherit"] });
      current = child;
      let buffer = "";
      let ready: (() => void) | undefined;
      const isReady = new Promise<void>((resolve, reject) => {
        ready = resolve;
        child.once("exit", (code, signal) =>
          reject(new Error(`[@octo-webhooks/faults] ${script} exited (${code ?? signal}) before READY`)),
        );
      });
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
        buffer += chunk;
        const parts = buffer.split("\n");
        buffer = parts.pop() ?? "";
        for (const line of parts) {
          lines.push(line);
          if (line === "READY") ready?.();
        }
      });
      await isReady;
    },
    async kill(signal) {
      const child = current;
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const exit = once(child, "exit");
      child.kill(signal);
      await exit;
    },
    async exited() {
      const child = current;
      if (child === undefined) return null;
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode;
      const [code, signal] = await once(child, "exit");
      return code ?? signal;
    },
  };
}

/** A redis-server of the scenario's own, on a fixed port, which can be stopped and started again. */
export interface ControlledRedis {
  readonly url: string;
  /** Starts it (again), with what it persisted when `aof` is on, else empty. */
  start(): Promise<void>;
  /** SIGTERM: a clean shutdown (the AOF flushed when on); SIGKILL: a crash. Waits until it exited. */
  stop(signal: "SIGTERM" | "SIGKILL"): Promise<void>;
}

/**
 * A redis-server on a free port, in a fresh directory: with `aof`, `appendonly yes` and
 * `appendfsync always` (every acknowledged write survives a restart); without, no persistence at all.
 */
export async function controlledRedis(options: { aof: boolean }): Promise<ControlledRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), "octo-faults-redis-"));
  const persistence = options.aof
    ? ["--appendonly", "yes", "--appendfsync", "always"]
    : ["--appendonly", "no"];
  let child: ChildProcess | undefined;
  return {
    url,
    async start() {
      child = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--dir", dir, ...persistence],
        { stdio: "ignore" },
      );
      for (let i = 0; i < 100; i++) {
        const client = new Redis(url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        client.on("error", () => {});
        try {
          await client.connect();
          await client.ping();
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        } finally {
          client.disconnect();
        }
      }
      throw new Error(`[@octo-webhooks/faults] redis-server on port ${port} did not start`);
    },
    async stop(signal) {
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const exit = once(child, "exit");
      child.kill(signal);
      await exit;
    },
  };
}

/** The counts of a scenario: each uuid sent once, effects counted per uuid. */
export interface Figures {
  sent: number;
  applied: number;
  lost: number;
  doubled: number;
}

/** Reads the effect counts of `prefix` (one HINCRBY per handler run, per booking uuid) against `uuids`. */
export async function figures(effects: Redis, prefix: string, uuids: readonly string[]): Promise<Figures> {
  const runs = await effects.hgetall(`${prefix}:effects`);
  let applied = 0;
  let lost = 0;
  let doubled = 0;
  for (const uuid of uuids) {
    const count = Number(runs[uuid] ?? 0);
    applied += count;
    if (count === 0) lost++;
    if (count > 1) doubled++;
  }
  return { sent: uuids.length, applied, lost, doubled };
}

/** Waits until `check()` is true, polling every 50 ms, or throws after `timeoutMs` saying `what`. */
export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`[@octo-webhooks/faults] gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `FAULTS_LONG=1` (`pnpm test:faults`): the long forms. */
export const long = process.env.FAULTS_LONG === "1";

/** An ioredis client for BullMQ in the test process; its connection errors (Redis killed on purpose) are expected. */
export function quietRedis(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null });
  client.on("error", () => {});
  return client;
}
