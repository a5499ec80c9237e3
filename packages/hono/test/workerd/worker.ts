// The worker the workerd test bundles: the adapter as a Cloudflare Workers user writes it.
import { Hono } from "hono";
import { octoWebhooks } from "../../src/index.ts";

type Env = { Bindings: { OCTO_USER: string; OCTO_PASS: string } };

const handled: string[] = [];
const app = new Hono<Env>();
app.post(
  "/webhooks/octo",
  octoWebhooks({
    auth: (c) => ({ basic: { username: c.env.OCTO_USER, password: c.env.OCTO_PASS } }),
    maxBodyBytes: 64 * 1024,
    onBookingUpdate: ({ booking }) => void handled.push(booking.uuid),
  }),
);
app.get("/handled", (c) => c.json(handled));

export default app;
