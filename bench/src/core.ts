// Core micro-benchmark: what does `handle()` cost on top of parsing the JSON it receives?
import { createOctoWebhooks, strictSchemas } from "@octo-webhooks/core";
import { Bench } from "tinybench";
import { type BenchBody, largestRealBooking, seedBooking } from "./bodies.ts";

export interface CoreResult {
  body: string;
  jsonParse: number;
  handle: number;
  handleAuth: number;
  strictParse: number;
}

const opsPerSecond = (bench: Bench, name: string) => {
  const task = bench.getTask(name);
  const latency = task?.result && "latency" in task.result ? task.result.latency.mean : Number.NaN;
  return 1000 / latency;
};

async function measure(body: BenchBody, time: number): Promise<CoreResult> {
  const webhooks = createOctoWebhooks({ onBookingUpdate: () => {} });
  const withAuth = createOctoWebhooks({
    auth: { basic: { username: "octo", password: "bench-password-0123456789" } },
    onBookingUpdate: () => {},
  });
  const headers = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body.text)),
  };
  const authHeaders = { ...headers, authorization: `Basic ${btoa("octo:bench-password-0123456789")}` };
  let sink: unknown;

  const bench = new Bench({ time, warmupTime: Math.min(time, 300) });
  bench
    .add("JSON.parse", () => {
      sink = JSON.parse(body.text);
    })
    .add("handle()", async () => {
      sink = await webhooks.handle({ method: "POST", headers, body: body.text });
    })
    .add("handle() + basic auth", async () => {
      sink = await withAuth.handle({ method: "POST", headers: authHeaders, body: body.text });
    })
    .add("JSON.parse + strict zod", () => {
      sink = strictSchemas.BookingUpdate.safeParse(JSON.parse(body.text));
    });
  await bench.run();
  void sink;
  return {
    body: body.name,
    jsonParse: opsPerSecond(bench, "JSON.parse"),
    handle: opsPerSecond(bench, "handle()"),
    handleAuth: opsPerSecond(bench, "handle() + basic auth"),
    strictParse: opsPerSecond(bench, "JSON.parse + strict zod"),
  };
}

export async function benchCore(quick: boolean): Promise<CoreResult[]> {
  const time = quick ? 200 : 2000;
  return [await measure(seedBooking(), time), await measure(largestRealBooking(), time)];
}

export function printCore(results: CoreResult[]): void {
  const k = (n: number) => `${(n / 1000).toFixed(1)}k`;
  console.log("\n## core handle() vs JSON.parse (ops/s, one core)\n");
  console.log("| body | JSON.parse | handle() | ratio | handle()+auth | ratio | JSON.parse+strict zod |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of results) {
    console.log(
      `| ${r.body} | ${k(r.jsonParse)} | ${k(r.handle)} | ${((r.handle / r.jsonParse) * 100).toFixed(0)}% | ${k(r.handleAuth)} | ${((r.handleAuth / r.jsonParse) * 100).toFixed(0)}% | ${k(r.strictParse)} |`,
    );
  }
}
