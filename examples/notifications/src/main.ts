// An Express receiver for a supplier that sends OCTO notifications: thin bodies (`{ type, data: { uuid } }`)
// that the receiver turns into the full booking, availability or product with the supplier's API, through
// the client's hydrator. The handlers are the same as for webhooks: they never see the difference.
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createOctoClient, webhookUrl } from "@octo-webhooks/client";
import { type Logger, octoWebhooks } from "@octo-webhooks/express";
import express from "express";

/** What the example reads from the environment. */
export interface NotificationsEnv {
  /** The supplier's OCTO endpoint and API key (to subscribe, and to fetch what a notification names). */
  OCTO_BASE_URL?: string | undefined;
  OCTO_API_KEY?: string | undefined;
  /** The credentials the supplier sends with each notification (Basic, from the subscription's URL). */
  OCTO_HOOK_USER?: string | undefined;
  OCTO_HOOK_PASS?: string | undefined;
}

function required(env: NotificationsEnv, name: keyof NotificationsEnv): string {
  const value = env[name];
  if (!value) throw new Error(`[example-notifications] set ${name}`);
  return value;
}

/** The app and the supplier's client; `log` gets one line per event. */
export function createApp(
  env: NotificationsEnv = process.env,
  log: Logger & { info(line: string): void } = console,
) {
  const client = createOctoClient({
    baseUrl: required(env, "OCTO_BASE_URL"),
    apiKey: required(env, "OCTO_API_KEY"),
    retries: 1, // the supplier retries the notification anyway when a fetch fails (503)
  });
  const app = express();
  app.use(
    octoWebhooks({
      path: "/webhooks/octo",
      auth: {
        basic: { username: required(env, "OCTO_HOOK_USER"), password: required(env, "OCTO_HOOK_PASS") },
      },
      logger: log,
      hydrate: client.hydrator(), // BOOKING_UPDATE -> GET /bookings/{uuid} -> onBookingUpdate
      onBookingUpdate: ({ booking }) => log.info(`booking ${booking.uuid} ${booking.status}`),
      onBookingCancelled: ({ booking }) => log.info(`release the seats of booking ${booking.uuid}`),
      onAvailabilityUpdate: ({ availability, productId }) =>
        log.info(
          `availability ${productId} ${availability.id} ${availability.status} (${availability.vacancies} left)`,
        ),
      onProductUpdate: ({ product }) => log.info(`product ${product.id} ${product.internalName}`),
    }),
  );
  return { app, client };
}

/** Subscribes `receiverUrl` (credentials added) to every notification type; running it again changes nothing. */
export async function subscribe(
  client: ReturnType<typeof createApp>["client"],
  receiverUrl: string,
  env: NotificationsEnv,
) {
  const url = webhookUrl(receiverUrl, {
    username: required(env, "OCTO_HOOK_USER"),
    password: required(env, "OCTO_HOOK_PASS"),
  });
  return client.notifications.sync([
    { url, notificationTypes: ["BOOKING_UPDATE", "AVAILABILITY_UPDATE", "PRODUCT_UPDATE"] },
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { app, client } = createApp();
  const server = app.listen(Number(process.env.PORT ?? 3000), async (error?: Error) => {
    if (error) throw error;
    const local = `http://localhost:${(server.address() as AddressInfo).port}/webhooks/octo`;
    console.info(`listening on ${local}`);
    // the URL the supplier can reach (a tunnel, your public host); the local one for the mock supplier
    const result = await subscribe(client, process.env.OCTO_PUBLIC_URL ?? local, process.env);
    console.info(result.changed ? "subscribed" : "already subscribed");
  });
}
