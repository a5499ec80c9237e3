// `client.notifications`: the OCTO `notifications` capability's subscriptions API
// (`POST/GET /notifications/subscriptions`, `GET/PATCH/DELETE /notifications/subscriptions/{id}`).
import { configError, OctoApiError, OctoClientError } from "./errors.ts";
import { isHeaderName } from "./header-name.ts";
import { type HttpSettings, send } from "./http.ts";
import type { NotificationType } from "./notification-types.ts";
import { redactUrl } from "./redact-url.ts";

/** A notification type: the three OCTO ones autocomplete; any case is accepted and sent upper case. */
export type NotificationTypeName = NotificationType | (string & {});

/** What `POST /notifications/subscriptions` takes. */
export interface SubscriptionInput {
  /** Where notifications go; put Basic credentials in it with `webhookUrl()`. */
  url: string;
  /** The types to receive (`["BOOKING_UPDATE"]`...), at least one. */
  notificationTypes: readonly NotificationTypeName[];
  /** Static headers sent with every notification (e.g. `{ "x-api-key": "..." }`). */
  headers?: Record<string, string>;
  /** Whether the supplier retries non-2xx answers (suppliers that support it). */
  retryOnError?: boolean;
  /** Whether the supplier delivers to it (suppliers that support pausing). */
  active?: boolean;
}

/** What `PATCH /notifications/subscriptions/{id}` takes: any field of {@link SubscriptionInput}. */
export type SubscriptionPatch = Partial<SubscriptionInput>;

/**
 * A subscription as the supplier returned it, read leniently: `notificationTypes` comes from
 * `notificationTypes` or the earlier draft's `notification_types`, upper-cased; unknown fields are kept.
 */
export interface RegisteredSubscription {
  id: string;
  url: string | null;
  notificationTypes: string[];
  headers: Record<string, string>;
  retryOnError?: boolean | null;
  active?: boolean | null;
  [field: string]: unknown;
}

/** The supplier's `notifications` subscriptions API (`client.notifications`). */
export interface SubscriptionCalls {
  /** `POST /notifications/subscriptions`: subscribes `url` to `notificationTypes`. */
  create(input: SubscriptionInput, options?: { signal?: AbortSignal }): Promise<RegisteredSubscription>;
  /** `GET /notifications/subscriptions`. */
  list(options?: { signal?: AbortSignal }): Promise<RegisteredSubscription[]>;
  /** `GET /notifications/subscriptions/{id}`. */
  get(id: string, options?: { signal?: AbortSignal }): Promise<RegisteredSubscription>;
  /** `PATCH /notifications/subscriptions/{id}`. */
  update(
    id: string,
    patch: SubscriptionPatch,
    options?: { signal?: AbortSignal },
  ): Promise<RegisteredSubscription>;
  /** `DELETE /notifications/subscriptions/{id}`. */
  delete(id: string, options?: { signal?: AbortSignal }): Promise<void>;
}

const COLLECTION = "notifications/subscriptions";

/** Upper-cased, deduplicated, in the given order. */
export const normaliseTypes = (types: readonly string[]): string[] => [
  ...new Set(types.map((t) => t.toUpperCase())),
];

/** Catches obvious mistakes before a request is sent (the supplier validates the rest). */
export function checkSubscription(input: SubscriptionPatch, required: boolean): void {
  if (typeof input !== "object" || input === null) configError("the subscription must be an object");
  if (required || input.url !== undefined) {
    let url: URL | undefined;
    try {
      url = typeof input.url === "string" ? new URL(input.url) : undefined;
    } catch {}
    if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
      configError("`url` must be an absolute http(s) URL");
    }
  }
  if (required || input.notificationTypes !== undefined) {
    const list: unknown = input.notificationTypes;
    if (
      !Array.isArray(list) ||
      list.length === 0 ||
      !list.every((t) => typeof t === "string" && /^[A-Za-z_]{1,64}$/.test(t))
    ) {
      configError(
        '`notificationTypes` must be a non-empty list such as ["BOOKING_UPDATE", "PRODUCT_UPDATE"]',
      );
    }
  }
  for (const key of ["active", "retryOnError"] as const) {
    if (input[key] !== undefined && typeof input[key] !== "boolean")
      configError(`\`${key}\` must be a boolean`);
  }
  if (input.headers !== undefined) {
    if (typeof input.headers !== "object" || input.headers === null)
      configError("`headers` must be a record of strings");
    for (const [name, value] of Object.entries(input.headers)) {
      if (!isHeaderName(name)) configError(`\`headers\`: "${name}" is not a header name`);
      if (typeof value !== "string" || /[\r\n\0]/.test(value)) {
        configError(`\`headers\`: the value of "${name}" must be a string without line breaks`);
      }
    }
  }
}

/** The body sent: types upper-cased. */
function bodyOf(input: SubscriptionPatch): Record<string, unknown> {
  const body: Record<string, unknown> = { ...input };
  if (input.notificationTypes !== undefined) body.notificationTypes = normaliseTypes(input.notificationTypes);
  return body;
}

/** A subscription from the supplier's answer, or an `INVALID_RESPONSE` error naming what is wrong. */
export function toSubscription(value: unknown, what: string): RegisteredSubscription {
  const record = typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
  const fields = (record ?? {}) as Record<string, unknown>;
  const types = fields.notificationTypes ?? fields.notification_types;
  const wrong = [
    typeof fields.id !== "string" && typeof fields.id !== "number" ? "id" : "",
    !Array.isArray(types) || !types.every((t) => typeof t === "string") ? "notificationTypes" : "",
    fields.url !== undefined && fields.url !== null && typeof fields.url !== "string" ? "url" : "",
  ].filter((w) => w !== "");
  if (record === undefined || wrong.length > 0) {
    throw new OctoClientError(
      "INVALID_RESPONSE",
      `${what} answered something that is not a notification subscription (invalid at ${record === undefined ? "(root)" : wrong.join(", ")}); is \`baseUrl\` the supplier's OCTO endpoint?`,
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

/** `notifications/subscriptions/<id>`, the id percent-encoded; `.` and `..` refused. */
function pathOf(id: string): string {
  if (typeof id !== "string" || id === "") configError("the subscription id must be a non-empty string");
  if (id === "." || id === "..") {
    configError(
      `the subscription id must not be "${id}" (it would address another path than one subscription)`,
    );
  }
  return `${COLLECTION}/${encodeURIComponent(id)}`;
}

/** The calls of `client.notifications` but `sync`/`plan`, over `settings` (which carry the capability). */
export function subscriptionCalls(settings: HttpSettings): SubscriptionCalls {
  return {
    async create(input, options) {
      checkSubscription(input, true);
      const { body } = await send(settings, "POST", COLLECTION, bodyOf(input), options?.signal);
      return toSubscription(body, "POST /notifications/subscriptions");
    },
    async list(options) {
      const { body } = await send(settings, "GET", COLLECTION, undefined, options?.signal);
      if (!Array.isArray(body)) {
        throw new OctoClientError(
          "INVALID_RESPONSE",
          "GET /notifications/subscriptions answered something that is not a list of subscriptions; is `baseUrl` the supplier's OCTO endpoint?",
        );
      }
      return body.map((item, i) => toSubscription(item, `GET /notifications/subscriptions [${i}]`));
    },
    async get(id, options) {
      const { body } = await send(settings, "GET", pathOf(id), undefined, options?.signal);
      return toSubscription(body, "GET /notifications/subscriptions/:id");
    },
    async update(id, patch, options) {
      const path = pathOf(id);
      checkSubscription(patch, false);
      if (Object.keys(patch).length === 0) configError("`update` needs at least one field to change");
      const { body } = await send(settings, "PATCH", path, bodyOf(patch), options?.signal);
      return toSubscription(body, "PATCH /notifications/subscriptions/:id");
    },
    async delete(id, options) {
      const path = pathOf(id);
      const { status, body } = await send(settings, "DELETE", path, undefined, options?.signal);
      const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
      if (record.success === false) {
        const message =
          typeof record.message === "string" ? settings.scrub(record.message).slice(0, 1000) : "(no message)";
        throw new OctoApiError(status, "DELETE_FAILED", message, {
          method: "DELETE",
          url: redactUrl(new URL(path, settings.baseUrl)),
          attempts: 1,
        });
      }
    },
  };
}
