// `pnpm bench:scale` (`--quick` for a CI-sized run): the queue hand-off end to end. The mock supplier
// delivers 10,000 booking_updates (10% of them re-sends of earlier ones, i.e. duplicates) through a
// round-robin TCP proxy to 3 receiver processes (core + the queue's receiver), and 2 worker processes
// apply one effect per booking, with 5% of the handler calls failing once. It prints events/s end to end
// and fails unless every booking's effect happened exactly once.
// `--engine=bullmq` (the default: @octo-webhooks/bullmq on Redis), `--engine=postgres`
// (@octo-webhooks/postgres on PostgreSQL), or both, one after the other: `--engine=bullmq,postgres`;
// `--ordering=on` (per-resource ordering: BullMQ's `ordering: "resource"`, PostgreSQL's `ordering: true`),
// or `--ordering=off,on` for both; `--backlog` starts the workers once every delivery is answered (what
// they drain, where ordering costs). Several runs end with a table comparing them.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { once, setMaxListeners } from "node:events";
import { readFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { cpus } from "node:os";
import { createOctoClient } from "@octo-webhooks/client";
import { localPostgres } from "@octo-webhooks/test-helpers/postgres";
import { deleteKeysUnder, localRedis } from "@octo-webhooks/test-helpers/redis";
import { bookingUpdate, type Delivery, startMockSupplier } from "@octo-webhooks/testing";
import { Redis } from "ioredis";
import { PASS, USER } from "./constants.ts";
import { addTo } from "./owners.ts";
import { ENGINES, type Engine, openQueueBackend } from "./queue-backend.ts";

const quick = process.argv.includes("--quick");
// `--receiver=plain`: receivers without the queue (core's handle(), a handler that does nothing) and no
// workers: what a receiver's CPU per delivery is without the queue, under the same load
const plain = process.argv.includes("--receiver=plain");
const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};
const EVENTS = arg("events", quick ? 1000 : 10_000);
const RECEIVERS = 3;
const WORKERS = 2;
const IN_FLIGHT = arg("in-flight", 64);
const CRM_MS = arg("crm-ms", 5);
const DUPLICATE_EVERY = 10; // every 10th delivery re-sends an earlier body
const STATUSES = ["ON_HOLD", "CONFIRMED", "CANCELLED", "CONFIRMED", "EXPIRED"] as const;
/** `--name=a,b`: the values given, each one of `allowed`; `fallback` without the flag. */
const list = <T extends string>(name: string, allowed: readonly T[], fallback: T[]): T[] => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (found === undefined) return fallback;
  const values = found.slice(name.length + 3).split(",");
  const wrong = values.filter((v) => !allowed.includes(v as T));
  if (wrong.length > 0) throw new Error(`--${name}: ${wrong.join(", ")}? (${allowed.join(", ")})`);
  return values as T[];
};
const RUN_ENGINES = list("engine", ENGINES, ["bullmq"]);
// `--backlog`: the workers start once every delivery is answered, so that they drain a backlog (their
// throughput, where ordering costs, rather than the receivers')
const backlog = process.argv.includes("--backlog");
const ORDERINGS = list("ordering", ["off", "on"] as const, ["off"]);

const here = (file: string) => new URL(file, import.meta.url).pathname;

/** Starts a child process of this benchmark and waits for its readiness line. */
async function child(script: string, args: string[], ready: RegExp) {
  const proc: ChildProcess = spawn(
    process.execPath,
    ["--conditions=@octo-webhooks/source", "--import", "tsx", here(script), ...args],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  for await (const chunk of proc.stdout!) {
    output += chunk;
    const match = ready.exec(output);
    if (match) return { proc, match };
  }
  throw new Error(`${script} exited before it was ready`);
}

async function stop(proc: ChildProcess) {
  if (proc.exitCode !== null) return;
  proc.kill("SIGTERM");
  await once(proc, "exit");
}

/** A layer-4 load balancer: each connection goes to the next receiver in turn. */
async function roundRobin(ports: number[]) {
  let next = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(ports[next++ % ports.length] as number, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on("close", () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** CPU seconds a process has used so far (Linux), and the kernel's part of them; NaN elsewhere. */
function cpuSeconds(pid: number | undefined): { total: number; kernel: number } {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime, in clock ticks of 10 ms
    const kernel = Number(fields[12]) / 100;
    return { total: Number(fields[11]) / 100 + kernel, kernel };
  } catch {
    return { total: Number.NaN, kernel: Number.NaN };
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number);
};

/** What one run measured, for the closing comparison. */
interface RunSummary {
  name: string;
  eventsPerSecond: number;
  /** Seconds until 95% of the bookings had their effect (the rest includes the retried 5%). */
  p95Seconds: number;
  ingestPerSecond: number;
  receiverMsPerDelivery: number;
  workerMsPerEvent: number;
  storeMsPerDelivery: number;
  answerP50: number;
  answerP99: number;
  failures: number;
}

/** One run: receivers, workers, the mock supplier and the proxy of `engine`, with ordering or not. */
async function runOnce(
  engine: Engine,
  ordered: boolean,
  stores: { redis: Redis; redisUrl: string; postgresUrl: string | undefined },
): Promise<RunSummary> {
  const id = randomBytes(4).toString("hex");
  const name = "scale";
  const backend = await openQueueBackend(engine, { ...stores, id, name });
  // the effects and the injected failures, in Redis whatever the engine
  const effectsPrefix = `octo-bench-effects-${id}`;
  const { redis } = stores;
  const children: ChildProcess[] = [];
  let proxy: Awaited<ReturnType<typeof roundRobin>> | undefined;
  let supplier: Awaited<ReturnType<typeof startMockSupplier>> | undefined;
  const runName = `${engine === "bullmq" ? "BullMQ" : "PostgreSQL"}${ordered ? ", ordering" : ""}`;
  try {
    const receiverArgs = [backend.url, backend.namespace, name, plain ? "plain" : "queue", engine];
    const receivers = await Promise.all(
      Array.from({ length: RECEIVERS }, () =>
        child("scale-receiver.ts", [...receiverArgs, ordered ? "on" : "off"], /PORT=(\d+)/),
      ),
    );
    children.push(...receivers.map((r) => r.proc));
    const startWorkers = async () => {
      const started = await Promise.all(
        Array.from({ length: plain ? 0 : WORKERS }, () =>
          child(
            "scale-worker.ts",
            [backend.url, backend.namespace, name, String(CRM_MS), stores.redisUrl, effectsPrefix, engine],
            /READY/,
          ),
        ),
      );
      children.push(...started.map((w) => w.proc));
      return started;
    };
    let workers = backlog ? [] : await startWorkers();
    proxy = await roundRobin(receivers.map((r) => Number(r.match[1])));

    setMaxListeners(IN_FLIGHT * 2); // the supplier's abort signal gets a listener per delivery in flight
    supplier = await startMockSupplier({
      retrySchedule: [100, 250, 500, 1000, 2000, 4000, 8000],
      deliveryTimeoutMs: 10_000,
    });
    const client = createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey });
    await client.webhooks.create({
      event: "booking_update",
      url: `http://${USER}:${PASS}@127.0.0.1:${proxy.port}/webhooks/octo`,
    });

    // the bodies: one booking each; every DUPLICATE_EVERY-th send repeats an earlier one
    const bodies: Array<ReturnType<typeof bookingUpdate>> = [];
    const plan: number[] = [];
    for (let i = 0; i < EVENTS; i++) {
      if (i % DUPLICATE_EVERY === DUPLICATE_EVERY - 1 && bodies.length > 0) {
        plan.push(Math.floor(Math.random() * bodies.length));
      } else {
        bodies.push(
          bookingUpdate({
            seed: i,
            status: STATUSES[i % STATUSES.length] as (typeof STATUSES)[number],
            booking: { uuid: randomUUID() },
          }),
        );
        plan.push(bodies.length - 1);
      }
    }

    const cpuBefore = {
      main: process.cpuUsage(),
      store: await backend.cpuSeconds(),
      receivers: receivers.map((r) => cpuSeconds(r.proc.pid)),
      workers: workers.map((w) => cpuSeconds(w.proc.pid).total),
    };
    const started = performance.now();
    let sent = 0;
    const sender = async () => {
      while (sent < plan.length) {
        const body = bodies[plan[sent++] as number] as Record<string, unknown>;
        await supplier?.simulate.event("booking_update", body);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
    const ingested = performance.now();
    let draining = started;
    if (backlog) {
      workers = await startWorkers();
      cpuBefore.workers = workers.map((w) => cpuSeconds(w.proc.pid).total);
      draining = performance.now();
    }

    // processing ends when every booking has its effect and no job waits, runs or waits for a retry
    let p95At = Number.NaN;
    while (!plain) {
      const applied = await redis.hlen(`${effectsPrefix}:effects`);
      if (Number.isNaN(p95At) && applied >= 0.95 * bodies.length) p95At = performance.now();
      if (applied >= bodies.length && (await backend.pending()) === 0) break;
      if (performance.now() - started > 300_000) throw new Error("gave up after 5 minutes");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const processed = performance.now();
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const receiversNow = receivers.map((r) => cpuSeconds(r.proc.pid));
    const cpu = {
      receivers: sum(receiversNow.map((c) => c.total)) - sum(cpuBefore.receivers.map((c) => c.total)),
      receiversKernel: sum(receiversNow.map((c) => c.kernel)) - sum(cpuBefore.receivers.map((c) => c.kernel)),
      workers: sum(workers.map((w) => cpuSeconds(w.proc.pid).total)) - sum(cpuBefore.workers),
      supplier: (() => {
        const used = process.cpuUsage(cpuBefore.main);
        return (used.user + used.system) / 1e6;
      })(),
      store: (await backend.cpuSeconds()) - cpuBefore.store,
    };
    await new Promise((resolve) => setTimeout(resolve, 500)); // let a late double show up, if any

    const effects = await redis.hgetall(`${effectsPrefix}:effects`);
    const expected = new Set(bodies.map((b) => b.booking.uuid));
    const lost = [...expected].filter((uuid) => effects[uuid] === undefined);
    const doubled = Object.entries(effects).filter(([, count]) => Number(count) > 1);
    const unknown = Object.keys(effects).filter((uuid) => !expected.has(uuid));
    const deliveries: readonly Delivery[] = supplier.deliveries;
    const undelivered = deliveries.filter((d) => d.state !== "delivered");
    const deadLetters = await backend.deadLetters();
    const injected = Number(await redis.get(`${effectsPrefix}:injected-failures`));
    const answers = new Map<string, number>();
    for (const delivery of deliveries) {
      for (const attempt of delivery.attempts) {
        const label =
          attempt.status === 200 && attempt.answer?.includes('"duplicate":true')
            ? "200 duplicate"
            : String(attempt.status ?? attempt.error);
        addTo(answers, label, 1);
      }
    }
    const latencies = deliveries.flatMap((d) =>
      d.attempts.filter((a) => a.status === 200).map((a) => a.durationMs),
    );

    const seconds = (ms: number) => (ms / 1000).toFixed(2);
    console.log(
      plain
        ? `\n## Scale-out, plain receivers: ${RECEIVERS} receivers without the queue, no workers (exactly once not checked)\n`
        : `\n## Scale-out (${runName}): ${RECEIVERS} receivers, ${WORKERS} workers, one ${backend.label}\n`,
    );
    console.log("| measure | value |");
    console.log("|---|---|");
    console.log(
      `| deliveries sent by the mock supplier | ${deliveries.length} (${bodies.length} distinct, ${deliveries.length - bodies.length} duplicates) |`,
    );
    console.log(`| receiver answers | ${[...answers].map(([k, v]) => `${k}: ${v}`).join(", ")} |`);
    console.log(
      `| handler calls failed on purpose (retried) | ${injected} (${((injected / bodies.length) * 100).toFixed(1)}%) |`,
    );
    console.log(
      `| ingest: all deliveries answered 2xx | ${seconds(ingested - started)} s, ${Math.round(deliveries.length / ((ingested - started) / 1000))} deliveries/s |`,
    );
    if (!plain && backlog) {
      console.log(
        `| drain: every effect applied, from the workers' start | ${seconds(processed - draining)} s, **${Math.round(bodies.length / ((processed - draining) / 1000))} events/s** |`,
      );
      console.log(`| 95% of the effects applied, from the workers' start | ${seconds(p95At - draining)} s |`);
    } else if (!plain) {
      console.log(
        `| end to end: every effect applied | ${seconds(processed - started)} s, **${Math.round(bodies.length / ((processed - started) / 1000))} events/s** |`,
      );
      console.log(`| 95% of the effects applied | ${seconds(p95At - started)} s |`);
    }
    console.log(
      `| delivery latency (2xx answers) p50 / p99 | ${percentile(latencies, 0.5)} / ${percentile(latencies, 0.99)} ms |`,
    );
    const storeName = engine === "bullmq" ? "Redis" : "PostgreSQL";
    console.log(
      `| CPU seconds: receivers / workers / supplier + proxy / ${storeName} | ${[cpu.receivers, cpu.workers, cpu.supplier, cpu.store].map((v) => v.toFixed(1)).join(" / ")} |`,
    );
    const requests = deliveries.reduce((n, d) => n + d.attempts.length, 0);
    console.log(
      `| receiver CPU per delivery | ${((cpu.receivers / deliveries.length) * 1000).toFixed(3)} ms, of which the kernel ${((cpu.receiversKernel / deliveries.length) * 1000).toFixed(3)} ms (${deliveries.length} deliveries, ${requests} requests) |`,
    );
    if (!plain) {
      console.log(
        `| ${storeName} CPU per delivery | ${((cpu.store / deliveries.length) * 1000).toFixed(3)} ms |`,
      );
    }
    let failures: number;
    if (plain) {
      failures = undelivered.length;
      console.log(`| undelivered | ${undelivered.length} |`);
    } else {
      console.log(
        `| effects: lost / doubled / unexpected | ${lost.length} / ${doubled.length} / ${unknown.length} |`,
      );
      console.log(`| undelivered / dead letters | ${undelivered.length} / ${deadLetters} |`);
      failures = lost.length + doubled.length + unknown.length + undelivered.length + deadLetters;
      console.log(failures === 0 ? "\nexactly once: OK" : "\nexactly once: FAILED");
    }
    return {
      name: runName,
      eventsPerSecond: bodies.length / ((processed - draining) / 1000),
      p95Seconds: (p95At - draining) / 1000,
      ingestPerSecond: deliveries.length / ((ingested - started) / 1000),
      receiverMsPerDelivery: (cpu.receivers / deliveries.length) * 1000,
      workerMsPerEvent: (cpu.workers / bodies.length) * 1000,
      storeMsPerDelivery: (cpu.store / deliveries.length) * 1000,
      answerP50: percentile(latencies, 0.5),
      answerP99: percentile(latencies, 0.99),
      failures,
    };
  } finally {
    await supplier?.close();
    await proxy?.close();
    await Promise.all(children.map(stop));
    await backend.close();
    await deleteKeysUnder(redis, backend.namespace);
    await deleteKeysUnder(redis, effectsPrefix);
  }
}

async function main() {
  console.log(
    `# octo-webhooks scale-out benchmark${quick ? " (quick mode: a smoke run, numbers not meaningful)" : ""}`,
  );
  console.log(`node ${process.version}, ${cpus().length} cores`);
  const redisServer = await localRedis();
  const postgresServer = RUN_ENGINES.includes("postgres") ? await localPostgres() : undefined;
  const redis = new Redis(redisServer.url);
  const summaries: RunSummary[] = [];
  try {
    const stores = { redis, redisUrl: redisServer.url, postgresUrl: postgresServer?.url };
    for (const engine of plain ? (["bullmq"] as Engine[]) : RUN_ENGINES) {
      for (const ordering of plain ? ["off"] : ORDERINGS) {
        summaries.push(await runOnce(engine, ordering === "on", stores));
      }
    }
  } finally {
    await redis.quit();
    await redisServer.stop();
    await postgresServer?.stop();
  }
  if (summaries.length > 1) {
    console.log(`\n## Compared (${EVENTS} deliveries each, one run after the other)\n`);
    const to = backlog ? "drain (workers started after ingest)" : "end to end";
    console.log(
      `| run | ${to} | 95% of effects | ingest | receiver CPU / delivery | worker CPU / event | store CPU / delivery | answer p50 / p99 |`,
    );
    console.log("|---|---|---|---|---|---|---|---|");
    for (const run of summaries) {
      console.log(
        `| ${run.name} | ${Math.round(run.eventsPerSecond)} events/s | ${run.p95Seconds.toFixed(1)} s | ${Math.round(run.ingestPerSecond)} deliveries/s | ${run.receiverMsPerDelivery.toFixed(2)} ms | ${run.workerMsPerEvent.toFixed(2)} ms | ${run.storeMsPerDelivery.toFixed(2)} ms | ${run.answerP50} / ${run.answerP99} ms |`,
      );
    }
  }
  if (summaries.some((run) => run.failures > 0)) process.exit(1);
}

await main();
