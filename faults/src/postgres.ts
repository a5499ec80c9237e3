// A PostgreSQL cluster of a scenario's own, which can be stopped (cleanly, or as a crash) and started
// again on the same port and data: initdb in a temporary folder, pg_ctl run as the `postgres` OS user when
// this process is root (PostgreSQL refuses root). Durable against a crash of PostgreSQL's processes
// (synchronous_commit on: a commit is in the WAL before it is acknowledged); fsync off, as a test database
// need not survive the machine losing power.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@octo-webhooks/test-helpers";
import { postgresBinaries } from "@octo-webhooks/test-helpers/postgres";

/** A cluster of the scenario's own (see {@link controlledPostgres}). */
export interface ControlledPostgres {
  readonly url: string;
  /** Starts it (again) and waits until it accepts connections; resolves with how long that took, in ms. */
  start(): Promise<number>;
  /**
   * `fast`: a clean shutdown (connections ended, a checkpoint); `immediate`: a crash (every process
   * quits at once, recovery from the WAL at the next start). Waits until it stopped.
   */
  stop(mode: "fast" | "immediate"): Promise<void>;
  /** `pg_ctl restart -m fast`: stopped and started again in one step; resolves with how long it took, in ms. */
  restart(): Promise<number>;
  /** Stops it and deletes its folder. */
  remove(): Promise<void>;
}

/** Whether this machine can run {@link controlledPostgres}: PostgreSQL's server binaries, and a user for them. */
export function canControlPostgres(): boolean {
  if (postgresBinaries() === undefined) return false;
  return process.getuid?.() !== 0 || spawnSync("id", ["-u", "postgres"]).status === 0;
}

/** A cluster on a free loopback port, initialised but not started. */
export async function controlledPostgres(): Promise<ControlledPostgres> {
  const bin = postgresBinaries();
  if (bin === undefined)
    throw new Error("[@octo-webhooks/faults] PostgreSQL's server binaries were not found");
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "octo-faults-postgres-"));
  if (root) {
    const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout);
    chownSync(dir, id("-u"), id("-g"));
  }
  const data = join(dir, "data");
  // asynchronously: the scenario's supplier keeps delivering, in this process, while pg_ctl works
  const run = async (args: string[]) => {
    const [command, rest] = root
      ? ["runuser", ["-u", "postgres", "--", ...args]]
      : [args[0] as string, args.slice(1)];
    const child = spawn(command, rest, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    const output: string[] = [];
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => void output.push(chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => void output.push(chunk));
    const [code] = (await once(child, "exit")) as [number | null];
    if (code !== 0) {
      throw new Error(
        `[@octo-webhooks/faults] ${args.slice(0, 2).join(" ")} failed: ${output.join("").trim().slice(-800)}`,
      );
    }
  };
  await run([join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    "-c fsync=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
  ].join(" ");
  const pgCtl = (...args: string[]) =>
    run([join(bin, "pg_ctl"), "-D", data, "-l", join(dir, "server.log"), "-o", settings, ...args]);
  const timed = async (step: () => Promise<void>) => {
    const started = performance.now();
    await step();
    return Math.round(performance.now() - started);
  };
  let running = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      const ms = await timed(() => pgCtl("-w", "-t", "60", "start"));
      running = true;
      return ms;
    },
    async stop(mode) {
      await pgCtl("-m", mode, "-w", "-t", "60", "stop");
      running = false;
    },
    async restart() {
      const ms = await timed(() => pgCtl("-m", "fast", "-w", "-t", "60", "restart"));
      running = true;
      return ms;
    },
    async remove() {
      if (running) await pgCtl("-m", "immediate", "-w", "stop").catch(() => undefined);
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
