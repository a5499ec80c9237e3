// What differs between webhooks (`/webhooks`) and OCTO notification subscriptions
// (`/notifications/subscriptions`), for the calls written once for both: their checks, the bodies sent,
// how an answer is read leniently, and how sync matches and compares them. A webhook's `order_update`
// always gets `octo/cart` and is matched by (event, url); a subscription's types are sent upper case and
// it is matched by URL (one subscription holds many types).
import { WebhookSchema } from "@octo-webhooks/core/schemas";
import { invalidResponse } from "../errors.ts";
import { redactUrl } from "../http/urls.ts";
import type {
  Kind,
  RegisteredSubscription,
  RegisteredWebhook,
  SubscriptionField,
  SubscriptionInput,
  SubscriptionPatch,
  SyncedField,
  WebhookInput,
  WebhookPatch,
} from "../types.ts";

/** A URL as sync matches it: normalised when it parses, as given when not; `undefined` when it is no string. */
function urlKey(url: string | null | undefined): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

/** Whether two header records hold the same values (names in any case and order). */
function sameHeaders(a: Record<string, string>, b: Record<string, string>): boolean {
  const norm = (h: Record<string, string>) =>
    JSON.stringify(
      Object.entries(h)
        .map(([k, v]) => [k.toLowerCase(), v])
        .sort(([x], [y]) => ((x as string) < (y as string) ? -1 : 1)),
    );
  return norm(a) === norm(b);
}

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

/** Upper-cased, deduplicated, in the given order. */
const normaliseTypes = (types: readonly string[]): string[] => [
  ...new Set(types.map((t) => t.toUpperCase())),
];

/** The body sent: types upper-cased. */
function bodyOf(input: SubscriptionPatch): SubscriptionPatch {
  const body: SubscriptionPatch = { ...input };
  if (input.notificationTypes !== undefined) body.notificationTypes = normaliseTypes(input.notificationTypes);
  return body;
}

/** A subscription from the supplier's answer, or an `INVALID_RESPONSE` error naming what is wrong. */
function toSubscription(value: unknown, what: string): RegisteredSubscription {
  const record = typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
  const fields = (record ?? {}) as Record<string, unknown>;
  const types = fields.notificationTypes ?? fields.notification_types;
  const wrong = [
    typeof fields.id !== "string" && typeof fields.id !== "number" ? "id" : "",
    !Array.isArray(types) || !types.every((t) => typeof t === "string") ? "notificationTypes" : "",
    fields.url !== undefined && fields.url !== null && typeof fields.url !== "string" ? "url" : "",
  ].filter((w) => w !== "");
  if (record === undefined || wrong.length > 0) {
    invalidResponse(
      what,
      `a notification subscription (invalid at ${record === undefined ? "(root)" : wrong.join(", ")})`,
    );
  }
  const { notification_types: _legacy, ...rest } = fields;
  const headers = typeof fields.headers === "object" && fields.headers !== null ? fields.headers : {};
  return {
    ...rest,
    id: String(fields.id),
    url: (fields.url as string | null | undefined) ?? null,
    notificationTypes: normaliseTypes(types as string[]),
    headers: { ...(headers as Record<string, string>) },
  };
}

/** Notification subscriptions, for the calls written once for webhooks and notification subscriptions. */
export const subscriptionKind: Kind<
  "subscription",
  SubscriptionInput,
  RegisteredSubscription,
  SubscriptionField
> = {
  noun: "subscription",
  collection: "notifications/subscriptions",
  call: "notifications.sync",
  fields: {
    notificationTypes: {
      required: true,
      valid: (list) =>
        Array.isArray(list) &&
        list.length > 0 &&
        list.every((t) => typeof t === "string" && /^[A-Za-z_]{1,64}$/.test(t)),
      message: '`notificationTypes` must be a non-empty list such as ["BOOKING_UPDATE", "PRODUCT_UPDATE"]',
    },
  },
  booleans: ["active", "retryOnError"],
  createBody: bodyOf,
  patchBody: bodyOf,
  parse: toSubscription,
  keyOf: ({ url }) => urlKey(url),
  synced: ["notificationTypes", "headers", "retryOnError", "active"],
  same(field, have, want) {
    if (have === null) return true;
    if (field === "notificationTypes") {
      const norm = (types: readonly string[]) => JSON.stringify(normaliseTypes(types).sort());
      return norm(have as string[]) === norm(want as readonly string[]);
    }
    if (field === "headers")
      return sameHeaders(have as Record<string, string>, want as Record<string, string>);
    return have === want;
  },
  repeated: (input) => `${redactUrl(input.url)}; list every type of a URL in one entry`,
};
