// The store behind the queue of a scale run (bench:scale --engine=...): Redis for @octo-webhooks/bullmq,
// PostgreSQL for @octo-webhooks/postgres. What scale.ts needs of either: where the receivers and workers
// connect, how many jobs are left, how many dead letters, the store's CPU seconds so far, and a cleanup.
import { readdirSync, readFileSync } from "node:fs";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import pg from "pg";

export type Engine = "bullmq" | "postgres";
export const ENGINES: readonly Engine[] = ["bullmq", "postgres"];

/** A run's queue store, opened by {@link openQueueBackend}. */
export interface QueueBackend {
  /** Where the receivers and workers connect. */
  url: string;
  /** BullMQ's key prefix, or the PostgreSQL schema. */
  namespace: string;
  /** Jobs waiting, running or waiting for a retry. */
  pending(): Promise<number>;
  deadLetters(): Promise<number>;
  /** CPU seconds the store has used so far: Redis's own count, PostgreSQL's processes from /proc (NaN elsewhere). */
  cpuSeconds(): Promise<number>;
  /** What the store is, for the tables. */
  label: string;
  close(): Promise<void>;
}

/** utime + stime + cutime + cstime of a process, in seconds (clock ticks of 10 ms); 0 when it is gone. */
function processSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}

/**
 * The CPU seconds of a PostgreSQL server: its postmaster with the children it has waited for (the
 * backends of closed connections), and every child alive now (backends, the WAL writer, autovacuum...).
 * Read before and after a run, the difference is what the run cost the server, wherever a backend ended.
 */
function postgresSeconds(postmaster: number): number {
  let total = processSeconds(postmaster);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      if (Number(fields[1]) === postmaster) total += processSeconds(Number(entry));
    } catch {
      // ended meanwhile: its time is in the postmaster's
    }
  }
  return total;
}

async function redisSeconds(redis: Redis): Promise<number> {
  const info = await redis.info("cpu");
  const read = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1]);
  return read("used_cpu_sys") + read("used_cpu_user");
}

/** The Redis (for BullMQ) or PostgreSQL (for @octo-webhooks/postgres) of one run, under a fresh namespace. */
export async function openQueueBackend(
  engine: Engine,
  options: { redis: Redis; redisUrl: string; postgresUrl: string | undefined; id: string; name: string },
): Promise<QueueBackend> {
  if (engine === "bullmq") {
    const prefix = `octo-bench-${options.id}`;
    const client = options.redis.duplicate();
    const queue = new Queue(options.name, { connection: client, prefix });
    const version = /redis_version:([\d.]+)/.exec(await options.redis.info("server"))?.[1] ?? "?";
    return {
      url: options.redisUrl,
      namespace: prefix,
      label: `Redis ${version}`,
      async pending() {
        const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
        return Object.values(counts).reduce((a, b) => a + b, 0);
      },
      deadLetters: () => queue.getFailedCount(),
      cpuSeconds: () => redisSeconds(options.redis),
      async close() {
        await queue.close();
        await client.quit();
      },
    };
  }
  if (options.postgresUrl === undefined) throw new Error("--engine=postgres needs a PostgreSQL");
  const schema = `octo_bench_${options.id}`;
  const pool = new pg.Pool({ connectionString: options.postgresUrl, max: 2 });
  pool.on("error", () => {});
  const { rows } = await pool.query<{ pid: number; version: string }>(
    "select pg_backend_pid() as pid, current_setting('server_version') as version",
  );
  const backend = rows[0]?.pid ?? 0;
  let postmaster = Number.NaN;
  try {
    postmaster = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${backend}/status`, "utf8"))?.[1]);
  } catch {
    // not on this machine: no CPU figure
  }
  const count = async (sql: string) => {
    try {
      return Number((await pool.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
    } catch (error) {
      // before the receivers' migration created it
      if ((error as { code?: string }).code === "42P01") return 0;
      throw error;
    }
  };
  return {
    url: options.postgresUrl,
    namespace: schema,
    label: `PostgreSQL ${rows[0]?.version ?? "?"}`,
    pending: () => count(`select count(*) as n from "${schema}_jobs".jobs`),
    deadLetters: () => count(`select count(*) as n from "${schema}".dead_letters`),
    cpuSeconds: async () => (Number.isNaN(postmaster) ? Number.NaN : postgresSeconds(postmaster)),
    async close() {
      await pool.query(`drop schema if exists "${schema}" cascade`);
      await pool.query(`drop schema if exists "${schema}_jobs" cascade`);
      await pool.end();
    },
  };
}
