// What is particular to webhooks (`/webhooks`): their checks, the `octo/cart` an `order_update` always
// gets, how an answer is read, and how sync matches (event, url) and compares them.
import { WebhookSchema } from "@octo-webhooks/core";
import { invalidResponse } from "./errors.ts";
import { redactUrl } from "./redact-url.ts";
import { sameHeaders } from "./same-headers.ts";
import type { Kind, RegisteredWebhook, SyncedField, WebhookInput, WebhookPatch } from "./types.ts";
import { urlKey } from "./url-key.ts";

/** The supplier always includes `octo/cart` for `order_update`; say so in the body, so that echoes compare equal. */
const CART = "octo/cart";

/**
 * `input` with `octo/cart` in the `capabilities` of an `order_update` webhook (after `fallback`, the
 * client's capabilities, when the input names none); other webhooks unchanged.
 */
function withCart<T extends WebhookPatch>(input: T, fallback: readonly string[] | undefined): T {
  if (input.event !== "order_update") return input;
  const given = input.capabilities ?? fallback ?? [];
  return { ...input, capabilities: [...new Set([CART, ...given])] };
}

/** The same capabilities in any order (`octo/webhooks`, implied, left out). */
function sameCapabilities(a: readonly string[], b: readonly string[]): boolean {
  const norm = (list: readonly string[]) =>
    JSON.stringify([...new Set(list)].filter((c) => c !== "octo/webhooks").sort());
  return norm(a) === norm(b);
}

function toWebhook(value: unknown, what: string): RegisteredWebhook {
  const result = WebhookSchema.safeParse(value);
  const webhook = result.success ? result.data : undefined;
  if (!webhook || typeof webhook.id !== "string" || typeof webhook.event !== "string") {
    const paths = result.success
      ? ["id", "event"].filter((key) => typeof (webhook as Record<string, unknown>)[key] !== "string")
      : result.error.issues.map((issue) => issue.path.join(".") || "(root)");
    invalidResponse(what, `a webhook (invalid at ${paths.join(", ")})`);
  }
  return webhook as RegisteredWebhook;
}

/** Webhooks, for the calls written once for webhooks and notification subscriptions. */
export const webhookKind: Kind<"webhook", WebhookInput, RegisteredWebhook, SyncedField> = {
  noun: "webhook",
  collection: "webhooks",
  call: "sync",
  fields: {
    event: {
      required: true,
      valid: (event) => typeof event === "string" && event !== "",
      message: '`event` must be a non-empty string such as "booking_update"',
    },
    capabilities: {
      required: false,
      valid: (list) =>
        Array.isArray(list) && list.every((c) => typeof c === "string" && /^[\x21-\x2b\x2d-\x7e]+$/.test(c)),
      message: '`capabilities` must be a list of names like "octo/pricing"',
    },
  },
  booleans: ["active"],
  createBody: withCart,
  // capabilities a patch (or desired entry) leaves out stay out: they are the client's, which the
  // supplier may echo in any form
  patchBody: (patch) => (patch.capabilities === undefined ? patch : withCart(patch, undefined)),
  parse: toWebhook,
  keyOf: ({ event, url }) => {
    const key = urlKey(url);
    return key === undefined ? undefined : `${event} ${key}`;
  },
  synced: ["retryOnError", "useContactLanguage", "headers", "capabilities", "active"],
  same(field, have, want) {
    if (field === "headers")
      return sameHeaders((have ?? {}) as Record<string, string>, want as Record<string, string>);
    if (field === "capabilities") {
      return !Array.isArray(have) || sameCapabilities(have as string[], want as readonly string[]);
    }
    return have === null || have === want;
  },
  repeated: (input) => `${input.event} ${redactUrl(input.url)}`,
};
