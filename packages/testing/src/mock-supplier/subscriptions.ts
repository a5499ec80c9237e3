import type { IncomingMessage } from "node:http";
import { badRequest, decodeSegment, OctoErrorBody, readJsonBody } from "./octo-error-body.ts";
import { readResourceFields } from "./read-resource-fields.ts";

// The mock supplier's OCTO `notifications` subscriptions: `POST/GET /notifications/subscriptions`,
// `GET/PATCH/DELETE /notifications/subscriptions/{id}`; the draft's spelling `/notifications/subcriptions`
// is served too. Bodies take `notificationTypes` or the earlier draft's `notification_types`, in any case.

/** The notification types the mock supplier delivers. */
export const NOTIFICATION_TYPES = ["BOOKING_UPDATE", "AVAILABILITY_UPDATE", "PRODUCT_UPDATE"] as const;

/** A notification subscription as the mock supplier stores it. */
export interface MockSubscription {
  id: string;
  /** As registered, credentials included. */
  url: string;
  /** Upper case. */
  notificationTypes: string[];
  headers: Record<string, string>;
  /** Whether failed notifications are retried (default `true`). */
  retryOnError: boolean;
  /** Whether it is delivered to (default `true`). */
  active: boolean;
}

const COLLECTION = /^\/notifications\/sub(?:s)?criptions$/;
const ONE = /^\/notifications\/sub(?:s)?criptions\/([^/]+)$/;

/** Whether `path` is one of the subscription routes. */
export const isSubscriptionPath = (path: string) => COLLECTION.test(path) || ONE.test(path);

/** The fields of a `POST` body (all of them) or a `PATCH` body (those present), checked. */
function readFields(body: unknown, partial: boolean) {
  return readResourceFields<Omit<MockSubscription, "id">>(
    body,
    partial,
    ["retryOnError", "active"],
    (input) => {
      const types = input.notificationTypes ?? input.notification_types;
      if (partial && types === undefined) return {};
      const known: readonly string[] = NOTIFICATION_TYPES;
      if (
        !Array.isArray(types) ||
        types.length === 0 ||
        !types.every((t) => typeof t === "string" && known.includes(t.toUpperCase()))
      ) {
        throw badRequest(`notificationTypes must be a non-empty list of ${NOTIFICATION_TYPES.join(", ")}`);
      }
      return { notificationTypes: [...new Set(types.map((t: string) => t.toUpperCase()))] };
    },
  );
}

/** What the API returns for a subscription (a copy). */
export const publicSubscription = (s: MockSubscription) => ({
  ...s,
  notificationTypes: [...s.notificationTypes],
  headers: { ...s.headers },
});

/** What the subscription routes work on. */
export interface SubscriptionState {
  readonly subscriptions: Map<string, MockSubscription>;
  readonly newId: () => string;
  readonly supportsPatch: boolean;
  readonly basePath: string;
}

/**
 * Answers a subscription request (`path` without the base path), already authorized: the answer's body,
 * or an {@link OctoErrorBody} thrown.
 */
export async function manageSubscriptions(
  state: SubscriptionState,
  req: IncomingMessage,
  path: string,
  capabilities: readonly string[],
): Promise<unknown> {
  if (!capabilities.includes("notifications") && !capabilities.includes("octo/notifications")) {
    throw badRequest(
      "add notifications (or octo/notifications) to the Octo-Capabilities header to use notifications",
    );
  }
  const { subscriptions, basePath } = state;
  const method = req.method ?? "";
  if (COLLECTION.test(path)) {
    if (method === "GET") return [...subscriptions.values()].map(publicSubscription);
    if (method !== "POST") {
      throw new OctoErrorBody(405, "METHOD_NOT_ALLOWED", `${method} is not allowed here; use GET or POST`);
    }
    const fields = readFields(await readJsonBody(req), false);
    const subscription: MockSubscription = {
      id: state.newId(),
      url: fields.url as string,
      notificationTypes: fields.notificationTypes as string[],
      headers: fields.headers ?? {},
      retryOnError: fields.retryOnError ?? true,
      active: fields.active ?? true,
    };
    subscriptions.set(subscription.id, subscription);
    return publicSubscription(subscription);
  }
  const match = ONE.exec(path);
  if (!match) throw new OctoErrorBody(404, "NOT_FOUND", `no route ${method} ${basePath}${path}`);
  const id = decodeSegment(match[1] as string, "subscription id");
  if (method === "PATCH" && !state.supportsPatch) {
    throw new OctoErrorBody(404, "NOT_FOUND", `no route PATCH ${basePath}/notifications/subscriptions/:id`);
  }
  if (method !== "GET" && method !== "PATCH" && method !== "DELETE") {
    throw new OctoErrorBody(
      405,
      "METHOD_NOT_ALLOWED",
      `${method} is not allowed here; use GET, PATCH or DELETE`,
    );
  }
  const subscription = subscriptions.get(id);
  if (subscription === undefined) {
    throw new OctoErrorBody(404, "INVALID_SUBSCRIPTION_ID", "no subscription has this id", {
      subscriptionId: id.slice(0, 100),
    });
  }
  if (method === "DELETE") subscriptions.delete(id);
  if (method === "PATCH") Object.assign(subscription, readFields(await readJsonBody(req), true));
  return publicSubscription(subscription);
}
