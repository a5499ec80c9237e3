import { type Webhook, WebhookSchema } from "@octo-webhooks/core";
import { checkInput, withCart } from "./check-input.ts";
import { DEFAULT_TIMEOUT_MS, parseBaseUrl, retrySettings, TOKEN } from "./client-settings.ts";
import { configError, OctoApiError, OctoClientError } from "./errors.ts";
import { type ClientLogger, type HttpSettings, type RetryOptions, send } from "./http.ts";
import { hydratorOf } from "./hydrator.ts";
import type { OctoHydrator } from "./notification-types.ts";
import {
  type NotificationsCapability,
  notificationsApi,
  notificationsHeader,
  type OctoNotificationsApi,
} from "./notifications-api.ts";
import { type OctoAvailabilityApi, type OctoBookingsApi, type OctoProductsApi, readCalls } from "./reads.ts";
import { redactUrl } from "./redact-url.ts";
import { createScrubber } from "./scrub.ts";
import {
  applySync,
  checkDesired,
  planSync,
  type SupplierTraits,
  type SyncOptions,
  type SyncPlan,
  type SyncResult,
} from "./sync.ts";

/** An event a webhook can subscribe to; known ones autocomplete, newer ones are accepted. */
export type WebhookEvent =
  | "booking_update"
  | "availability_update"
  | "order_update"
  | "product_update"
  | (string & {});

/** What `POST /webhooks` takes. */
export interface WebhookInput {
  /** Where deliveries go; put Basic credentials in it with `webhookUrl()`. */
  url: string;
  /** The event to subscribe to. */
  event: WebhookEvent;
  /** Whether the supplier retries non-2xx answers (OCTO default: true). */
  retryOnError?: boolean;
  /** Whether the supplier writes deliveries in the booking contact's language (translated content). */
  useContactLanguage?: boolean;
  /** Static headers sent with every delivery (e.g. `{ "x-api-key": "..." }`). */
  headers?: Record<string, string>;
  /**
   * Capabilities the supplier activates before triggering this webhook, which decide the data its
   * deliveries carry (`["octo/pricing"]`...). An `order_update` webhook always gets `octo/cart` (added
   * when missing, after the client's `capabilities` when this is left out).
   */
  capabilities?: readonly string[];
  /** Whether the supplier delivers to it (supplier default: true); `false` pauses it without deleting it. */
  active?: boolean;
}

/** What `PATCH /webhooks/:id` takes: any field of {@link WebhookInput}. */
export type WebhookPatch = Partial<WebhookInput>;

/** A webhook as the supplier returned it: `id` and `event` are always there; unknown fields are kept. */
export type RegisteredWebhook = Webhook & {
  id: string;
  event: NonNullable<Webhook["event"]>;
  /** Whether the supplier delivers to it (suppliers that support pausing a webhook echo it). */
  active?: boolean | null;
};

/** Options every management call takes. */
export interface RequestOptions {
  /** Cancels the request (and its retries). */
  signal?: AbortSignal;
}

/** Options of {@link createOctoClient}: the supplier's endpoint and key are required. */
export interface OctoClientOptions {
  /** The supplier's OCTO endpoint, e.g. `https://api.ventrata.com/octo`. */
  baseUrl: string | URL;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** Added to `Octo-Capabilities` after `octo/webhooks`; decides which fields later deliveries carry. */
  capabilities?: readonly string[];
  /** Sent as `Octo-Env` when set. */
  env?: "test" | "live";
  /**
   * The capability id notifications calls send in `Octo-Capabilities`: `"notifications"` (default, the
   * OCTO specification's), `"octo/notifications"` (some suppliers' spelling) or `"both"`.
   */
  notificationsCapability?: NotificationsCapability;
  /** A `fetch` implementation (default: the global one). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Time allowed for each attempt, answer and body included, in ms (default 10 000). */
  timeoutMs?: number;
  /** Retries of network errors, timeouts and 5xx: a count (default 2) or {@link RetryOptions}. */
  retries?: number | RetryOptions;
  /** Where retries are reported (default: nowhere). */
  logger?: ClientLogger;
}

/**
 * The supplier's webhook management API (`client.webhooks`). Every call takes `{ signal }`, throws an
 * `OctoApiError` for an OCTO error answer and an `OctoClientError` otherwise.
 */
export interface OctoWebhooksApi {
  /** `POST /webhooks`. */
  create(input: WebhookInput, options?: RequestOptions): Promise<RegisteredWebhook>;
  /** `GET /webhooks`. */
  list(options?: RequestOptions): Promise<RegisteredWebhook[]>;
  /** `PATCH /webhooks/:id` (newer suppliers). */
  update(id: string, patch: WebhookPatch, options?: RequestOptions): Promise<RegisteredWebhook>;
  /** `DELETE /webhooks/:id`. */
  delete(id: string, options?: RequestOptions): Promise<void>;
  /** What `sync(desired)` would do, without doing it. */
  plan(desired: readonly WebhookInput[], options?: Pick<SyncOptions, "prune" | "signal">): Promise<SyncPlan>;
  /**
   * Makes the supplier's webhooks exactly `desired`: creates what is missing, updates changed
   * `retryOnError`/`useContactLanguage`/`headers`/`capabilities`/`active` (PATCH, or delete + create when the supplier has no
   * PATCH), deletes what is not desired (unless `prune: false`). Webhooks are matched by (event, url).
   * Running it twice changes nothing the second time.
   */
  sync(desired: readonly WebhookInput[], options?: SyncOptions): Promise<SyncResult>;
}

/** What {@link createOctoClient} returns. */
export interface OctoClient {
  /** Create, list, update, delete and sync the supplier's webhooks. */
  readonly webhooks: OctoWebhooksApi;
  /** Create, list, get, update, delete and sync the supplier's OCTO notification subscriptions. */
  readonly notifications: OctoNotificationsApi;
  /** `GET /bookings/{uuid}`. */
  readonly bookings: OctoBookingsApi;
  /** `POST /availability`. */
  readonly availability: OctoAvailabilityApi;
  /** `GET /products/{id}`. */
  readonly products: OctoProductsApi;
  /**
   * The function a receiver's `hydrate` option takes: fetches the booking, availability or product a
   * thin notification names with the calls above; resolves `null` when the supplier says it does not
   * exist (404, or `INVALID_BOOKING_UUID`/`INVALID_PRODUCT_ID`/`INVALID_OPTION_ID`), rejects otherwise.
   */
  hydrator(): OctoHydrator;
}

function toWebhook(value: unknown, what: string): RegisteredWebhook {
  const result = WebhookSchema.safeParse(value);
  const webhook = result.success ? result.data : undefined;
  if (!webhook || typeof webhook.id !== "string" || typeof webhook.event !== "string") {
    const paths = result.success
      ? ["id", "event"].filter((key) => typeof (webhook as Record<string, unknown>)[key] !== "string")
      : result.error.issues.map((issue) => issue.path.join(".") || "(root)");
    throw new OctoClientError(
      "INVALID_RESPONSE",
      `${what} answered something that is not a webhook (invalid at ${paths.join(", ")}); is \`baseUrl\` the supplier's OCTO endpoint?`,
    );
  }
  return webhook as RegisteredWebhook;
}

/** `webhooks/<id>`, the id percent-encoded; `.` and `..` would be read as dot-segments, so they are refused. */
const pathOf = (id: string) => {
  if (typeof id !== "string" || id === "") configError("the webhook id must be a non-empty string");
  if (id === "." || id === "..") {
    configError(`the webhook id must not be "${id}" (it would address another path than one webhook)`);
  }
  return `webhooks/${encodeURIComponent(id)}`;
};

/**
 * Creates a client of a supplier's OCTO webhook management API. It sends `Authorization: Bearer`,
 * `Octo-Capabilities` (always with `octo/webhooks`) and `Octo-Env` when set; validates answers
 * leniently; retries network errors, timeouts and 5xx with backoff; throws {@link OctoApiError} for
 * OCTO error bodies. Runs on Node >= 20 and on Web-standard runtimes.
 *
 * @example
 * ```ts
 * import { createOctoClient, webhookUrl } from "@octo-webhooks/client";
 *
 * const client = createOctoClient({ baseUrl: "https://api.ventrata.com/octo", apiKey: process.env.OCTO_API_KEY! });
 * await client.webhooks.sync([
 *   { event: "booking_update", url: webhookUrl("https://shop.example/hooks/octo", { username: "octo", password: "s3cret" }) },
 * ]);
 * ```
 */
export function createOctoClient(options: OctoClientOptions): OctoClient {
  if (typeof options !== "object" || options === null) configError("options must be an object");
  const baseUrl = parseBaseUrl(options.baseUrl);
  const { apiKey } = options;
  if (typeof apiKey !== "string" || apiKey === "") configError("`apiKey` must be a non-empty string");
  if (!TOKEN.test(apiKey))
    configError("`apiKey` must be printable ASCII without spaces; check for a stray newline");
  const capabilities = ["octo/webhooks", ...(options.capabilities ?? [])];
  for (const capability of capabilities) {
    if (typeof capability !== "string" || !/^[\x21-\x2b\x2d-\x7e]+$/.test(capability)) {
      configError('`capabilities` must be names like "octo/pricing"');
    }
  }
  const headers: Record<string, string> = {
    accept: "application/json",
    authorization: `Bearer ${apiKey}`,
    "octo-capabilities": [...new Set(capabilities)].join(", "),
  };
  if (options.env !== undefined) {
    if (options.env !== "test" && options.env !== "live") configError('`env` must be "test" or "live"');
    headers["octo-env"] = options.env;
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) configError("`timeoutMs` must be a positive number of milliseconds");
  if (options.fetch !== undefined && typeof options.fetch !== "function")
    configError("`fetch` must be a function");
  const fetchImpl = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));

  const settings: HttpSettings = {
    baseUrl,
    headers,
    fetch: fetchImpl,
    timeoutMs,
    retry: retrySettings(options.retries),
    logger: options.logger ?? {},
    // suppliers' messages may echo the key, a webhook URL with its credentials or its headers
    scrub: createScrubber(apiKey),
  };
  // learnt by the first `sync` that needs an update; saves later syncs a failing PATCH
  const supplier: SupplierTraits = { patchSupported: undefined };

  const webhooks: OctoWebhooksApi = {
    async create(input, requestOptions) {
      checkInput(input, true);
      const sent = withCart(input, options.capabilities);
      const { body } = await send(settings, "POST", "webhooks", sent, requestOptions?.signal);
      return toWebhook(body, "POST /webhooks");
    },
    async list(requestOptions) {
      const { body } = await send(settings, "GET", "webhooks", undefined, requestOptions?.signal);
      if (!Array.isArray(body)) {
        throw new OctoClientError(
          "INVALID_RESPONSE",
          "GET /webhooks answered something that is not a list of webhooks; is `baseUrl` the supplier's OCTO endpoint?",
        );
      }
      return body.map((item, i) => toWebhook(item, `GET /webhooks [${i}]`));
    },
    async update(id, patch, requestOptions) {
      const path = pathOf(id);
      checkInput(patch, false);
      if (Object.keys(patch).length === 0) configError("`update` needs at least one field to change");
      const sent = patch.capabilities === undefined ? patch : withCart(patch, undefined);
      const { body } = await send(settings, "PATCH", path, sent, requestOptions?.signal);
      return toWebhook(body, "PATCH /webhooks/:id");
    },
    async delete(id, requestOptions) {
      const { status, body } = await send(settings, "DELETE", pathOf(id), undefined, requestOptions?.signal);
      // some suppliers answer 200 { success: false, message } instead of an error status
      const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
      if (record.success === false) {
        const message =
          typeof record.message === "string" ? settings.scrub(record.message).slice(0, 1000) : "(no message)";
        throw new OctoApiError(status, "DELETE_FAILED", message, {
          method: "DELETE",
          url: redactUrl(new URL(pathOf(id), baseUrl)),
          attempts: 1,
        });
      }
    },
    async plan(desired, syncOptions) {
      checkDesired(desired);
      return planSync(desired, await webhooks.list(syncOptions), syncOptions ?? {});
    },
    async sync(desired, syncOptions = {}) {
      return applySync(await webhooks.plan(desired, syncOptions), webhooks, syncOptions, supplier);
    },
  };
  const own = options.capabilities ?? [];
  const notifications = notificationsApi({
    ...settings,
    headers: { ...headers, "octo-capabilities": notificationsHeader(options.notificationsCapability, own) },
  });
  const readHeaders: Record<string, string> = { ...headers };
  if (own.length > 0) readHeaders["octo-capabilities"] = [...new Set(own)].join(", ");
  else delete readHeaders["octo-capabilities"];
  const reads = readCalls({ ...settings, headers: readHeaders });
  return { webhooks, notifications, ...reads, hydrator: () => hydratorOf(reads) };
}
