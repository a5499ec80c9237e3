// The worker the workerd test bundles: the adapter as a Cloudflare Workers user writes it.
import { Hono } from "hono";
import { type OctoHydrator, octoWebhooks } from "../../src/index.ts";

type Env = { Bindings: { OCTO_USER: string; OCTO_PASS: string } };

const handled: string[] = [];
// what the supplier's read API answers, for notifications hydrated in the worker
const bookings: Record<string, unknown> = {
  "b-cancelled": { uuid: "b-cancelled", status: "CANCELLED", utcUpdatedAt: "2026-03-01T10:00:00Z" },
};
const hydrate: OctoHydrator = async (notification) => {
  if (notification.type === "AVAILABILITY_UPDATE") {
    return [{ id: "2026-04-01T09:00:00+02:00" }, { id: "2026-04-01T11:00:00+02:00" }];
  }
  if (notification.type !== "BOOKING_UPDATE") return null;
  if (notification.data.uuid === "b-unreachable") throw new Error("the supplier answered 502");
  return bookings[notification.data.uuid] ?? null;
};
const app = new Hono<Env>();
app.post(
  "/webhooks/octo",
  octoWebhooks({
    auth: (c) => ({ basic: { username: c.env.OCTO_USER, password: c.env.OCTO_PASS } }),
    maxBodyBytes: 64 * 1024,
    onBookingUpdate: ({ booking }) => void handled.push(booking.uuid),
  }),
);
const notified: string[] = [];
app.post(
  "/notifications/octo",
  octoWebhooks({
    auth: (c) => ({ basic: { username: c.env.OCTO_USER, password: c.env.OCTO_PASS } }),
    hydrate,
    dedupe: true,
    logger: {},
    onNotification: (n) => void notified.push(`notification:${n.type}`),
    onBookingUpdate: ({ booking }, { source }) =>
      void notified.push(`booking_update:${booking.uuid}:${source}`),
    onBookingCancelled: ({ booking }) => void notified.push(`booking.cancelled:${booking.uuid}`),
    onAvailabilityUpdate: ({ availability }) => void notified.push(`availability_update:${availability.id}`),
    onError: (error) => void notified.push(`error:${error.code}`),
  }),
);
// allowFrom on Workers: the address is Cloudflare's `cf-connecting-ip`
const addressed: { verified: Array<string | undefined>; handled: string[] } = { verified: [], handled: [] };
const allowing = (allowFrom: string | string[]) =>
  octoWebhooks({
    allowFrom,
    auth: {
      verify: (request) => {
        addressed.verified.push(request.remoteAddress);
        return true;
      },
    },
    logger: {},
    onBookingUpdate: ({ booking }) => void addressed.handled.push(booking.uuid),
  });
app.post("/loopback/octo", allowing(["127.0.0.1", "::1"]));
app.post("/elsewhere/octo", allowing("203.0.113.0/24"));
app.get("/addressed", (c) => c.json(addressed));
app.get("/handled", (c) => c.json(handled));
app.get("/notified", (c) => c.json(notified));

export default app;
