// Core micro-benchmark: what does `handle()` cost on top of parsing the JSON it receives?
import { createOctoWebhooks } from "@octo-webhooks/core";
import { strictSchemas } from "@octo-webhooks/core/schemas";
import { Bench } from "tinybench";
import { type BenchBody, largestRealBooking, seedBooking } from "./bodies.ts";
import { PASS, USER } from "./constants.ts";

/**
 * The `handle()` calls both core benchmarks make (this one in time, core-loop.ts in instructions): without
 * auth, and with Basic auth, on `text` with the headers a sender gives it.
 */
export function coreCalls(text: string) {
  const plain = createOctoWebhooks({ auth: "none", onBookingUpdate: () => {} });
  const withAuth = createOctoWebhooks({
    auth: { basic: { username: USER, password: PASS } },
    onBookingUpdate: () => {},
  });
  const headers = { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) };
  // as Node's HTTP parser hands it over: a flat string, not a concatenation
  const authorization = Buffer.from(`Basic ${btoa(`${USER}:${PASS}`)}`, "latin1").toString("latin1");
  const authHeaders = { ...headers, authorization };
  return {
    handle: () => plain.handle({ method: "POST", headers, body: text }),
    handleAuth: () => withAuth.handle({ method: "POST", headers: authHeaders, body: text }),
  };
}

export interface CoreResult {
  body: string;
  jsonParse: number;
  handle: number;
  handleAuth: number;
  strictParse: number;
  /** handle() over JSON.parse within one round (the median of these is what the table shows). */
  handleRatio: number;
  handleAuthRatio: number;
}

const opsPerSecond = (bench: Bench, name: string) => {
  const task = bench.getTask(name);
  const latency = task?.result && "latency" in task.result ? task.result.latency.mean : Number.NaN;
  return 1000 / latency;
};

async function measure(body: BenchBody, time: number): Promise<CoreResult> {
  const calls = coreCalls(body.text);
  let sink: unknown;

  const bench = new Bench({ time, warmupTime: Math.min(time, 300) });
  bench
    .add("JSON.parse", () => {
      sink = JSON.parse(body.text);
    })
    .add("handle()", async () => {
      sink = await calls.handle();
    })
    .add("handle() + basic auth", async () => {
      sink = await calls.handleAuth();
    })
    .add("JSON.parse + strict zod", () => {
      sink = strictSchemas.BookingUpdate.safeParse(JSON.parse(body.text));
    });
  await bench.run();
  void sink;
  const jsonParse = opsPerSecond(bench, "JSON.parse");
  const handle = opsPerSecond(bench, "handle()");
  const handleAuth = opsPerSecond(bench, "handle() + basic auth");
  return {
    body: body.name,
    jsonParse,
    handle,
    handleAuth,
    strictParse: opsPerSecond(bench, "JSON.parse + strict zod"),
    handleRatio: handle / jsonParse,
    handleAuthRatio: handleAuth / jsonParse,
  };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] as number;

/**
 * Several short rounds per body, each a fresh tinybench run of the four tasks, and the median of each
 * figure: on a shared VM one long run gives whichever task ran during a slow spell a wrong number
 * (JSON.parse alone once measured slower than handle(), which calls it).
 */
async function measureRounds(body: BenchBody, rounds: number, time: number): Promise<CoreResult> {
  const results: CoreResult[] = [];
  for (let round = 0; round < rounds; round++) results.push(await measure(body, time));
  const pick = (key: Exclude<keyof CoreResult, "body">) => median(results.map((r) => r[key]));
  return {
    body: body.name,
    jsonParse: pick("jsonParse"),
    handle: pick("handle"),
    handleAuth: pick("handleAuth"),
    strictParse: pick("strictParse"),
    handleRatio: pick("handleRatio"),
    handleAuthRatio: pick("handleAuthRatio"),
  };
}

export async function benchCore(quick: boolean): Promise<CoreResult[]> {
  const [rounds, time] = quick ? [1, 200] : [7, 700];
  return [
    await measureRounds(seedBooking(), rounds, time),
    await measureRounds(largestRealBooking(), rounds, time),
  ];
}

export function printCore(results: CoreResult[]): void {
  const k = (n: number) => `${(n / 1000).toFixed(1)}k`;
  console.log(
    "\n## core handle() vs JSON.parse (ops/s, one core; medians of rounds, ratios paired per round)\n",
  );
  console.log("| body | JSON.parse | handle() | ratio | handle()+auth | ratio | JSON.parse+strict zod |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of results) {
    console.log(
      `| ${r.body} | ${k(r.jsonParse)} | ${k(r.handle)} | ${(r.handleRatio * 100).toFixed(0)}% | ${k(r.handleAuth)} | ${(r.handleAuthRatio * 100).toFixed(0)}% | ${k(r.strictParse)} |`,
    );
  }
}
