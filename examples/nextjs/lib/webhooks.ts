// The receiver every route of this app shares: made once per server instance, credentials from the
// environment (read when the first delivery arrives, so that `next build` needs none).
import { createOctoWebhooks, type OctoWebhooks } from "@octo-webhooks/core";

let webhooks: OctoWebhooks | undefined;

/** The app's receiver: HTTP Basic credentials from OCTO_HOOK_USER/OCTO_HOOK_PASS, a line per event. */
export function octo(): OctoWebhooks {
  if (webhooks !== undefined) return webhooks;
  const { OCTO_HOOK_USER: username, OCTO_HOOK_PASS: password } = process.env;
  if (!username || !password)
    throw new Error("Set OCTO_HOOK_USER and OCTO_HOOK_PASS (the webhook URL's user:pass)");
  webhooks = createOctoWebhooks({
    auth: { basic: { username, password } },
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
  });
  return webhooks;
}
