// One Express receiver for three suppliers: each at /webhooks/octo/<id>, each with its own credentials
// (MOCK_<n>_HOOK_USER / MOCK_<n>_HOOK_PASS), handlers told which one sent a delivery (context.supplier).
// The third sends OCTO notifications: each is hydrated with that supplier's API (MOCK_<n>_API_KEY).
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { hydrators, receiverSuppliers, type SuppliersConfig, supplierClients } from "@octo-webhooks/client";
import { type Logger, octoWebhooks } from "@octo-webhooks/express";
import express from "express";
import defaultConfig from "../octo-webhooks.config.ts";

/** The app for `config`, credentials from `env`; `log` gets a line per event, naming its supplier. */
export function createApp(
  config: SuppliersConfig = defaultConfig,
  env: NodeJS.ProcessEnv = process.env,
  log: Logger & { info(line: string): void } = console,
) {
  const app = express();
  app.use(
    octoWebhooks({
      path: "/webhooks/octo/:supplier",
      suppliers: receiverSuppliers(config, env),
      // a notification is fetched from the supplier that sent it, with its own key
      hydrate: hydrators(supplierClients(config, { env, client: { retries: 1 } })),
      logger: log,
      onBookingUpdate: ({ booking }, { supplier }) =>
        log.info(`[${supplier}] booking ${booking.uuid} ${booking.status}`),
      onAvailabilityUpdate: ({ availability, productId }, { supplier }) =>
        log.info(`[${supplier}] availability ${productId} ${availability.status}`),
    }),
  );
  return app;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = createApp().listen(Number(process.env.PORT ?? 3000), (error?: Error) => {
    if (error) throw error;
    console.info(
      `listening on http://localhost:${(server.address() as AddressInfo).port}/webhooks/octo/:supplier`,
    );
  });
}
