// OCTO webhooks on AWS Lambda: deploy `handler` behind a Function URL, an HTTP API, a REST API or an ALB,
// with OCTO_HOOK_USER and OCTO_HOOK_PASS in the function's environment. `pnpm start` runs it locally.
import { type Logger, octoWebhooksHandler } from "@octo-webhooks/aws-lambda";

/** The function, credentials from `env`; `log` gets a line per event and core's reports. */
export function createHandler(
  env: NodeJS.ProcessEnv = process.env,
  log: Logger & { info(line: string): void } = console,
) {
  const { OCTO_HOOK_USER: username, OCTO_HOOK_PASS: password } = env;
  if (!username || !password)
    throw new Error("Set OCTO_HOOK_USER and OCTO_HOOK_PASS (the webhook URL's user:pass)");
  return octoWebhooksHandler({
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
}

/** What Lambda runs (handler setting: `handler.handler`). */
export const handler = createHandler();
