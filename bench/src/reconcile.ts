// What reconciling costs: reads and time to reconcile N bookings held by the mock supplier (10,000 in the
// full run) into a receiver with `staleGuard`, at a per-supplier rate (5 reads a second, the default, and
// unbounded), the first run (every booking applied) and a second (nothing changed).
import { createOctoClient, createReconciler } from "@octo-webhooks/client";
import { createOctoWebhooks } from "@octo-webhooks/core";
import { startMockSupplier } from "@octo-webhooks/testing";

export interface ReconcileResult {
  bookings: number;
  ratePerSecond: number;
  run: "first" | "again";
  reads: number;
  changed: number;
  seconds: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function benchReconcile(quick: boolean): Promise<ReconcileResult[]> {
  const count = quick ? 300 : 10_000;
  const supplier = await startMockSupplier({ apiKey: "k-bench", seed: "bench-reconcile" });
  const results: ReconcileResult[] = [];
  try {
    // batches of 300 made an hour apart from 15.5 days ago (the mock's bookings travel 15 days after they
    // are made): every timestamp in the past, every travel date in the default window
    for (let made = 0; made < count; made += 300) {
      await supplier.simulate.bookingBatch({
        count: Math.min(300, count - made),
        cancelled: 0,
        createdAt: new Date(Date.now() - 15.5 * DAY_MS).toISOString(),
      });
    }
    const client = createOctoClient({ baseUrl: supplier.url, apiKey: "k-bench" });
    for (const ratePerSecond of [5, 1000]) {
      let handled = 0;
      const receiver = createOctoWebhooks({
        logger: {},
        staleGuard: true,
        onBookingUpdate: () => void handled++,
      });
      const reconciler = createReconciler({ receiver, client, ratePerSecond, products: false, logger: {} });
      for (const run of ["first", "again"] as const) {
        const started = performance.now();
        const summary = await reconciler.run();
        results.push({
          bookings: count,
          ratePerSecond,
          run,
          reads: summary.reads,
          changed: summary.changed,
          seconds: (performance.now() - started) / 1000,
        });
      }
      if (handled !== count) throw new Error(`reconciliation applied ${handled} of ${count} bookings`);
    }
  } finally {
    await supplier.close();
  }
  return results;
}

export function printReconcile(results: ReconcileResult[]): void {
  console.log("\n## Reconciliation (the mock supplier's bookings into a receiver with staleGuard)\n");
  console.log("| bookings | reads/s per supplier | run | reads | applied | time |");
  console.log("|---|---|---|---|---|---|");
  for (const r of results) {
    const rate = r.ratePerSecond >= 1000 ? "unbounded" : String(r.ratePerSecond);
    console.log(
      `| ${r.bookings} | ${rate} | ${r.run} | ${r.reads} | ${r.changed} | ${r.seconds.toFixed(1)} s |`,
    );
  }
}
