// `pnpm soak` (10 minutes; `--quick`: 60 s, what CI runs after the tests): steady deliveries to one
// receiver process per adapter (node:http, Express, Fastify, Hono, Koa) with `dedupe` on a Redis store, a
// mix of valid (60%), duplicate (20%), malformed (10%) and oversize (10%) bodies. Each process samples its
// RSS, event-loop delay (p99) and handle count every 10 s. Fails when an answer is not the expected one,
// or when RSS or handles grow between the end of the warm-up and the end of the run.
import { randomBytes, randomUUID } from "node:crypto";
import { localRedis } from "@octo-webhooks/test-helpers/redis";
import { bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import { bundleApp } from "./bundle.ts";
import { type Managed, portOf, startApp } from "./harness.ts";
import type { Sample } from "./sample.ts";
import { ADAPTERS } from "./servers.ts";

const quick = process.argv.includes("--quick");
const DURATION_MS = quick ? 60_000 : 600_000;
const WARM_UP_MS = quick ? 30_000 : 120_000; // compared: the sample at its end against the last one
const SAMPLE_MS = 10_000;
const SENDERS = 4; // per adapter, each pausing PAUSE_MS between deliveries
const PAUSE_MS = 50;
const MAX_BODY_BYTES = 64 * 1024;
/**
 * RSS may move this much (the allocator keeps freed pages a while, GC timing) and still count as flat; a
 * minute is too short for RSS to settle, so the quick run only reports it and gates on the heap (array
 * buffers included) and handles.
 */
const RSS_SLACK = (mb: number) => (quick ? Math.max(20, mb * 0.25) : Math.max(10, mb * 0.1));
/**
 * The heap in use after a collection may move this much and still count as flat. It moves in steps that
 * come and go (a 10-minute run on 2026-12-02: Fastify 19.7 -> 17.2 -> 19.4 MB, Express +1.8 MB, then flat;
 * CI's quick runs twice saw the node:http process at 13.1 -> 16.2 MB for the last 20 s of its minute), which
 * a minute cannot tell from a leak: the quick run allows 5 MB over its 30 s (still a leak of about 3 KB a
 * delivery at its rate), the 10-minute run 3 MB over 8 minutes (about 100 bytes a delivery).
 */
const HEAP_SLACK_MB = quick ? 5 : 3;
/** Handles include the sockets of deliveries in flight at the sample: up to one per sender. */
const HANDLE_SLACK = SENDERS + 1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const kinds = [
  "valid",
  "valid",
  "valid",
  "valid",
  "valid",
  "valid",
  "duplicate",
  "duplicate",
  "malformed",
  "oversize",
] as const;
const expected = { valid: 200, duplicate: 200, malformed: 400, oversize: 413 } as const;

async function main() {
  console.log(`# soak: ${DURATION_MS / 1000} s per adapter, all at once${quick ? " (quick)" : ""}`);
  await bundleApp();
  const redis = await localRedis();
  const apps: Array<{ adapter: string; app: Managed; port: number }> = [];
  let failed = false;
  try {
    for (const adapter of ADAPTERS) {
      const app = await startApp({
        role: "receiver",
        adapter,
        mode: "default",
        redisUrl: redis.url,
        effectsUrl: redis.url,
        prefix: `soak-${randomBytes(4).toString("hex")}`,
        handlerMs: 1,
        dedupe: true,
        maxBodyBytes: MAX_BODY_BYTES,
        sampleMs: SAMPLE_MS,
      });
      apps.push({ adapter, app, port: portOf(app) });
    }
    const started = Date.now();
    const unexpected: string[] = [];
    let sent = 0;
    const oversize = JSON.stringify({ ...bookingUpdate({ seed: 0 }), padding: "x".repeat(MAX_BODY_BYTES) });
    const load = async (adapter: string, port: number) => {
      const url = `http://127.0.0.1:${port}/webhooks/octo`;
      const valid: unknown[] = [];
      for (let i = 0; Date.now() - started < DURATION_MS; i++) {
        const kind = kinds[(i * 7) % kinds.length] ?? "valid";
        let body: unknown;
        if (kind === "valid" || valid.length === 0) {
          body = bookingUpdate({ seed: i, booking: { uuid: randomUUID() } });
          valid.push(body);
          if (valid.length > 100) valid.shift();
        } else if (kind === "duplicate") body = valid[i % valid.length];
        else if (kind === "malformed") body = '{"bookingId": "not closed';
        else body = oversize;
        const answer = await sendWebhook(url, body, { username: "octo", password: "faults-password" });
        sent++;
        const want = kind === "duplicate" && valid.length === 0 ? 200 : expected[kind];
        if (answer.status !== want && unexpected.length < 20) {
          unexpected.push(`${adapter} ${kind}: ${answer.status} (expected ${want})`);
        }
        await sleep(PAUSE_MS);
      }
    };
    await Promise.all(
      apps.flatMap(({ adapter, port }) => Array.from({ length: SENDERS }, () => load(adapter, port))),
    );
    await sleep(SAMPLE_MS / 2); // the last sample
    console.log(`${sent} deliveries in ${Math.round((Date.now() - started) / 1000)} s`);
    if (unexpected.length > 0) {
      failed = true;
      console.log(`unexpected answers:\n  ${unexpected.join("\n  ")}`);
    }
    const atWarmUp = Math.floor(WARM_UP_MS / SAMPLE_MS) - 1; // index of the sample ending the warm-up
    console.log(
      "| adapter | RSS MB after warm-up → end | heap + array buffers MB after warm-up → end (the lower of the last two samples) | loop p99 ms (max after warm-up) | handles after warm-up → end |",
    );
    console.log("|---|---|---|---|---|");
    for (const { adapter, app } of apps) {
      const samples = app.lines
        .filter((line) => line.startsWith("SAMPLE "))
        .map((line) => JSON.parse(line.slice(7)) as Sample);
      const warm = samples[atWarmUp];
      const end = samples.at(-1);
      if (warm === undefined || end === undefined || samples.length <= atWarmUp + 2) {
        failed = true;
        console.log(`| ${adapter} | too few samples (${samples.length}) | | |`);
        continue;
      }
      const loopMax = Math.max(...samples.slice(atWarmUp).map((s) => s.loopP99Ms));
      const rssGrew = end.rssMb - warm.rssMb > RSS_SLACK(warm.rssMb);
      // a minute does not settle RSS (the allocator keeps freed pages): the quick run reports it and
      // gates on the heap and array buffers JS holds, and the handles.
      // The heap (array buffers included) of the last two samples, the lower: a leak holds both up, while
      // a body still arriving (the oversize ones are 64 KB over the limit) or buffers whose release the
      // collector left to its background sweeper lift one
      const endHeapMb = Math.min(...samples.slice(-2).map((s) => s.heapMb));
      const grew =
        (!quick && rssGrew) ||
        endHeapMb - warm.heapMb > HEAP_SLACK_MB ||
        end.handles > warm.handles + HANDLE_SLACK;
      if (grew) failed = true;
      const mark = grew ? " GREW" : rssGrew ? " (RSS not settled: reported, not gated, in a quick run)" : "";
      console.log(
        `| ${adapter} | ${warm.rssMb} → ${end.rssMb} | ${warm.heapMb} → ${endHeapMb}${endHeapMb === end.heapMb ? "" : ` (last sample ${end.heapMb})`} | ${loopMax} | ${warm.handles} → ${end.handles}${mark} |`,
      );
    }
  } finally {
    await Promise.all(apps.map(({ app }) => app.kill("SIGKILL")));
    await redis.stop();
  }
  console.log(failed ? "soak: FAILED" : "soak: flat");
  process.exit(failed ? 1 : 0);
}

await main();
