// What `telemetry` costs on handle(): without the option (nothing loaded: the same code path as when
// `@opentelemetry/api` is not installed), `openTelemetry()` with no SDK registered (the API's no-ops),
// and `openTelemetry()` recording to the SDK (spans to a processor that drops them, metrics kept).
import { createOctoWebhooks } from "@octo-webhooks/core";
import { openTelemetry } from "@octo-webhooks/core/otel";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, NoopSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Bench } from "tinybench";
import { seedBooking } from "./bodies.ts";

export interface TelemetryResult {
  variant: string;
  opsPerSecond: number;
  /** Against "absent" within the same round (median over rounds). */
  ratio: number;
}

/** A reader collected only on demand: the SDK aggregates every measurement as it would in production. */
class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const VARIANTS = [
  "absent (no telemetry option)",
  "openTelemetry(), no SDK registered",
  "openTelemetry(), SDK on",
];

async function round(time: number): Promise<number[]> {
  const body = seedBooking();
  const onBookingUpdate = () => {};
  const sdk = {
    tracerProvider: new BasicTracerProvider({ spanProcessors: [new NoopSpanProcessor()] }),
    meterProvider: new MeterProvider({ readers: [new OnDemandReader()] }),
  };
  const receivers = [
    createOctoWebhooks({ auth: "none", logger: {}, onBookingUpdate }),
    createOctoWebhooks({ auth: "none", logger: {}, onBookingUpdate, telemetry: openTelemetry() }),
    createOctoWebhooks({ auth: "none", logger: {}, onBookingUpdate, telemetry: openTelemetry(sdk) }),
  ];
  const headers = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body.text)),
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
  };
  let sink: unknown;
  const bench = new Bench({ time, warmupTime: Math.min(time, 300) });
  VARIANTS.forEach((name, i) => {
    const webhooks = receivers[i] as (typeof receivers)[number];
    bench.add(name, async () => {
      sink = await webhooks.handle({ method: "POST", headers, body: body.text });
    });
  });
  await bench.run();
  void sink;
  return VARIANTS.map((name) => {
    const result = bench.getTask(name)?.result;
    return 1000 / (result && "latency" in result ? result.latency.mean : Number.NaN);
  });
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] as number;

/** Rounds of the three variants on the seed booking, medians of ops/s and of the per-round ratios. */
export async function benchTelemetry(quick: boolean): Promise<TelemetryResult[]> {
  const [rounds, time] = quick ? [1, 200] : [7, 700];
  const results: number[][] = [];
  for (let i = 0; i < rounds; i++) results.push(await round(time));
  return VARIANTS.map((variant, i) => ({
    variant,
    opsPerSecond: median(results.map((r) => r[i] as number)),
    ratio: median(results.map((r) => (r[i] as number) / (r[0] as number))),
  }));
}

export function printTelemetry(results: TelemetryResult[]): void {
  console.log("\n## handle() with telemetry (seed booking, ops/s, one core; medians of rounds)\n");
  console.log("| variant | handle() | vs absent |");
  console.log("|---|---|---|");
  for (const r of results) {
    console.log(`| ${r.variant} | ${(r.opsPerSecond / 1000).toFixed(1)}k | ${(r.ratio * 100).toFixed(0)}% |`);
  }
}
