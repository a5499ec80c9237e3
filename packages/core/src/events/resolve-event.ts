import { OctoRequestError } from "../errors/errors.ts";
import { OCTO_EVENTS } from "./event-table.ts";

/** The resource keys of the events this version models, in the order they are looked for. */
export const RESOURCE_EVENTS = Object.entries(OCTO_EVENTS).map(([event, [key]]) => [key, event] as const);

/**
 * Decides which event a body is. The resource key wins over `webhook.event`: handlers read the
 * resource, and a published Ventrata example sends an availability body with `webhook.event:
 * "booking_update"`. When the body carries no known resource, `webhook.event` names the event (events
 * this version does not model, such as `transfer_update`, arrive that way). `webhookEvent` keeps what the sender said.
 */
export function resolveEvent(body: Record<string, unknown>): {
  event: string;
  webhookEvent: string | undefined;
} {
  const webhook = body.webhook;
  const declared =
    typeof webhook === "object" &&
    webhook !== null &&
    typeof (webhook as { event?: unknown }).event === "string"
      ? ((webhook as { event: string }).event as string)
      : undefined;

  // the first resource present, unless another present one is the declared event (a loop: this runs
  // on every delivery, and the common body has exactly one)
  let found: string | undefined;
  for (const [key, event] of RESOURCE_EVENTS) {
    if (!Object.hasOwn(body, key) || body[key] === undefined) continue;
    if (event === declared) {
      found = event;
      break;
    }
    found ??= event;
  }
  if (found !== undefined) return { event: found, webhookEvent: declared };
  if (declared !== undefined && declared.trim() !== "") {
    const expected = RESOURCE_EVENTS.find(([, event]) => event === declared);
    if (expected) {
      throw new OctoRequestError(
        "INVALID_BODY",
        `the body says "${declared}" but has no \`${expected[0]}\` object`,
        { issues: [{ path: expected[0], message: "expected object" }] },
      );
    }
    return { event: declared, webhookEvent: declared };
  }
  throw new OctoRequestError(
    "INVALID_BODY",
    "the body has no `booking`, `availability`, `order` or `product` object and no `webhook.event`; is this an OCTO webhook?",
    { issues: [{ path: "booking", message: "expected object" }] },
  );
}
