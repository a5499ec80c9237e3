// Reconciliation against a real local supplier (node:http, read-supplier.ts) and a real receiver
// (core's, with its stale guard): what the supplier holds reaches the handlers once, through run().
import { spawn } from "node:child_process";
import { join } from "node:path";
import {
  createMemoryStore,
  createOctoWebhooks,
  type OctoWebhooks,
  type OctoWebhooksOptions,
} from "@octo-webhooks/core";
import { basic, capturingLogger } from "@octo-webhooks/test-helpers";
import { describe, expect, it } from "vitest";
import {
  createOctoClient,
  createReconciler,
  type ReconcileSummary,
  reconcilerSuppliers,
  webhookUrl,
} from "../src/index.ts";
import { onCleanup } from "./helpers.ts";
import { mostWithin, READ_KEY, type ReadSupplier, startReadSupplier } from "./read-supplier.ts";

const today = new Date().toISOString().slice(0, 10);
/** Today plus `n` days. */
const day = (n: number) => new Date(Date.parse(today) + n * 86_400_000).toISOString().slice(0, 10);
/** An instant `n` minutes after a fixed start: later writes at the supplier are newer. */
const at = (n: number) => new Date(Date.UTC(2026, 2, 1, 10, n)).toISOString();

async function supplier(): Promise<ReadSupplier> {
  const started = await startReadSupplier();
  onCleanup(() => started.close());
  return started;
}

const clientOf = (s: ReadSupplier, retries = 0) =>
  createOctoClient({
    baseUrl: s.url,
    apiKey: READ_KEY,
    retries: { limit: retries, minDelayMs: 1, maxDelayMs: 20 },
  });

/** A receiver with the stale guard, recording what its handlers saw. */
function receiver(options: OctoWebhooksOptions = {}): { webhooks: OctoWebhooks; calls: string[] } {
  const calls: string[] = [];
  const from = (source: string | undefined, supplier: string | undefined) =>
    `${source}${supplier === undefined ? "" : `@${supplier}`}`;
  const webhooks = createOctoWebhooks({
    logger: {},
    ...(options.suppliers === undefined ? { auth: "none" as const } : {}),
    staleGuard: true,
    store: createMemoryStore(),
    onBookingUpdate: ({ booking }, { source, supplier }) =>
      void calls.push(`update ${booking.uuid} ${booking.status} ${from(source, supplier)}`),
    onBookingConfirmed: ({ booking }, { source }) => void calls.push(`confirmed ${booking.uuid} ${source}`),
    onBookingCancelled: ({ booking }, { source }) => void calls.push(`cancelled ${booking.uuid} ${source}`),
    onBookingAmended: ({ booking }, { source }) => void calls.push(`amended ${booking.uuid} ${source}`),
    onOrderUpdate: ({ order }, { source }) => void calls.push(`order ${order.id} ${order.status} ${source}`),
    onProductUpdate: ({ product }, { source }) => void calls.push(`product ${product.id} ${source}`),
    ...options,
  });
  return { webhooks, calls };
}

/** The supplier's own delivery of a booking, over the receiver's HTTP path. */
const deliver = (
  webhooks: OctoWebhooks,
  booking: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) =>
  webhooks.handle({
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ webhook: { event: "booking_update" }, booking, ...extra }),
  });

const listReads = (s: ReadSupplier) => s.requests.filter((r) => r.path.startsWith("bookings?"));

describe("createReconciler: what the supplier holds reaches the handlers once", () => {
  it("lists the travel window one page per 3 days; a second run with nothing changed reaches no handler", async () => {
    const s = await supplier();
    for (let i = 0; i < 10; i++) s.put(`b-${i}`, day(i * 6 - 1), { utcUpdatedAt: at(i) });
    s.products.set("p-1", { id: "p-1", internalName: "Harbour tour" });
    const { webhooks, calls } = receiver();
    const reconciler = createReconciler({
      receiver: webhooks,
      client: clientOf(s),
      ratePerSecond: 1000,
      logger: {},
    });

    const first = await reconciler.run();
    expect(first).toMatchObject({
      checked: 11,
      changed: 11,
      unchanged: 0,
      failed: 0,
      missing: 0,
      complete: true,
    });
    // yesterday to 60 days ahead: 62 days, 21 windows; then GET /products
    expect(listReads(s)).toHaveLength(21);
    expect(listReads(s)[0]?.path).toBe(`bookings?localDateStart=${day(-1)}&localDateEnd=${day(1)}`);
    expect(listReads(s).at(-1)?.path).toBe(`bookings?localDateStart=${day(59)}&localDateEnd=${day(60)}`);
    expect(first.reads).toBe(22);
    expect(first.resume).toBeUndefined();
    expect(calls.filter((c) => c.startsWith("confirmed"))).toHaveLength(10);
    expect(calls).toContain("update b-3 CONFIRMED reconciliation");
    expect(calls).toContain("product p-1 reconciliation");

    const handled = calls.length;
    const second = await reconciler.run();
    expect(second).toMatchObject({ checked: 11, changed: 0, unchanged: 11, failed: 0, reads: 22 });
    expect(calls).toHaveLength(handled);
    // bookings the lists brought are not read again one by one
    expect(s.requests.filter((r) => /^bookings\/./.test(r.path))).toEqual([]);
  });

  it("a booking cancelled while the receiver was down: booking.cancelled once through run(); the supplier's late webhook runs nothing", async () => {
    const s = await supplier();
    const { webhooks, calls } = receiver();
    // delivered while the receiver was up: one in the travel window, one travelling in 100 days, an order
    for (const [uuid, date] of [
      ["b-near", day(3)],
      ["b-far", day(100)],
    ] as const) {
      const booking = s.put(uuid, date, { utcUpdatedAt: at(0) });
      expect((await deliver(webhooks, booking)).status).toBe(200);
    }
    const order = { id: "o-1", status: "CONFIRMED", utcUpdatedAt: at(0), bookings: [] };
    s.orders.set("o-1", order);
    await webhooks.receive({ webhook: { event: "order_update" }, order });
    calls.length = 0;

    // the receiver is down: the supplier cancels both bookings and the order, and gives up delivering
    const cancelled = {
      ...s.put("b-near", day(3), {
        status: "CANCELLED",
        utcUpdatedAt: at(5),
        cancellation: { reason: "weather" },
      }),
    };
    s.put("b-far", day(100), { status: "CANCELLED", utcUpdatedAt: at(5) });
    s.orders.set("o-1", { ...order, status: "CANCELLED", utcUpdatedAt: at(5) });

    const reconciler = createReconciler({
      receiver: webhooks,
      client: clientOf(s),
      ratePerSecond: 1000,
      logger: {},
    });
    const summary = await reconciler.run();
    expect(summary).toMatchObject({ checked: 3, changed: 3, failed: 0 });
    expect(calls.filter((c) => c.startsWith("cancelled")).sort()).toEqual([
      "cancelled b-far reconciliation",
      "cancelled b-near reconciliation",
    ]);
    expect(calls).toContain("order o-1 CANCELLED reconciliation");
    // the remembered booking outside the window and the order are read one by one; b-near came in a list
    expect(s.requests.map((r) => r.path).filter((p) => !p.startsWith("bookings?"))).toEqual(
      expect.arrayContaining(["bookings/b-far", "orders/o-1", "products"]),
    );
    expect(s.requests.some((r) => r.path === "bookings/b-near")).toBe(false);
    // orders are read with octo/cart
    expect(s.requests.find((r) => r.path === "orders/o-1")?.capabilities).toBe("octo/cart");

    // the supplier's own delivery of the cancellation comes late: nothing runs
    const late = await deliver(webhooks, cancelled, {
      diff: [{ op: "replace", path: "/status", was: "CONFIRMED", value: "CANCELLED" }],
    });
    expect(late.status).toBe(200);
    expect((await reconciler.run()).changed).toBe(0);
    expect(calls.filter((c) => c.startsWith("cancelled"))).toHaveLength(2);
  });

  it("a reconciled amendment fires booking.amended", async () => {
    const s = await supplier();
    const { webhooks, calls } = receiver();
    s.put("b-1", day(2), { utcUpdatedAt: at(0), notes: "" });
    const reconciler = createReconciler({
      receiver: webhooks,
      client: clientOf(s),
      ratePerSecond: 1000,
      products: false,
      logger: {},
    });
    await reconciler.run();
    s.put("b-1", day(2), { utcUpdatedAt: at(1), notes: "window seat" });
    expect((await reconciler.run()).changed).toBe(1);
    expect(calls).toEqual([
      "update b-1 CONFIRMED reconciliation",
      "confirmed b-1 reconciliation",
      "update b-1 CONFIRMED reconciliation",
      "amended b-1 reconciliation",
    ]);
  });

  it("1,000 bookings over the default window at the default 5 reads/s: 22 reads, never more than 5 in a second", async () => {
    const s = await supplier();
    for (let i = 0; i < 1000; i++) s.put(`b-${i}`, day((i % 62) - 1), { utcUpdatedAt: at(i) });
    const { webhooks } = receiver({ onBookingUpdate: () => {} });
    const summary = await createReconciler({ receiver: webhooks, client: clientOf(s), logger: {} }).run();
    expect(summary).toMatchObject({ checked: 1000, changed: 1000, reads: 22, complete: true });
    // 21 spacings of 200 ms at least
    expect(summary.durationMs).toBeGreaterThanOrEqual(4150);
    // arrival times drift (the first request's arrives later: its connection is opened first)
    const arrivals = s.requests.map((r) => r.at);
    expect(mostWithin(arrivals, 1000 - 50)).toBeLessThanOrEqual(5);
  });

  it("one-by-one reads keep to concurrency and ratePerSecond, counted at the server", async () => {
    const s = await supplier();
    const ids = Array.from({ length: 30 }, (_, i) => `b-${String(i).padStart(2, "0")}`);
    for (const uuid of ids) s.put(uuid, day(200), { utcUpdatedAt: at(1) });
    const { webhooks, calls } = receiver();
    const reconcile = (concurrency: number, ratePerSecond: number) =>
      createReconciler({
        receiver: webhooks,
        client: clientOf(s),
        travelWindow: false,
        products: false,
        ids: { bookings: ids },
        concurrency,
        ratePerSecond,
        logger: {},
      }).run();
    // slow answers: the concurrency binds
    s.delayMs = 300;
    expect(await reconcile(3, 1000)).toMatchObject({ checked: 30, changed: 30, reads: 30 });
    expect(s.maxInFlight).toBe(3);
    expect(calls.filter((c) => c.startsWith("confirmed"))).toHaveLength(30);
    // fast answers: the rate binds (arrival times drift by a few ms)
    s.delayMs = 0;
    s.requests.length = 0;
    const started = Date.now();
    expect(await reconcile(3, 12)).toMatchObject({ checked: 30, unchanged: 30, reads: 30 });
    expect(Date.now() - started).toBeGreaterThanOrEqual((29 * 1000) / 12 - 20);
    const arrivals = s.requests.map((r) => r.at);
    expect(mostWithin(arrivals, 1000 - 50)).toBeLessThanOrEqual(12);
  });

  it("a 429 with Retry-After is waited out, every read of the supplier paused; then the run completes", async () => {
    const s = await supplier();
    s.put("b-1", day(1), { utcUpdatedAt: at(0) });
    s.tooManyRequests(2, "1");
    const logger = capturingLogger();
    const summary = await createReconciler({
      receiver: receiver().webhooks,
      client: clientOf(s),
      supplier: "ventrata",
      travelWindow: { pastDays: 0, aheadDays: 5 },
      ratePerSecond: 1000,
      concurrency: 2,
      logger,
    }).run();
    // two windows and the products, and the two reads answered 429 sent again
    expect(summary).toMatchObject({ checked: 1, changed: 1, failed: 0, reads: 5, complete: true });
    const [first, , third] = s.requests.map((r) => r.at) as [number, number, number];
    expect(third - first).toBeGreaterThanOrEqual(950);
    expect(logger.lines).toContain(
      "warn [@octo-webhooks/client] supplier ventrata answered 429: its reads wait 1000 ms (Retry-After)",
    );
    expect(logger.fields.find((f) => f.supplier === "ventrata")).toBeDefined();
  });

  it("a Retry-After past the time limit stops the supplier's part, resumable", async () => {
    const s = await supplier();
    s.tooManyRequests(1, "3600");
    const logger = capturingLogger();
    const summary = await createReconciler({
      receiver: receiver().webhooks,
      client: clientOf(s),
      travelWindow: { pastDays: 0, aheadDays: 0 },
      logger,
    }).run();
    expect(summary).toMatchObject({ complete: false, reads: 1, failed: 0 });
    expect(summary.resume).toEqual({ today, suppliers: { "": { windows: [], listed: [] } } });
    expect(logger.lines.join("\n")).toMatch(
      /answered 429 asking to wait 3600000 ms, past what this run may wait/,
    );
  });

  it("maxDurationMs stops a run; run({ resume }) continues where it stopped, nothing applied twice", async () => {
    const s = await supplier();
    const ids = Array.from({ length: 24 }, (_, i) => `b-${String(i).padStart(2, "0")}`);
    for (const uuid of ids) s.put(uuid, day(300), { utcUpdatedAt: at(1) });
    const { webhooks, calls } = receiver();
    // the receiver remembers them: delivered once, then changed at the supplier
    for (const uuid of ids)
      await deliver(webhooks, { ...(s.bookings.get(uuid)?.booking ?? {}), utcUpdatedAt: at(0) });
    calls.length = 0;
    const reconciler = createReconciler({
      receiver: webhooks,
      client: clientOf(s),
      travelWindow: false,
      products: false,
      ratePerSecond: 20,
      maxDurationMs: 500,
      logger: {},
    });
    const first = await reconciler.run();
    expect(first.complete).toBe(false);
    expect(first.durationMs).toBeLessThan(1500);
    expect(first.changed).toBeGreaterThan(3);
    expect(first.changed).toBeLessThan(24);
    expect(first.resume?.suppliers[""]?.after).toMatch(/^b:b-\d\d$/);
    // JSON, to keep between invocations
    const resume = JSON.parse(JSON.stringify(first.resume));
    const readBefore = s.requests.length;

    const second = await reconciler.run({ resume, maxDurationMs: 60_000 });
    expect(second.complete).toBe(true);
    expect(second.resume).toBeUndefined();
    expect(first.changed + second.changed).toBe(24);
    // the second run did not start over
    expect(s.requests.length - readBefore).toBeLessThanOrEqual(24 - first.changed + 4);
    const updates = calls.filter((c) => c.startsWith("update"));
    expect(new Set(updates).size).toBe(24);
    expect(updates).toHaveLength(24);
  });

  it("an AbortSignal stops the run, resumable", async () => {
    const s = await supplier();
    s.delayMs = 100;
    const controller = new AbortController();
    const reconciler = createReconciler({
      receiver: receiver().webhooks,
      client: clientOf(s),
      ratePerSecond: 1000,
      logger: {},
    });
    const running = reconciler.run({ signal: controller.signal });
    setTimeout(() => controller.abort(), 250);
    const summary = await running;
    expect(summary.complete).toBe(false);
    expect(summary.resume?.suppliers[""]?.windows?.length).toBeGreaterThan(0);
    expect(summary.resume?.suppliers[""]?.windows?.length).toBeLessThan(21);
  });

  it("counts what the supplier lacks, what fails to read and what the receiver refuses; the run goes on", async () => {
    const s = await supplier();
    s.put("b-bad", day(1), { uuid: "b-bad", utcUpdatedAt: "not a date", status: 7 });
    s.put("b-ok", day(1), { utcUpdatedAt: at(0) });
    s.failing.add("orders/");
    const logger = capturingLogger();
    const summary = await createReconciler({
      receiver: receiver({
        onBookingUpdate: ({ booking }) => {
          if (booking.uuid === "b-ok") throw new Error("database down");
        },
      }).webhooks,
      client: clientOf(s),
      travelWindow: { pastDays: 0, aheadDays: 2 },
      ids: { bookings: ["b-gone"], orders: ["o-1"] },
      ratePerSecond: 1000,
      logger,
    }).run();
    expect(summary).toMatchObject({ checked: 2, changed: 0, missing: 1, failed: 3, complete: true });
    expect(summary.suppliers[0]?.errors).toEqual([
      expect.stringMatching(/^booking b-bad: /),
      expect.stringMatching(/^booking b-ok: .*database down/),
      expect.stringMatching(
        /^GET \/orders\/o-1: GET http:\/\/127\.0\.0\.1:\d+\/octo\/orders\/o-1 answered 500/,
      ),
    ]);
    expect(logger.lines.join("\n")).not.toContain(READ_KEY);
  });

  it("a list page over the size limit is read again as two halves", async () => {
    const s = await supplier();
    s.maxListDays = 1;
    s.put("b-1", day(0), { utcUpdatedAt: at(0) });
    s.put("b-2", day(2), { utcUpdatedAt: at(0) });
    const summary = await createReconciler({
      receiver: receiver().webhooks,
      client: clientOf(s),
      travelWindow: { pastDays: 0, aheadDays: 3, daysPerList: 4 },
      products: false,
      ratePerSecond: 1000,
      logger: {},
    }).run();
    expect(summary).toMatchObject({ checked: 2, changed: 2, failed: 0 });
    expect(listReads(s).map((r) => r.path.replace(/localDate(Start|End)=/g, ""))).toEqual([
      `bookings?${day(0)}&${day(3)}`,
      `bookings?${day(0)}&${day(1)}`,
      `bookings?${day(0)}&${day(0)}`,
      `bookings?${day(1)}&${day(1)}`,
      `bookings?${day(2)}&${day(3)}`,
      `bookings?${day(2)}&${day(2)}`,
      `bookings?${day(3)}&${day(3)}`,
    ]);
  });

  it("availability only when asked: the days of the product named, each slot through the receiver", async () => {
    const s = await supplier();
    const slots: string[] = [];
    const summary = await createReconciler({
      receiver: receiver({
        onAvailabilityUpdate: ({ availability }, { source }) =>
          void slots.push(`${availability.id} ${source}`),
      }).webhooks,
      client: clientOf(s),
      travelWindow: false,
      products: false,
      availability: [{ productId: "p-1", optionId: "DEFAULT", days: 2 }],
      logger: {},
    }).run();
    expect(summary).toMatchObject({ checked: 2, changed: 2, reads: 1 });
    expect(slots).toEqual([`${today}T09:00:00Z reconciliation`, `${day(1)}T09:00:00Z reconciliation`]);
  });

  it("a queue's receiver: what its workers' store remembers is read back (`store`)", async () => {
    const s = await supplier();
    const store = createMemoryStore();
    // the workers' receiver applies; the queue's receiver only has receive()
    const { webhooks: worker, calls } = receiver({ store });
    const booking = s.put("b-q", day(90), { utcUpdatedAt: at(0) });
    await worker.receive({ booking }, { supplier: "peek" });
    s.put("b-q", day(90), { status: "CANCELLED", utcUpdatedAt: at(1) });
    const summary = await createReconciler({
      receiver: { receive: (body, options) => worker.receive(body, options) },
      store,
      client: clientOf(s),
      supplier: "peek",
      travelWindow: false,
      products: false,
      logger: {},
    }).run();
    expect(summary).toMatchObject({ checked: 1, changed: 1 });
    expect(calls).toContain("cancelled b-q reconciliation");
  });

  it("a receiver without staleGuard: says once that it remembers nothing", async () => {
    const s = await supplier();
    const logger = capturingLogger();
    const reconciler = createReconciler({
      receiver: createOctoWebhooks({ logger: {} }),
      client: clientOf(s),
      travelWindow: false,
      logger,
    });
    await reconciler.run();
    await reconciler.run();
    expect(logger.lines.filter((l) => l.includes("remembers nothing"))).toHaveLength(1);
  });
});

describe("the watchdog (watch)", () => {
  const hook = "https://shop.example/webhooks/octo";
  const url = (password: string) => webhookUrl(hook, { username: "octo", password });

  it("creates again a webhook and a notification subscription the supplier deleted; never deletes", async () => {
    const s = await supplier();
    s.webhooks.push({ id: "other", event: "booking_update", url: "https://elsewhere.example/hook" });
    const logger = capturingLogger();
    const reconciler = createReconciler({
      receiver: receiver().webhooks,
      client: clientOf(s),
      supplier: "ventrata",
      travelWindow: false,
      products: false,
      watch: {
        webhooks: [{ event: "booking_update", url: url("s3cret-pass") }],
        notifications: [{ url: url("s3cret-pass"), notificationTypes: ["booking_update"] }],
      },
      logger,
    });
    const first = await reconciler.run();
    expect(first.suppliers[0]?.recreated).toEqual([
      {
        kind: "webhook",
        event: "booking_update",
        id: "reg-1",
        url: "https://***@shop.example/webhooks/octo",
      },
      {
        kind: "notification",
        event: "BOOKING_UPDATE",
        id: "reg-2",
        url: "https://***@shop.example/webhooks/octo",
      },
    ]);
    expect(s.webhooks.map((w) => w.id)).toEqual(["other", "reg-1"]);
    expect(s.subscriptions).toMatchObject([
      { url: url("s3cret-pass"), notificationTypes: ["BOOKING_UPDATE"] },
    ]);
    const warned = logger.lines.filter((l) => l.startsWith("warn") && l.includes("created it again"));
    expect(warned).toHaveLength(2);
    expect(warned[0]).toContain("missing at supplier ventrata");
    expect(logger.lines.join("\n")).not.toContain("s3cret-pass");

    const second = await reconciler.run();
    expect(second.suppliers[0]?.recreated).toEqual([]);
    expect(s.webhooks).toHaveLength(2);
    expect(s.requests.filter((r) => r.method === "DELETE")).toEqual([]);
  });

  it("reports a registration whose password drifted, and changes nothing; the next password of a rotation is right", async () => {
    const s = await supplier();
    s.webhooks.push({ id: "w-old", event: "booking_update", url: url("old-pass") });
    s.webhooks.push({ id: "w-next", event: "availability_update", url: url("next-pass") });
    const logger = capturingLogger();
    const summary = await createReconciler({
      receiver: receiver().webhooks,
      client: clientOf(s),
      travelWindow: false,
      products: false,
      watch: {
        webhooks: [
          { event: "booking_update", url: url("current-pass") },
          { event: "availability_update", url: url("current-pass") },
        ],
        alsoAccepted: ["next-pass"],
      },
      logger,
    }).run();
    expect(summary.suppliers[0]?.drifted).toEqual([
      {
        kind: "webhook",
        event: "booking_update",
        id: "w-old",
        url: "https://***@shop.example/webhooks/octo",
        drifted: ["password"],
      },
    ]);
    expect(summary.suppliers[0]?.recreated).toEqual([]);
    expect(s.webhooks.map((w) => w.id)).toEqual(["w-old", "w-next"]);
    expect(s.requests.filter((r) => r.method !== "GET")).toEqual([]);
    const line = logger.lines.find((l) => l.includes("carries other credentials"));
    expect(line).toMatch(/^warn .*booking_update webhook w-old .* \(password\)/);
    expect(logger.lines.join("\n")).not.toMatch(/old-pass|current-pass|next-pass/);
  });
});

describe("many suppliers", () => {
  it("each is reconciled with its id passed as `supplier`; the same uuid at two suppliers stays apart", async () => {
    const [a, b] = [await supplier(), await supplier()];
    a.put("b-same", day(1), { utcUpdatedAt: at(0) });
    b.put("b-same", day(1), { utcUpdatedAt: at(0), status: "CANCELLED" });
    b.put("b-only", day(2), { utcUpdatedAt: at(0) });
    const { webhooks, calls } = receiver();
    const reconciler = createReconciler({
      receiver: webhooks,
      suppliers: { alpha: clientOf(a), beta: clientOf(b) },
      products: false,
      ratePerSecond: 1000,
      logger: {},
    });
    const summary = await reconciler.run();
    expect(summary).toMatchObject({ checked: 3, changed: 3 });
    expect(summary.suppliers.map((s) => [s.supplier, s.checked, s.changed])).toEqual([
      ["alpha", 1, 1],
      ["beta", 2, 2],
    ]);
    expect(calls.filter((c) => c.startsWith("update")).sort()).toEqual([
      "update b-only CONFIRMED reconciliation@beta",
      "update b-same CANCELLED reconciliation@beta",
      "update b-same CONFIRMED reconciliation@alpha",
    ]);
    const remembered = [];
    for await (const r of webhooks.remembered("booking", { supplier: "beta" })) remembered.push(r.id);
    expect(remembered.sort()).toEqual(["b-only", "b-same"]);
    expect((await reconciler.run()).changed).toBe(0);
  });

  it("a silent supplier is warned about, hooked and reconciled first; a delivering one is not", async () => {
    const [a, b] = [await supplier(), await supplier()];
    const credentials = { basic: { username: "octo", password: "hook-pass" } };
    const { webhooks } = receiver({
      suppliers: { alpha: { auth: credentials }, beta: { auth: credentials } },
    });
    const logger = capturingLogger();
    const silent: Array<[string | undefined, number]> = [];
    const reconciler = createReconciler({
      receiver: webhooks,
      suppliers: { alpha: clientOf(a), beta: clientOf(b) },
      travelWindow: false,
      products: false,
      silentAfterMs: 150,
      onSupplierSilent: (id, ms) => void silent.push([id, ms]),
      logger,
    });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const delivered = await webhooks.handle({
      method: "POST",
      headers: { "content-type": "application/json", authorization: basic("octo", "hook-pass") },
      body: JSON.stringify({ booking: { uuid: "b-a", status: "CONFIRMED", utcUpdatedAt: at(0) } }),
      supplier: "alpha",
    });
    expect(delivered.status).toBe(200);
    const summary = await reconciler.run();
    expect(summary.suppliers.map((s) => [s.supplier, s.silent])).toEqual([
      ["beta", true],
      ["alpha", false],
    ]);
    expect(summary.suppliers[0]?.silentForMs).toBeGreaterThanOrEqual(250);
    expect(summary.suppliers[0]?.lastDeliveryAt).toBeUndefined();
    expect(summary.suppliers[1]?.lastDeliveryAt).toEqual(expect.any(String));
    expect(summary.suppliers[1]?.silentForMs).toBeLessThan(150);
    expect(silent).toEqual([["beta", expect.any(Number)]]);
    const line = logger.lines.find((l) => l.includes("has delivered nothing accepted"));
    expect(line).toMatch(
      /^warn \[@octo-webhooks\/client\] supplier beta has delivered nothing accepted for \d+ s/,
    );
    expect(logger.fields[logger.lines.indexOf(line as string)]).toEqual({ supplier: "beta" });
  });

  it("reconcilerSuppliers(config): each supplier's client and the registrations syncSuppliers makes, watched", async () => {
    const s = await supplier();
    const config = {
      receiverUrl: "https://shop.example/webhooks/:supplier",
      suppliers: {
        alpha: {
          baseUrl: s.url,
          apiKeyEnv: "ALPHA_KEY",
          hook: { usernameEnv: "ALPHA_USER", passwordEnv: "ALPHA_PASS", nextPasswordEnv: "ALPHA_NEXT" },
          events: ["booking_update" as const],
          notifications: ["PRODUCT_UPDATE"],
        },
      },
    };
    const env = { ALPHA_KEY: READ_KEY, ALPHA_USER: "octo", ALPHA_PASS: "pass-1", ALPHA_NEXT: "pass-2" };
    const suppliers = reconcilerSuppliers(config, { env });
    expect(suppliers.alpha?.watch).toEqual({
      webhooks: [{ event: "booking_update", url: "https://octo:pass-1@shop.example/webhooks/alpha" }],
      notifications: [
        { url: "https://octo:pass-1@shop.example/webhooks/alpha", notificationTypes: ["PRODUCT_UPDATE"] },
      ],
      alsoAccepted: ["pass-2"],
    });
    // registered with the next password (a rotation): right, nothing created
    s.webhooks.push({
      id: "w-1",
      event: "booking_update",
      url: "https://octo:pass-2@shop.example/webhooks/alpha",
    });
    const summary = await createReconciler({
      receiver: receiver().webhooks,
      suppliers,
      travelWindow: false,
      products: false,
      logger: {},
    }).run();
    expect(summary.suppliers[0]).toMatchObject({
      supplier: "alpha",
      drifted: [],
      recreated: [{ kind: "notification" }],
    });
  });
});

describe("start() and stop()", () => {
  it("runs at once, then on the interval, never two at once; a run() meanwhile joins; stop() waits for the run", async () => {
    const s = await supplier();
    s.delayMs = 60;
    const summaries: ReconcileSummary[] = [];
    let running = 0;
    let most = 0;
    const { webhooks } = receiver();
    const reconciler = createReconciler({
      receiver: {
        async receive(body, options) {
          running++;
          most = Math.max(most, running);
          try {
            return await webhooks.receive(body, options);
          } finally {
            running--;
          }
        },
      },
      client: clientOf(s),
      travelWindow: { pastDays: 0, aheadDays: 2 },
      ratePerSecond: 1000,
      concurrency: 1,
      onSummary: (summary) => void summaries.push(summary),
      logger: {},
    });
    s.products.set("p-1", { id: "p-1" });
    reconciler.start({ intervalMs: 40 });
    expect(() => reconciler.start({ intervalMs: 40 })).toThrow(/started already/);
    const joined = reconciler.run();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(summaries.length).toBeGreaterThanOrEqual(2);
    expect(summaries[0]).toBe(await joined);
    expect(most).toBe(1);
    await reconciler.stop();
    const requests = s.requests.length;
    const runs = summaries.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(s.requests.length).toBe(requests);
    expect(summaries.length).toBe(runs);
    // every request of a run was answered before stop() resolved: none in progress now
    expect(summaries.at(-1)?.complete).toBe(true);
  });

  it("its timer keeps no process alive: a process that started a reconciler exits on its own", async () => {
    const child = spawn(
      process.execPath,
      [
        "--conditions=@octo-webhooks/source",
        "--import",
        "tsx",
        join(import.meta.dirname, "fixtures/start-exits.ts"),
      ],
      { cwd: join(import.meta.dirname, "../../.."), stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const killer = setTimeout(() => child.kill(), 8000);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    clearTimeout(killer);
    expect(output).toContain("ran once: 1 checked");
    expect(code).toBe(0);
  });
});

describe("the read calls", () => {
  it("bookings.list sends the query; refuses a query the specification does not allow; products.list; orders.get", async () => {
    const s = await supplier();
    s.put("b-1", "2026-05-02", { utcUpdatedAt: at(0) });
    s.products.set("p-1", { id: "p-1" });
    s.orders.set("o-1", { id: "o-1", status: "CONFIRMED", bookings: [] });
    const client = createOctoClient({ baseUrl: s.url, apiKey: READ_KEY, capabilities: ["octo/pricing"] });
    const listed = await client.bookings.list({
      localDateStart: "2026-05-01",
      localDateEnd: "2026-05-03",
      productId: "p-1",
    });
    expect(listed.map((b) => b.uuid)).toEqual(["b-1"]);
    expect(s.requests[0]?.path).toBe(
      "bookings?localDateStart=2026-05-01&localDateEnd=2026-05-03&productId=p-1",
    );
    expect(s.requests[0]?.capabilities).toBe("octo/pricing");
    expect((await client.products.list()).map((p) => p.id)).toEqual(["p-1"]);
    expect((await client.orders.get("o-1")).status).toBe("CONFIRMED");
    expect(s.requests.at(-1)?.capabilities).toBe("octo/cart, octo/pricing");
    await expect(client.bookings.list({ productId: "p-1" })).rejects.toMatchObject({
      code: "CONFIG_INVALID",
    });
    await expect(client.bookings.list({ localDateStart: "2026-05-01" })).rejects.toThrow(/go together/);
    await expect(client.bookings.list({ localDate: "May 1st" })).rejects.toThrow(/must be a date/);
    await expect(client.orders.get("..")).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    await expect(client.orders.get("o-2")).rejects.toMatchObject({ status: 404 });
    // list, products, o-1, o-2: the refused calls sent nothing
    expect(s.requests).toHaveLength(4);
  });

  it("a 429 is thrown at once by the client, with retryAfterMs: the reconciler is where it is waited out", async () => {
    const s = await supplier();
    s.tooManyRequests(1, "2");
    await expect(clientOf(s, 3).products.list()).rejects.toMatchObject({
      status: 429,
      retryAfterMs: 2000,
      attempts: 1,
    });
  });
});

describe("createReconciler's options", () => {
  it("refuses what cannot work, before any request", async () => {
    const s = await supplier();
    const client = clientOf(s);
    const { webhooks } = receiver();
    expect(() => createReconciler({ receiver: webhooks } as never)).toThrow(
      /takes `client` \(one supplier\) or `suppliers`/,
    );
    expect(() => createReconciler({ receiver: {} as never, client })).toThrow(
      /`receiver` must be a receiver/,
    );
    expect(() => createReconciler({ receiver: webhooks, client, concurrency: 0 })).toThrow(
      /`concurrency` must be a positive integer/,
    );
    expect(() => createReconciler({ receiver: webhooks, client, ratePerSecond: -1 })).toThrow(
      /`ratePerSecond`/,
    );
    expect(() =>
      createReconciler({
        receiver: webhooks,
        client,
        watch: { webhooks: [{ event: "booking_update", url: "nope" }] },
      }),
    ).toThrow(/`watch`: desired\[0\]: `url` must be an absolute http\(s\) URL/);
    expect(() =>
      createReconciler({ receiver: webhooks, client, availability: [{ productId: "p", days: 400 }] }),
    ).toThrow(/days/);
    expect(() => createReconciler({ receiver: webhooks, suppliers: { a: {} as never } })).toThrow(
      /`suppliers.a` must be a client/,
    );
    await expect(
      createReconciler({ receiver: webhooks, client }).run({ resume: { nope: 1 } as never }),
    ).rejects.toThrow(/`resume`/);
    expect(s.requests).toEqual([]);
  });
});
