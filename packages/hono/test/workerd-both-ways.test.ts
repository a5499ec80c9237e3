// Done-when of OCTO notifications inside workerd: the mock supplier delivers a booking's life to a Worker
// as webhooks, then as notifications the Worker hydrates with `client.hydrator()` (the client runs in
// workerd too, against the supplier's read API); the same handlers see the same calls.
import { createServer } from "node:http";
import { createOctoClient } from "@octo-webhooks/client";
import { closeServer, listen } from "@octo-webhooks/test-helpers";
import { type MockSupplier, startMockSupplier } from "@octo-webhooks/testing";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, expect, it } from "vitest";

let mf: Miniflare;
let supplier: MockSupplier;
let bridge: ReturnType<typeof createServer>;
let origin: string;

beforeAll(async () => {
  supplier = await startMockSupplier({ seed: "workerd-both-ways", retrySchedule: [5, 10, 20] });
  const bundle = await build({
    entryPoints: [new URL("./workerd/both-ways-worker.ts", import.meta.url).pathname],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["@octo-webhooks/source", "workerd", "worker", "browser", "import"],
    mainFields: ["module", "main"],
    logLevel: "silent",
    // the client validates webhooks with core's zod schemas, which core's edge entry leaves out: a Worker
    // that uses the client bundles core's full entry (zod included)
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
  mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]!.text,
    compatibilityDate: "2026-04-01",
    bindings: { OCTO_BASE_URL: supplier.url, OCTO_API_KEY: supplier.apiKey },
  });
  await mf.ready;
  // the mock supplier POSTs over HTTP: a local server hands each delivery to the Worker
  bridge = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const answer = await mf.dispatchFetch(`http://worker.test${req.url}`, {
        method: "POST",
        headers: { "content-type": String(req.headers["content-type"]) },
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
    });
  });
  origin = `http://127.0.0.1:${await listen(bridge)}`;
}, 60_000);
afterAll(async () => {
  await mf?.dispose();
  if (bridge) await closeServer(bridge);
  await supplier?.close();
});

it("one handler set in workerd sees a booking's life the same as webhooks and as hydrated notifications", async () => {
  const client = createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey });
  const webhook = await client.webhooks.create({ event: "booking_update", url: `${origin}/webhooks/octo` });
  const byWebhooks = await supplier.simulate.bookingLifecycle();
  await client.webhooks.delete(webhook.id);
  await client.notifications.create({
    url: `${origin}/notifications/octo`,
    notificationTypes: ["BOOKING_UPDATE"],
  });
  // the same booking's life again, now as notifications (the booking is read back at each step)
  const byNotifications = await supplier.simulate.bookingLifecycle({ seed: "workerd-both-ways:1" });
  for (const deliveries of [byWebhooks, byNotifications]) {
    expect(deliveries.map((d) => [d.state, d.attempts.at(-1)?.status])).toEqual(
      Array(4).fill(["delivered", 200]),
    );
  }
  expect(byNotifications.map((d) => d.body.type)).toEqual(Array(4).fill("BOOKING_UPDATE"));
  const calls = (await (await mf.dispatchFetch("http://worker.test/calls")).json()) as Record<
    string,
    string[]
  >;
  expect(
    calls.webhooks?.map((c) =>
      c
        .split(" ")
        .slice(0, 3)
        .join(" ")
        .replace(/ [0-9a-f-]{36}/, ""),
    ),
  ).toEqual(["update ON_HOLD", "update CONFIRMED", "update CONFIRMED", "update CANCELLED", "cancelled"]);
  expect(calls.notifications).toEqual(calls.webhooks);
  expect(supplier.reads.stats().requests.bookings).toBe(4);
});
