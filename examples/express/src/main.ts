// OCTO webhooks in Express: OCTO_HOOK_USER=octo OCTO_HOOK_PASS=s3cret pnpm start (PORT, default 3000)
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { type Logger, octoWebhooks } from "@octo-webhooks/express";
import express from "express";

/** The app, credentials from `env`; `log` gets a line per event and core's reports (the demo passes its own). */
export function createApp(
  env: NodeJS.ProcessEnv = process.env,
  log: Logger & { info(line: string): void } = console,
) {
  const { OCTO_HOOK_USER: username, OCTO_HOOK_PASS: password } = env;
  if (!username || !password)
    throw new Error("Set OCTO_HOOK_USER and OCTO_HOOK_PASS (the webhook URL's user:pass)");
  const app = express();
  app.use(
    octoWebhooks({
      path: "/webhooks/octo",
      auth: { basic: { username, password } },
      logger: log,
      onBookingUpdate: ({ booking, diff }) => {
        const was = diff?.find((change) => change.path === "/status")?.was;
        const changed = [...new Set(diff?.map((change) => change.path?.split("/")[1]))].join(", ");
        const units = booking.unitItems?.map((unit) => unit.unitId).join(" ") ?? "no units";
        log.info(
          `booking ${booking.uuid} ${was ? `${was} -> ` : ""}${booking.status} [${units}]${changed && ` changed: ${changed}`}`,
        );
      },
      onOrderUpdate: ({ order, diff }) => {
        const was = diff?.find((change) => change.path === "/status")?.was;
        const bookings = order.bookings?.map((booking) => booking.status).join(" ") ?? "none";
        log.info(`order ${order.id} ${was ? `${was} -> ` : ""}${order.status} [bookings: ${bookings}]`);
      },
      // fired by a booking_update, and by each booking an order_update cancels (then with the order)
      onBookingCancelled: ({ booking }, { order }) => {
        if (order) log.info(`booking ${booking.uuid} cancelled inside order ${order.id}`);
      },
      onAvailabilityUpdate: ({ availability, productId }) => {
        const left = availability.vacancies ?? "unlimited";
        log.info(
          `availability ${productId} ${availability.localDateTimeStart} ${availability.status}, ${left} left`,
        );
      },
    }),
  );
  return app;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = createApp().listen(Number(process.env.PORT ?? 3000), (error?: Error) => {
    if (error) throw error;
    console.info(`listening on http://localhost:${(server.address() as AddressInfo).port}/webhooks/octo`);
  });
}
