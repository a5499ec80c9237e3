// OCTO webhooks in a Cloudflare Worker: `pnpm dev` (credentials in .dev.vars), `pnpm run deploy` (wrangler secrets)
import { octoWebhooks } from "@octo-webhooks/hono";
import { Hono } from "hono";

/** The Worker's bindings: set them with `wrangler secret put OCTO_HOOK_USER` (and OCTO_HOOK_PASS). */
type Env = { Bindings: { OCTO_HOOK_USER: string; OCTO_HOOK_PASS: string } };

const app = new Hono<Env>();
app.post(
  "/webhooks/octo",
  octoWebhooks<Env>({
    // resolved per request from the bindings; missing ones answer 500 (the supplier retries), never 200
    auth: (c) => ({ basic: { username: c.env.OCTO_HOOK_USER, password: c.env.OCTO_HOOK_PASS } }),
    logger: console,
    onBookingUpdate: ({ booking, diff }) => {
      const was = diff?.find((change) => change.path === "/status")?.was;
      const changed = [...new Set(diff?.map((change) => change.path?.split("/")[1]))].join(", ");
      const units = booking.unitItems?.map((unit) => unit.unitId).join(" ") ?? "no units";
      console.info(
        `booking ${booking.uuid} ${was ? `${was} -> ` : ""}${booking.status} [${units}]${changed && ` changed: ${changed}`}`,
      );
    },
    onAvailabilityUpdate: ({ availability, productId }) => {
      const left = availability.vacancies ?? "unlimited";
      console.info(
        `availability ${productId} ${availability.localDateTimeStart} ${availability.status}, ${left} left`,
      );
    },
  }),
);

export default app;
