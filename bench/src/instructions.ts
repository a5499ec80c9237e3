// The gap in instructions, not seconds: the bare and the with-us server of a framework run under
// `valgrind --tool=callgrind` (instrumentation off while they warm up), then count every instruction they
// execute over the same number of requests, in two windows each (their agreement shows the noise). JIT
// code is named through V8's `--perf-basic-prof` map. Instruction counts do not move with the VM's load,
// so the rows add up to the gap exactly; what they leave out is the kernel (system calls are not counted).
// `core` counts core's handle() against JSON.parse instead, in one process (bench/src/core-loop.ts).
// `tsx src/instructions.ts [fastify|hono|express|koa|node:http|core] [--warmup=N] [--requests=N] [--only=bare,octo]
// [--cache-sim] [--keep]`; `--cache-sim` also simulates the caches and branch predictor (misses per request).
// needs valgrind (`apt-get install valgrind`). See docs/benchmarks.md ("Instructions per request").
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Variant, variantsOf } from "./constants.ts";
import { CORE_TASKS, type CoreTask } from "./core-loop.ts";
import { sendDeliveries, startServer, stopServer } from "./frameworks.ts";
import { addTo, ownerOf, rows } from "./owners.ts";

const cacheSim = process.argv.includes("--cache-sim");
const WINDOWS = Number(/--windows=(\d+)/.exec(process.argv.join(" "))?.[1] ?? 3);

interface PerfSymbol {
  start: number;
  end: number;
  name: string;
}

/** V8's `/tmp/perf-<pid>.map`: one line per code object, `<start hex> <size hex> <name>`, oldest first. */
export function readPerfMap(text: string): PerfSymbol[] {
  const symbols: PerfSymbol[] = [];
  for (const line of text.split("\n")) {
    const match = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (!match) continue;
    const start = Number.parseInt(match[1] as string, 16);
    symbols.push({ start, end: start + Number.parseInt(match[2] as string, 16), name: match[3] as string });
  }
  return symbols;
}

/** The code object holding `address`: the newest one, since V8 may reuse the memory of discarded code. */
export function symbolAt(symbols: readonly PerfSymbol[], address: number): string | undefined {
  for (let i = symbols.length - 1; i >= 0; i--) {
    const symbol = symbols[i] as PerfSymbol;
    if (address >= symbol.start && address < symbol.end) return symbol.name;
  }
  return undefined;
}

/** `callgrind_annotate --inclusive=no` lines: instructions per function (self), with the object it is in. */
export function readAnnotation(text: string): { total: number; functions: Map<string, number> } {
  let total = 0;
  const functions = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^\s*([\d,]+) \([^)]*\)\s+(.*)$/.exec(line);
    if (!match) continue;
    const count = Number((match[1] as string).replaceAll(",", ""));
    const rest = match[2] as string;
    if (rest.startsWith("PROGRAM TOTALS")) {
      total = count;
      continue;
    }
    addTo(functions, rest, count);
  }
  return { total, functions };
}

/** A callgrind file's `events:` names and its `totals:` line (a dump's `summary:` says 0), paired. */
export function eventTotals(text: string): Map<string, number> {
  const names = /^events: (.*)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  const values = /^totals: (.*)$/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number) ?? [];
  return new Map(names.map((name, i) => [name, values[i] ?? 0]));
}

/** Who executed an instruction: a JS function (named by the perf map), or the engine, Node, libc. */
export function classify(entry: string, symbols: readonly PerfSymbol[]): { owner: string; name: string } {
  const object = /\s\[([^\]]*)\]$/.exec(entry)?.[1] ?? "";
  const located = entry.replace(/\s\[[^\]]*\]$/, "");
  const fn = located.slice(located.indexOf(":") + 1);
  const address = /^0x([0-9a-f]+)$/.exec(fn);
  if (address) {
    const symbol = symbolAt(symbols, Number.parseInt(address[1] as string, 16));
    if (symbol === undefined) return { owner: "JIT code, unnamed", name: fn };
    // `JS:*name url:line:column` (`*` optimised, `~` interpreted, `^` baseline) or `Builtin:Name`
    const js = /^JS:([*~^+]?)(\S*) (.*?)(?::\d+:\d+)?$/.exec(symbol);
    if (!js) return { owner: "V8: builtins and stubs", name: symbol };
    const url = js[3] as string;
    const name = `${js[2] || "(anonymous)"} ${url.split("/").slice(-2).join("/")}`;
    return { owner: ownerOf(js[2] as string, url), name };
  }
  if (object.includes("libc.so") || object.includes("ld-linux"))
    return { owner: "libc (memory, strings)", name: fn };
  if (fn.startsWith("Builtins_")) return { owner: "V8: builtins and stubs", name: fn };
  if (/JsonParser|JsonParse|JsonStringif/.test(fn)) return { owner: "V8: JSON", name: fn };
  if (/Heap|Scaveng|MarkCompact|Sweeper|Marking|Evacuat|GCTracer|SemiSpace|MemoryAllocator/.test(fn)) {
    return { owner: "V8: garbage collection", name: fn };
  }
  if (fn.startsWith("v8::internal::compiler::") || fn.startsWith("v8::internal::maglev::")) {
    return { owner: "V8: optimising compiler", name: fn };
  }
  if (fn.startsWith("v8::")) return { owner: "V8: runtime", name: fn };
  if (fn.startsWith("llhttp") || fn.startsWith("node::") || fn.startsWith("uv_") || fn.startsWith("uv__")) {
    return { owner: "Node.js C++ (llhttp, libuv, bindings)", name: fn };
  }
  return { owner: object ? `native: ${object.split("/").pop()}` : "native, unnamed", name: fn };
}

interface Counted {
  /** Instructions per request of the settling window (not in the tables). */
  settling?: number;
  windows: number[];
  /** With `--cache-sim`: every event callgrind counted (Ir, I1mr, D1mr, LLmr, Bcm...), per request. */
  events: Map<string, number>;
  perFunction: Map<string, number>;
  perOwner: Map<string, number>;
}

/** One dumped window into `counted`: the settling one (window 0) only as its total, per request or call. */
function addWindow(counted: Counted, file: string, settling: boolean, per: number, perfMap: string) {
  const annotation = readAnnotation(
    execFileSync("callgrind_annotate", ["--inclusive=no", "--show=Ir", "--threshold=100", file], {
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    }),
  );
  if (settling) {
    counted.settling = annotation.total / per;
    return;
  }
  if (cacheSim) {
    for (const [event, value] of eventTotals(readFileSync(file, "utf8"))) {
      addTo(counted.events, event, value / per / WINDOWS);
    }
  }
  counted.windows.push(annotation.total / per);
  const symbols = readPerfMap(readFileSync(perfMap, "utf8"));
  for (const [entry, count] of annotation.functions) {
    const { owner, name } = classify(entry, symbols);
    addTo(counted.perFunction, `${owner} | ${name}`, count / per / WINDOWS);
    addTo(counted.perOwner, owner, count / per / WINDOWS);
  }
}

/** Callgrind's options: V8 writes and rewrites machine code on the heap, which valgrind must notice. */
const callgrind = (out: string) => [
  "valgrind",
  "--tool=callgrind",
  "--smc-check=all-non-file",
  "--instr-atstart=no",
  ...(cacheSim ? ["--cache-sim=yes", "--branch-sim=yes"] : []),
  `--callgrind-out-file=${out}`,
  `--log-file=${out}.log`,
];
/** V8's perf map names JIT code; the V8 log it switches on goes to the temporary directory. */
const perfFlags = (out: string) => [
  "--perf-basic-prof",
  "--no-logfile-per-isolate",
  `--logfile=${out}.v8.log`,
];

/** One core task (bench/src/core-loop.ts) under callgrind: it counts and dumps its own windows. */
function countCore(task: CoreTask, warmup: number, calls: number, dir: string): Counted {
  const out = join(dir, `core-${task}.callgrind`);
  const loop = fileURLToPath(new URL("./core-loop.ts", import.meta.url));
  const [command, ...args] = callgrind(out);
  const child = spawnSync(
    command as string,
    [
      ...args,
      process.execPath,
      ...perfFlags(out),
      "--import",
      "tsx",
      loop,
      task,
      String(warmup),
      String(WINDOWS + 1),
      String(calls),
    ],
    { stdio: "inherit" },
  );
  if (child.status !== 0)
    throw new Error(`core ${task}: the loop under valgrind exited with ${child.status}`);
  const counted: Counted = { windows: [], events: new Map(), perFunction: new Map(), perOwner: new Map() };
  const perfMap = `/tmp/perf-${child.pid}.map`;
  try {
    for (let window = 0; window <= WINDOWS; window++)
      addWindow(counted, `${out}.${window + 1}`, window === 0, calls, perfMap);
  } finally {
    rmSync(perfMap, { force: true });
  }
  return counted;
}

/** One server under callgrind: warmed up uncounted, then counted over `requests` requests per window. */
async function countServer(
  framework: string,
  variant: Variant,
  warmup: number,
  requests: number,
  dir: string,
) {
  const label = `${framework} ${variant}`;
  const out = join(dir, `${framework.replace(":", "-")}-${variant}.callgrind`);
  const { port, child } = await startServer(framework, variant, {
    command: callgrind(out),
    nodeFlags: perfFlags(out),
  });
  const counted: Counted = { windows: [], events: new Map(), perFunction: new Map(), perOwner: new Map() };
  try {
    const check = async (amount: number) => {
      // under valgrind a request can take seconds (code is translated again when counting starts)
      const result = await sendDeliveries(port, { amount, timeout: 120 });
      if (result["2xx"] !== amount) throw new Error(`${label}: ${result["2xx"]} of ${amount} answered 2xx`);
    };
    await check(warmup);
    const control = (...args: string[]) =>
      execFileSync("callgrind_control", [...args, String(child.pid)], { stdio: "ignore" });
    // window 0 settles: the first counted requests still carry compile and GC work the switch to
    // counting sets off (seen in every run); it is printed, not added
    for (let window = 0; window <= WINDOWS; window++) {
      control("--instr=on");
      await check(requests);
      control("--instr=off");
      control("--dump");
      addWindow(counted, `${out}.${window + 1}`, window === 0, requests, `/tmp/perf-${child.pid}.map`);
    }
    return counted;
  } finally {
    await stopServer(child);
    rmSync(`/tmp/perf-${child.pid}.map`, { force: true });
  }
}

const k = (n: number) => (n / 1000).toFixed(2);
const signed = (n: number) => `${n >= 0 ? "+" : ""}${k(n)}`;
const LABELS: Record<Variant | CoreTask, string> = {
  bare: "bare",
  answer: "bare + our answer",
  octo: "with us",
  parse: "JSON.parse",
  handle: "handle()",
  auth: "handle() + Basic auth",
};

async function main() {
  const argv = process.argv.join(" ");
  const framework = process.argv[2] && !process.argv[2].startsWith("--") ? process.argv[2] : "fastify";
  const warmup = Number(/--warmup=(\d+)/.exec(argv)?.[1] ?? 30_000);
  // `core`: calls of core's handle() in one process, not requests to a server
  const core = framework === "core";
  const requests = Number(/--requests=(\d+)/.exec(argv)?.[1] ?? (core ? 10_000 : 3_000));
  try {
    execFileSync("valgrind", ["--version"], { stdio: "ignore" });
  } catch {
    console.error("valgrind is not installed (apt-get install valgrind): nothing measured");
    process.exit(1);
  }
  // `--only=octo` counts one server (while changing ours, the bare server's count does not move)
  const only = /--only=([a-z,]+)/.exec(argv)?.[1]?.split(",") as Variant[] | CoreTask[] | undefined;
  const variants: Array<Variant | CoreTask> = only ?? (core ? [...CORE_TASKS] : variantsOf(framework));
  const dir = mkdtempSync(join(tmpdir(), "octo-instructions-"));
  try {
    const counted: Counted[] = [];
    for (const variant of variants)
      counted.push(
        core
          ? countCore(variant as CoreTask, warmup, requests, dir)
          : await countServer(framework, variant as Variant, warmup, requests, dir),
      );
    const totals = counted.map((c) => [...c.perOwner.values()].reduce((s, v) => s + v, 0));
    console.log(
      `\n## ${framework}: instructions per ${core ? "call" : "request"} by owner (thousands; ${warmup} of warm-up, then a settling window and ${WINDOWS} counted windows of ${requests})\n`,
    );
    console.log(
      `windows (settling, then counted): ${variants.map((v, i) => `${LABELS[v]} (${k(counted[i]?.settling ?? 0)}) ${counted[i]?.windows.map(k).join(", ")}`).join("; ")}\n`,
    );
    const header = variants.map((v) => LABELS[v]).join(" | ");
    const ruler = variants.map(() => "---").join("|");
    const many = variants.length > 1;
    console.log(`| owner | ${header} |${many ? " difference |" : ""}`);
    console.log(`|---|${ruler}|${many ? "---|" : ""}`);
    for (const row of rows(counted.map((c) => c.perOwner))) {
      if (Math.max(...row.values) < 10) continue;
      console.log(
        `| ${row.key} | ${row.values.map(k).join(" | ")} |${many ? ` ${signed(row.delta)} |` : ""}`,
      );
    }
    // a major GC lands in one window or another: the median window is the steadier figure
    const medians = counted.map(
      (c) => [...c.windows].sort((a, b) => a - b)[Math.floor(c.windows.length / 2)] ?? 0,
    );
    const medianGap = (medians.at(-1) ?? 0) - (medians[0] ?? 0);
    const medianShare = many
      ? ` ${signed(medianGap)} (${(((medians[0] ?? 0) / (medians.at(-1) ?? 1)) * 100).toFixed(1)}%) |`
      : "";
    const gap = (totals.at(-1) ?? 0) - (totals[0] ?? 0);
    const share = many
      ? ` **${signed(gap)}** (${(((totals[0] ?? 0) / (totals.at(-1) ?? 1)) * 100).toFixed(1)}%) |`
      : "";
    console.log(`| **total** (mean of the windows) | ${totals.map(k).join(" | ")} |${share}`);
    console.log(`| median window | ${medians.map(k).join(" | ")} |${medianShare}`);
    if (cacheSim) {
      console.log(`\n## ${framework}: simulated cache and branch events per ${core ? "call" : "request"}\n`);
      console.log(`| event | ${header} |`);
      console.log(`|---|${ruler}|`);
      for (const event of counted[0]?.events.keys() ?? []) {
        console.log(
          `| ${event} | ${counted.map((c) => (c.events.get(event) ?? 0).toFixed(0)).join(" | ")} |`,
        );
      }
    }
    console.log(
      `\n## ${framework}: the functions that moved most (thousands of instructions per ${core ? "call" : "request"})\n`,
    );
    console.log(`| owner | function | ${header} |${many ? " difference |" : ""}`);
    console.log(`|---|---|${ruler}|${many ? "---|" : ""}`);
    for (const row of rows(counted.map((c) => c.perFunction)).slice(0, 40)) {
      const [owner, name] = row.key.split(" | ");
      const values = row.values.map(k).join(" | ");
      console.log(
        `| ${owner} | \`${name?.slice(0, 90)}\` | ${values} |${many ? ` ${signed(row.delta)} |` : ""}`,
      );
    }
  } finally {
    if (argv.includes("--keep")) console.log(`\ncallgrind files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
