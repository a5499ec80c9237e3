// The PostgreSQL a test run uses: OCTO_POSTGRES_URL when set (CI starts one in .ci/run), else a throwaway
// cluster made here (initdb in a temporary folder, started on a free loopback port, fsync off), run as the
// `postgres` OS user when this process is root (PostgreSQL refuses to run as root). Without either it
// throws, saying how to get one: the @octo-webhooks/postgres tests exist to run against a real PostgreSQL.
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "./index.ts";

export const HOW_TO_GET_POSTGRES =
  "Either install PostgreSQL's server (Debian/Ubuntu: `apt-get install -y postgresql`; macOS: `brew install postgresql`) " +
  "and a throwaway cluster is started on a free port, or start one yourself and point at it: " +
  "`OCTO_POSTGRES_URL=postgres://user:password@127.0.0.1:5432/database` (the tests create and drop schemas of their own there).";

/** Connects to `url` up to `attempts` times, 100 ms apart: `undefined` once it answers, else the last error. */
async function ping(url: string, attempts: number): Promise<string | undefined> {
  let lastError = "no answer";
  for (let i = 0; i < attempts; i++) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("select 1");
      return undefined;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return lastError;
}

/**
 * The folder holding `initdb` and `pg_ctl`: OCTO_POSTGRES_BIN when set, else on PATH, else Debian's
 * /usr/lib/postgresql/<newest>/bin.
 */
export function postgresBinaries(): string | undefined {
  const given = process.env.OCTO_POSTGRES_BIN;
  if (given) return existsSync(join(given, "initdb")) ? given : undefined;
  const onPath = spawnSync("pg_ctl", ["--version"], { stdio: "ignore" });
  if (onPath.status === 0) {
    const which = spawnSync("sh", ["-c", "command -v pg_ctl"], { encoding: "utf8" });
    const path = which.stdout.trim();
    if (path !== "") return join(path, "..");
  }
  const debian = "/usr/lib/postgresql";
  if (!existsSync(debian)) return undefined;
  const versions = readdirSync(debian)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(debian, name, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(debian, versions[0], "bin");
}

/** The OS user to run the server as, and how: root cannot run PostgreSQL, so `postgres` via runuser. */
function asServerUser(): { command: (args: string[]) => [string, string[]]; uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return { command: (args) => [args[0] as string, args.slice(1)] };
  const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const [uid, gid] = [id("-u"), id("-g")];
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(
      `this process is root, which PostgreSQL refuses, and there is no \`postgres\` user to run it as. ${HOW_TO_GET_POSTGRES}`,
    );
  }
  return {
    command: (args) => ["runuser", ["-u", "postgres", "--", ...args]],
    uid: Number(uid.stdout.trim()),
    gid: Number(gid.stdout.trim()),
  };
}

/** A PostgreSQL to test against; `stop()` stops the one it started (and nothing else). */
export interface LocalPostgres {
  /** `postgres://...` of a database the tests may create schemas in. */
  url: string;
  stop(): Promise<void>;
}

/**
 * A throwaway cluster: initdb in a temporary folder, started with pg_ctl on a free loopback port, with
 * durability off (a test database has nothing to keep). `stop()` stops it and deletes the folder.
 */
export async function startPostgresCluster(): Promise<LocalPostgres> {
  const bin = postgresBinaries();
  if (bin === undefined) {
    throw new Error(
      `PostgreSQL's server (initdb, pg_ctl) was not found (on PATH, in /usr/lib/postgresql/*/bin or OCTO_POSTGRES_BIN) and OCTO_POSTGRES_URL is not set. ${HOW_TO_GET_POSTGRES}`,
    );
  }
  const user = asServerUser();
  const dir = mkdtempSync(join(tmpdir(), "octo-postgres-"));
  if (user.uid !== undefined && user.gid !== undefined) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  const run = (args: string[]) => {
    const [command, rest] = user.command(args);
    return spawnSync(command, rest, { encoding: "utf8", cwd: dir });
  };
  const failed = (what: string, result: ReturnType<typeof run>) => {
    rmSync(dir, { recursive: true, force: true });
    const detail = `${result.error?.message ?? ""}${result.stderr ?? ""}${result.stdout ?? ""}`
      .trim()
      .slice(-800);
    return new Error(`${what} failed (${detail}). ${HOW_TO_GET_POSTGRES}`);
  };
  const init = run([
    join(bin, "initdb"),
    "-D",
    data,
    "-U",
    "postgres",
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--no-sync",
    "--no-instructions",
  ]);
  if (init.status !== 0) throw failed("initdb", init);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=300",
  ].join(" ");
  const start = run([
    join(bin, "pg_ctl"),
    "-D",
    data,
    "-l",
    join(dir, "server.log"),
    "-o",
    settings,
    "-w",
    "-t",
    "30",
    "start",
  ]);
  if (start.status !== 0) throw failed("pg_ctl start", start);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    run([join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"]);
    rmSync(dir, { recursive: true, force: true });
  };
  const failure = await ping(url, 50);
  if (failure !== undefined) {
    await stop();
    throw new Error(`the PostgreSQL started here did not answer (${failure}). ${HOW_TO_GET_POSTGRES}`);
  }
  return { url, stop };
}

/** OCTO_POSTGRES_URL, or a throwaway cluster of its own ({@link startPostgresCluster}). */
export async function localPostgres(): Promise<LocalPostgres> {
  const given = process.env.OCTO_POSTGRES_URL;
  if (given) {
    const failure = await ping(given, 10);
    if (failure !== undefined) {
      throw new Error(
        `OCTO_POSTGRES_URL is set but PostgreSQL does not answer there (${failure}). ${HOW_TO_GET_POSTGRES}`,
      );
    }
    return { url: given, stop: async () => {} };
  }
  return startPostgresCluster();
}

/** Drops `schemas` (and everything in them) at `url`, if they exist. */
export async function dropSchemas(url: string, ...schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    for (const schema of schemas) {
      await client.query(`drop schema if exists "${schema.replace(/"/g, '""')}" cascade`);
    }
  } finally {
    await client.end();
  }
}
