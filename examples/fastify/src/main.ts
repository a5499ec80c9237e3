// OCTO webhooks in Fastify: OCTO_HOOK_USER=octo OCTO_HOOK_PASS=s3cret pnpm start (PORT, default 3000)
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { type Logger, octoWebhooks } from "@octo-webhooks/fastify";
import Fastify from "fastify";

/** The app, credentials from `env`; `log` gets a line per event and core's reports. */
export async function createApp(
  env: NodeJS.ProcessEnv = process.env,
  log: Logger & { info(line: string): void } = console,
) {
  const { OCTO_HOOK_USER: username, OCTO_HOOK_PASS: password } = env;
  if (!username || !password)
    throw new Error("Set OCTO_HOOK_USER and OCTO_HOOK_PASS (the webhook URL's user:pass)");
  const app = Fastify();
  await app.register(octoWebhooks, {
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
    onAvailabilityUpdate: ({ availability, productId }) => {
      const left = availability.vacancies ?? "unlimited";
      log.info(
        `availability ${productId} ${availability.localDateTimeStart} ${availability.status}, ${left} left`,
      );
    },
  });
  return app;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const app = await createApp();
  await app.listen({ port: Number(process.env.PORT ?? 3000), host: "0.0.0.0" });
  console.info(`listening on http://localhost:${(app.server.address() as AddressInfo).port}/webhooks/octo`);
}
