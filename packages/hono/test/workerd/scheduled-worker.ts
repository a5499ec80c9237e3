// The worker of the scheduled workerd test: a receiver with the stale guard, and a Cron Trigger that
// reconciles it with the client's reconciler against the supplier of the `OCTO_BASE_URL` binding.
// `GET /calls` returns what the handlers saw, `GET /summaries` what each run did; `FAIL_MAKE` makes the
// factory throw.
import { createOctoClient, createReconciler, type ReconcileSummary } from "@octo-webhooks/client";
import { Hono } from "hono";
import { createOctoWebhooks, reconcileOnSchedule } from "../../src/index.ts";

type Env = { OCTO_BASE_URL: string; OCTO_API_KEY: string; FAIL_MAKE?: string };

const calls: string[] = [];
const summaries: Array<Pick<ReconcileSummary, "checked" | "changed" | "unchanged" | "reads" | "complete">> =
  [];
const webhooks = createOctoWebhooks({
  logger: {},
  auth: "none",
  staleGuard: true,
  onBookingUpdate: ({ booking }, { source }) =>
    void calls.push(`update ${booking.uuid} ${booking.status} ${source}`),
  onBookingCancelled: ({ booking }, { source }) => void calls.push(`cancelled ${booking.uuid} ${source}`),
});
let reconciler: ReturnType<typeof createReconciler> | undefined;

const app = new Hono<{ Bindings: Env }>();
app.post("/webhooks/octo", (c) => webhooks.fetch(c.req.raw));
app.get("/calls", (c) => c.json(calls));
app.get("/summaries", (c) => c.json(summaries));

export default {
  fetch: app.fetch,
  scheduled: reconcileOnSchedule((env: Env) => {
    if (env.FAIL_MAKE === "1") throw new Error("no reconciler today");
    reconciler ??= createReconciler({
      receiver: webhooks,
      client: createOctoClient({ baseUrl: env.OCTO_BASE_URL, apiKey: env.OCTO_API_KEY, retries: 0 }),
      travelWindow: { pastDays: 0, aheadDays: 5 },
      products: false,
      ratePerSecond: 50,
      logger: {},
      onSummary: ({ checked, changed, unchanged, reads, complete }) =>
        void summaries.push({ checked, changed, unchanged, reads, complete }),
    });
    return reconciler;
  }),
};
