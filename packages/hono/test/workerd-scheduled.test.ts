// The Cron Trigger helper inside workerd (miniflare): `reconcileOnSchedule` runs the client's reconciler
// under `ctx.waitUntil` against a real local supplier (node:http); a booking cancelled at the supplier
// while nothing was delivered reaches `booking.cancelled` once, at the next scheduled event.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { closeServer, listen } from "@octo-webhooks/test-helpers";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const KEY = "sk_workerd_41c2";
const today = new Date().toISOString().slice(0, 10);
/** What the supplier holds: GET /bookings?localDateStart=&localDateEnd= lists it. */
const bookings = new Map<string, Record<string, unknown>>([
  ["b-1", { uuid: "b-1", status: "CONFIRMED", utcUpdatedAt: "2026-03-01T10:00:00Z" }],
  ["b-2", { uuid: "b-2", status: "CONFIRMED", utcUpdatedAt: "2026-03-01T10:00:00Z" }],
]);
const requests: string[] = [];
/** Slow answers: a scheduled event that ended before its run would show no summary yet. */
const supplier = createServer((req, res) => void setTimeout(() => answer(req, res), 150));
function answer(req: IncomingMessage, res: ServerResponse) {
  requests.push(req.url ?? "");
  const url = new URL(req.url ?? "/", "http://supplier.test");
  res.setHeader("content-type", "application/json");
  if (req.headers.authorization !== `Bearer ${KEY}`) return void res.writeHead(401).end("{}");
  if (url.pathname === "/octo/bookings" && url.searchParams.get("localDateStart") === today) {
    return void res.end(JSON.stringify([...bookings.values()]));
  }
  if (url.pathname === "/octo/bookings") return void res.end("[]");
  res.writeHead(404).end(JSON.stringify({ error: "NOT_FOUND", errorMessage: url.pathname }));
}

let mf: Miniflare;
const bundleWorker = () =>
  build({
    entryPoints: [new URL("./workerd/scheduled-worker.ts", import.meta.url).pathname],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["@octo-webhooks/source", "workerd", "worker", "browser", "import"],
    mainFields: ["module", "main"],
    logLevel: "silent",
    // the client validates webhooks with core's zod schemas (see workerd-both-ways.test.ts)
    plugins: [
      {
        name: "full-core",
        setup(build) {
          build.onResolve({ filter: /^@octo-webhooks\/core$/ }, () => ({
            path: new URL("../../core/src/index.ts", import.meta.url).pathname,
          }));
        },
      },
    ],
  });

beforeAll(async () => {
  const port = await listen(supplier);
  const bundle = await bundleWorker();
  mf = new Miniflare({
    workers: [
      {
        name: "reconciling",
        modules: true,
        script: bundle.outputFiles[0]!.text,
        compatibilityDate: "2026-04-01",
        bindings: { OCTO_BASE_URL: `http://127.0.0.1:${port}/octo`, OCTO_API_KEY: KEY },
        unsafeTriggerHandlers: true,
      },
      {
        name: "failing",
        modules: true,
        script: bundle.outputFiles[0]!.text,
        compatibilityDate: "2026-04-01",
        bindings: { OCTO_BASE_URL: `http://127.0.0.1:${port}/octo`, OCTO_API_KEY: KEY, FAIL_MAKE: "1" },
        unsafeTriggerHandlers: true,
      },
    ],
  });
  await mf.ready;
});
afterAll(async () => {
  await mf?.dispose();
  await closeServer(supplier);
});

/** One Cron Trigger event, as Workers send it (wrangler dev: /cdn-cgi/handler/scheduled). */
const trigger = async (worker = "reconciling") => {
  const fetcher = (await mf.getWorker(worker)) as unknown as {
    scheduled(options: { cron: string; scheduledTime: Date }): Promise<{ outcome: string }>;
  };
  return fetcher.scheduled({ cron: "*/15 * * * *", scheduledTime: new Date() });
};
const json = async (path: string) => (await mf.dispatchFetch(`http://worker.test${path}`)).json();

describe("reconcileOnSchedule inside workerd", () => {
  it("each scheduled event runs the reconciler to its end under waitUntil; a cancellation reaches the handlers once", async () => {
    expect(await trigger()).toMatchObject({ outcome: "ok" });
    // the run was over when the event ended: waitUntil kept the Worker alive for it
    expect(await json("/summaries")).toEqual([
      { checked: 2, changed: 2, unchanged: 0, reads: 2, complete: true },
    ]);
    expect(await json("/calls")).toEqual([
      "update b-1 CONFIRMED reconciliation",
      "update b-2 CONFIRMED reconciliation",
    ]);
    expect(requests).toEqual([
      `/octo/bookings?localDateStart=${today}&localDateEnd=${new Date(Date.parse(today) + 2 * 86_400_000).toISOString().slice(0, 10)}`,
      expect.stringMatching(/^\/octo\/bookings\?localDateStart=/),
    ]);

    bookings.set("b-2", { uuid: "b-2", status: "CANCELLED", utcUpdatedAt: "2026-03-01T11:00:00Z" });
    await trigger();
    await trigger();
    expect(await json("/summaries")).toMatchObject([
      { changed: 2 },
      { checked: 2, changed: 1, unchanged: 1 },
      { checked: 2, changed: 0, unchanged: 2 },
    ]);
    const calls = (await json("/calls")) as string[];
    expect(calls.filter((c) => c.startsWith("cancelled"))).toEqual(["cancelled b-2 reconciliation"]);
  });

  it("a factory that throws fails the scheduled event", async () => {
    expect(await trigger("failing")).toMatchObject({ outcome: "exception" });
  });
});
