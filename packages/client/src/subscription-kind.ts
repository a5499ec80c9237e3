// What is particular to OCTO notification subscriptions (`/notifications/subscriptions`): their checks,
// the types sent upper case, how an answer is read leniently, and how sync matches them by URL (one
// subscription holds many types) and compares them.
import { invalidResponse } from "./errors.ts";
import { redactUrl } from "./redact-url.ts";
import { sameHeaders } from "./same-headers.ts";
import type {
  Kind,
  RegisteredSubscription,
  SubscriptionField,
  SubscriptionInput,
  SubscriptionPatch,
} from "./types.ts";
import { urlKey } from "./url-key.ts";

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
