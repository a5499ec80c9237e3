// The worker of the both-ways workerd test: one handler set behind the Hono adapter, taking webhooks at
// /webhooks/octo and OCTO notifications at /notifications/octo, hydrated inside workerd with the client's
// hydrator against the supplier of the `OCTO_BASE_URL` binding. `GET /calls` returns what the handlers saw.
import { createOctoClient } from "@octo-webhooks/client";
import { Hono } from "hono";
import { type OctoHonoOptions, octoWebhooks } from "../../src/index.ts";

type Env = { Bindings: { OCTO_BASE_URL: string; OCTO_API_KEY: string } };

const calls: Record<string, string[]> = { webhooks: [], notifications: [] };
const handlers = (way: string) =>
  ({
    logger: {},
    onBookingUpdate: ({ booking }) =>
      void calls[way]?.push(
        `update ${booking.uuid} ${booking.status} ${booking.unitItems?.length} ${booking.notes ?? "-"}`,
      ),
    onBookingCancelled: ({ booking }) => void calls[way]?.push(`cancelled ${booking.uuid}`),
  }) satisfies OctoHonoOptions<Env>;

const app = new Hono<Env>();
app.post("/webhooks/octo", octoWebhooks<Env>({ auth: "none", ...handlers("webhooks") }));
let hydrating: ReturnType<typeof octoWebhooks<Env>> | undefined;
app.post("/notifications/octo", (c, next) => {
  // the client needs the bindings, which a Worker only has per request
  hydrating ??= octoWebhooks<Env>({
    auth: "none",
    hydrate: createOctoClient({
      baseUrl: c.env.OCTO_BASE_URL,
      apiKey: c.env.OCTO_API_KEY,
      retries: 0,
    }).hydrator(),
    ...handlers("notifications"),
  });
  return hydrating(c, next);
});
app.get("/calls", (c) => c.json(calls));

export default app;
