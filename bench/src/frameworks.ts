// Throughput of each framework bare vs with octoWebhooks: each server its own process pinned to CPU 0,
// the load (autocannon) in this process pinned to CPU 1, rounds alternating A/B.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import autocannon from "autocannon";
import { seedBooking } from "./bodies.ts";
import { FRAMEWORKS, PASS, PATH, USER } from "./constants.ts";

export interface Sample {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export interface FrameworkResult {
  framework: string;
  bare: Sample[];
  octo: Sample[];
}

const serverScript = new URL("./server.ts", import.meta.url).pathname;

export async function startServer(
  framework: string,
  variant: "bare" | "octo",
): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(
    "taskset",
    [
      "-c",
      "0",
      process.execPath,
      "--conditions=@octo-webhooks/source",
      "--import",
      "tsx",
      serverScript,
      framework,
      variant,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
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

async function load(port: number, seconds: number): Promise<Sample> {
  const body = seedBooking().text;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${PATH}`,
    method: "POST",
    connections: 50,
    duration: seconds,
    headers: {
      "content-type": "application/json",
      authorization: `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}`,
    },
    body,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export async function benchFrameworks(options: { quick: boolean; frameworks?: string[]; octo: Set<string> }) {
  try {
    execFileSync("taskset", ["-p", "-c", "1", String(process.pid)], { stdio: "ignore" });
  } catch {
    // not Linux: run unpinned
  }
  const rounds = options.quick ? 1 : 3;
  const seconds = options.quick ? 1 : 5;
  const results: FrameworkResult[] = [];
  for (const framework of options.frameworks ?? FRAMEWORKS) {
    const result: FrameworkResult = { framework, bare: [], octo: [] };
    const variants: Array<"bare" | "octo"> = options.octo.has(framework) ? ["bare", "octo"] : ["bare"];
    for (let round = 0; round < rounds; round++) {
      // alternate which variant goes first so that drift (thermal, page cache) hits both alike
      for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
        const { port, child } = await startServer(framework, variant);
        try {
          await load(port, Math.min(1, seconds)); // warm-up
          result[variant].push(await load(port, seconds));
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

export function printFrameworks(results: FrameworkResult[]): void {
  console.log("\n## Frameworks: bare route vs octoWebhooks (req/s, median of rounds; latency ms)\n");
  console.log("| framework | bare req/s | bare p50/p99 | with us req/s | with us p50/p99 | with us / bare |");
  console.log("|---|---|---|---|---|---|");
  for (const r of results) {
    const b = median(r.bare.map((s) => s.rps));
    const o = median(r.octo.map((s) => s.rps));
    const lat = (samples: Sample[]) =>
      samples.length ? `${median(samples.map((s) => s.p50))}/${median(samples.map((s) => s.p99))}` : "-";
    const bad = [...r.bare, ...r.octo].reduce((n, s) => n + s.non2xx + s.errors, 0);
    console.log(
      `| ${r.framework} | ${Math.round(b)} | ${lat(r.bare)} | ${r.octo.length ? Math.round(o) : "-"} | ${lat(r.octo)} | ${r.octo.length ? `${((o / b) * 100).toFixed(1)}%` : "-"}${bad ? ` (${bad} non-2xx/errors!)` : ""} |`,
    );
  }
}
