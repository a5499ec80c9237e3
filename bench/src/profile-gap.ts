// Where the with-us server's extra CPU per request goes: the bare and the with-us server of a framework
// are warmed up, then profiled (the V8 profiler, started and stopped over IPC) over the same number of
// requests, in rounds alternating which goes first, and compared per function by self time.
// `tsx src/profile-gap.ts [fastify|hono|express|koa] [--requests=N] [--rounds=N] [--save]` prints a table
// whose rows add up to the measured gap (µs per request), grouped by who owns the code, then the functions
// that moved most; `--save` also writes the profiles (<framework>-<bare|octo>.cpuprofile). See
// docs/benchmarks.md ("Accounting for the gap").
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { ask, sendDeliveries, startServer, stopServer } from "./frameworks.ts";
import { addTo, ownerOf, rows } from "./owners.ts";

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function and per owner (µs, summed over the profile). */
export function selfTimes(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const perFunction = new Map<string, number>();
  const perOwner = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const delta = profile.timeDeltas[i + 1] ?? 0;
    if (node === undefined || node.callFrame.functionName === "(idle)") return;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${lineNumber + 1}`;
    const owner = ownerOf(functionName, url);
    addTo(perFunction, `${owner} | ${name}`, delta);
    addTo(perOwner, owner, delta);
  });
  return { perFunction, perOwner };
}

/** One server under a warm-up, then profiled (100 µs sampling) over exactly `requests` requests. */
async function profileServer(framework: string, variant: "bare" | "octo", requests: number) {
  const { port, child } = await startServer(framework, variant);
  try {
    await sendDeliveries(port, { amount: Math.min(requests, 20_000) });
    await ask(child, "profile-start");
    const result = await sendDeliveries(port, { amount: requests });
    const profile = JSON.parse((await ask(child, "profile-stop")) as string) as CpuProfile;
    if (result["2xx"] !== requests) {
      throw new Error(`${framework} ${variant}: ${result["2xx"]} of ${requests} answered 2xx`);
    }
    // `--save`: the profiles themselves, to open in Chrome DevTools or speedscope
    if (process.argv.includes("--save")) {
      writeFileSync(`${framework}-${variant}.cpuprofile`, JSON.stringify(profile));
    }
    return selfTimes(profile);
  } finally {
    await stopServer(child);
  }
}

async function main() {
  const framework = process.argv[2] ?? "fastify";
  const requests = Number(/--requests=(\d+)/.exec(process.argv.join(" "))?.[1] ?? 100_000);
  try {
    execFileSync("taskset", ["-p", "-c", "1", String(process.pid)], { stdio: "ignore" });
  } catch {
    // not Linux: run unpinned
  }
  // rounds alternating which variant goes first; the times of every round are summed
  const rounds = Number(/--rounds=(\d+)/.exec(process.argv.join(" "))?.[1] ?? 3);
  const bare = { perFunction: new Map<string, number>(), perOwner: new Map<string, number>() };
  const octo = { perFunction: new Map<string, number>(), perOwner: new Map<string, number>() };
  const add = (into: Map<string, number>, from: Map<string, number>) => {
    for (const [key, us] of from) addTo(into, key, us);
  };
  for (let round = 0; round < rounds; round++) {
    const order: Array<"bare" | "octo"> = round % 2 === 0 ? ["bare", "octo"] : ["octo", "bare"];
    for (const variant of order) {
      const times = await profileServer(framework, variant, requests);
      const into = variant === "bare" ? bare : octo;
      add(into.perFunction, times.perFunction);
      add(into.perOwner, times.perOwner);
    }
  }
  const perRequest = (us: number) => us / (requests * rounds);
  const diff = (a: Map<string, number>, b: Map<string, number>) =>
    rows([a, b]).map(({ key, values: [bareUs = 0, octoUs = 0], delta }) => ({
      key,
      bare: perRequest(bareUs),
      octo: perRequest(octoUs),
      delta: perRequest(delta),
    }));
  const sum = (m: Map<string, number>) => perRequest([...m.values()].reduce((s, v) => s + v, 0));
  console.log(
    `\n## ${framework}: CPU per request by owner (${rounds} rounds of ${requests} requests each, µs, self time)\n`,
  );
  console.log("| owner | bare | with us | difference |");
  console.log("|---|---|---|---|");
  for (const row of diff(bare.perOwner, octo.perOwner)) {
    if (Math.abs(row.delta) < 0.05) continue;
    console.log(
      `| ${row.key} | ${row.bare.toFixed(2)} | ${row.octo.toFixed(2)} | ${row.delta >= 0 ? "+" : ""}${row.delta.toFixed(2)} |`,
    );
  }
  const total = sum(octo.perOwner) - sum(bare.perOwner);
  console.log(
    `| **total** | ${sum(bare.perOwner).toFixed(2)} | ${sum(octo.perOwner).toFixed(2)} | **${total >= 0 ? "+" : ""}${total.toFixed(2)}** |`,
  );
  console.log(`\n## ${framework}: the functions that moved most (µs per request)\n`);
  console.log("| function | bare | with us | difference |");
  console.log("|---|---|---|---|");
  for (const row of diff(bare.perFunction, octo.perFunction).slice(0, 25)) {
    console.log(
      `| ${row.key} | ${row.bare.toFixed(2)} | ${row.octo.toFixed(2)} | ${row.delta >= 0 ? "+" : ""}${row.delta.toFixed(2)} |`,
    );
  }
}

await main();
