// Throughput of each framework bare vs with octoWebhooks: each server its own process pinned to CPU 0,
// the load (autocannon) in this process pinned to CPU 1, rounds alternating A/B. Besides req/s, each
// server reports the CPU time it spent during the load (over IPC), so the CPU cost per request can be
// compared even when the load generator, not the server, is the limit (autocannon on one core tops out
// near the rate of the fastest bare servers).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import autocannon from "autocannon";
import { seedBooking } from "./bodies.ts";
import { FRAMEWORKS, PASS, PATH, USER, type Variant, variantsOf } from "./constants.ts";

export interface Sample {
  rps: number;
  /** Server CPU time (user + system) per request answered, in microseconds. */
  cpuUs: number;
  /** The system (kernel) part of `cpuUs`. */
  systemUs: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export interface FrameworkResult {
  framework: string;
  bare: Sample[];
  /** The bare route answering with our body and headers (Fastify, Hono): what that answer costs there. */
  answer: Sample[];
  octo: Sample[];
}

const serverScript = new URL("./server.ts", import.meta.url).pathname;

/**
 * Starts `server.ts <framework> <variant>` and resolves once it listens. By default pinned to CPU 0;
 * `launch` runs it under another command (valgrind) with extra Node flags.
 */
export async function startServer(
  framework: string,
  variant: Variant,
  launch: { command: string[]; nodeFlags: string[] } = { command: ["taskset", "-c", "0"], nodeFlags: [] },
): Promise<{ port: number; child: ChildProcess }> {
  const [command, ...args] = launch.command;
  const child = spawn(
    command as string,
    [...args, process.execPath, ...launch.nodeFlags, "--import", "tsx", serverScript, framework, variant],
    { stdio: ["ignore", "pipe", "inherit", "ipc"] },
  );
  let output = "";
  for await (const chunk of child.stdout!) {
    output += chunk;
    const match = /PORT=(\d+)/.exec(output);
    if (match) return { port: Number(match[1]), child };
  }
  throw new Error(`${framework} ${variant} server exited before listening`);
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}

/** Sends `message` to a server over IPC and resolves with its answer. */
export async function ask(child: ChildProcess, message: string): Promise<unknown> {
  child.send(message);
  const [answer] = await once(child, "message");
  return answer;
}

/** The server's CPU time so far (microseconds), asked over IPC. */
async function serverCpu(child: ChildProcess): Promise<{ user: number; system: number }> {
  return (await ask(child, "cpu")) as { user: number; system: number };
}

/** The seed delivery with Basic auth, 50 connections, for `duration` seconds or `amount` requests. */
export function sendDeliveries(
  port: number,
  limit: ({ duration: number } | { amount: number }) & { timeout?: number },
) {
  return autocannon({
    url: `http://127.0.0.1:${port}${PATH}`,
    method: "POST",
    connections: 50,
    ...limit,
    headers: {
      "content-type": "application/json",
      authorization: `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}`,
    },
    body: seedBooking().text,
  });
}

async function load(port: number, seconds: number, child: ChildProcess): Promise<Sample> {
  const cpuBefore = await serverCpu(child);
  const result = await sendDeliveries(port, { duration: seconds });
  const cpuAfter = await serverCpu(child);
  const system = cpuAfter.system - cpuBefore.system;
  const cpu = cpuAfter.user - cpuBefore.user + system;
  const answered = result["2xx"] + result.non2xx;
  return {
    rps: result.requests.average,
    cpuUs: answered > 0 ? cpu / answered : Number.NaN,
    systemUs: answered > 0 ? system / answered : Number.NaN,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export async function benchFrameworks(options: {
  quick: boolean;
  frameworks?: string[] | undefined;
  octo: Set<string>;
}) {
  try {
    execFileSync("taskset", ["-p", "-c", "1", String(process.pid)], { stdio: "ignore" });
  } catch {
    // not Linux: run unpinned
  }
  const rounds = options.quick ? 1 : 5;
  const seconds = options.quick ? 1 : 5;
  const results: FrameworkResult[] = [];
  for (const framework of options.frameworks ?? FRAMEWORKS) {
    const result: FrameworkResult = { framework, bare: [], answer: [], octo: [] };
    const variants: Variant[] = options.octo.has(framework) ? variantsOf(framework) : ["bare"];
    for (let round = 0; round < rounds; round++) {
      // alternate which variant goes first so that drift (thermal, page cache) hits both alike
      for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
        const { port, child } = await startServer(framework, variant);
        try {
          await load(port, Math.min(1, seconds), child); // warm-up
          result[variant].push(await load(port, seconds, child));
        } finally {
          await stopServer(child);
        }
      }
    }
    results.push(result);
  }
  return results;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
};

/** Round by round, with us over bare (the two ran back to back): the median of those cancels drift. */
const pairedRatio = (r: FrameworkResult, value: (s: Sample) => number, base: Sample[] = r.bare) =>
  median(r.octo.map((o, i) => value(o) / value(base[i] as Sample)));

export function printFrameworks(results: FrameworkResult[]): void {
  console.log(
    "\n## Frameworks: bare route vs octoWebhooks (median of rounds; latency ms; server CPU µs per request)\n",
  );
  console.log(
    "| framework | bare req/s | bare p50/p99 | bare CPU/req | with us req/s | with us p50/p99 | with us CPU/req | req/s with us / bare | CPU-bound capacity with us / bare |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const r of results) {
    const lat = (samples: Sample[]) =>
      samples.length ? `${median(samples.map((s) => s.p50))}/${median(samples.map((s) => s.p99))}` : "-";
    const cpu = (samples: Sample[]) =>
      samples.length ? `${median(samples.map((s) => s.cpuUs)).toFixed(1)} µs` : "-";
    const rps = (samples: Sample[]) =>
      samples.length ? String(Math.round(median(samples.map((s) => s.rps)))) : "-";
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const bad = [...r.bare, ...r.answer, ...r.octo].reduce((n, s) => n + s.non2xx + s.errors, 0);
    const ratios = r.octo.length
      ? `${pct(pairedRatio(r, (s) => s.rps))} | ${pct(1 / pairedRatio(r, (s) => s.cpuUs))}`
      : "- | -";
    console.log(
      `| ${r.framework} | ${rps(r.bare)} | ${lat(r.bare)} | ${cpu(r.bare)} | ${rps(r.octo)} | ${lat(r.octo)} | ${cpu(r.octo)} | ${ratios}${bad ? ` (${bad} non-2xx/errors!)` : ""} |`,
    );
  }
}

/**
 * The experiment behind the accounting: the bare route answering with our body and two headers. What
 * that answer costs the framework is the framework's per-route cost of our answer, not ours.
 */
export function printAnswerExperiment(results: FrameworkResult[]): void {
  const measured = results.filter((r) => r.answer.length > 0 && r.octo.length > 0);
  if (measured.length === 0) return;
  const us = (samples: Sample[], value: (s: Sample) => number) => median(samples.map(value)).toFixed(1);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(
    "\n## The bare route answering as we do (server CPU µs per request, kernel part in brackets; medians)\n",
  );
  console.log(
    "| framework | bare | bare + our answer | with us | capacity with us / bare | with us / bare + our answer |",
  );
  console.log("|---|---|---|---|---|---|");
  for (const r of measured) {
    const cell = (samples: Sample[]) => `${us(samples, (s) => s.cpuUs)} (${us(samples, (s) => s.systemUs)})`;
    console.log(
      `| ${r.framework} | ${cell(r.bare)} | ${cell(r.answer)} | ${cell(r.octo)} | ${pct(1 / pairedRatio(r, (s) => s.cpuUs))} | ${pct(1 / pairedRatio(r, (s) => s.cpuUs, r.answer))} |`,
    );
  }
}
