// `createOctoClient`: its options checked (the endpoint, the key, capabilities, retries...), the headers
// every call sends, and the client's parts (webhooks, notifications, read calls, hydrator) made of them.
import type { OctoHydrator } from "@octo-webhooks/core";
import { configError } from "./errors.ts";
import { createScrubber } from "./http/scrub.ts";
import type { ClientLogger, HttpSettings, RetryOptions } from "./http/send.ts";
import { httpUrl, redactUrl } from "./http/urls.ts";
import { hydratorOf } from "./reads/hydrators.ts";
import {
  type OctoAvailabilityApi,
  type OctoBookingsApi,
  type OctoOrdersApi,
  type OctoProductsApi,
  readCalls,
} from "./reads/read-calls.ts";
import { subscriptionKind, webhookKind } from "./registrations/kinds.ts";
import { registrationsApi } from "./registrations/registrations-api.ts";
import type { NotificationsCapability, OctoNotificationsApi, OctoWebhooksApi } from "./types.ts";

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRY: Required<RetryOptions> = { limit: 2, minDelayMs: 250, maxDelayMs: 10_000 };
// visible ASCII: anything else would make `fetch` throw an error that quotes the header value
const TOKEN = /^[\x21-\x7e]+$/;

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

/** What {@link createOctoClient} returns. */
export interface OctoClient {
  /** Create, list, update, delete and sync the supplier's webhooks. */
  readonly webhooks: OctoWebhooksApi;
  /** Create, list, get, update, delete and sync the supplier's OCTO notification subscriptions. */
  readonly notifications: OctoNotificationsApi;
  /** `GET /bookings/{uuid}`, `GET /bookings?localDateStart=&localDateEnd=`. */
  readonly bookings: OctoBookingsApi;
  /** `GET /orders/{id}` (sent with `octo/cart`). */
  readonly orders: OctoOrdersApi;
  /** `POST /availability`. */
  readonly availability: OctoAvailabilityApi;
  /** `GET /products/{id}`, `GET /products`. */
  readonly products: OctoProductsApi;
  /**
   * The function a receiver's `hydrate` option takes: fetches the booking, availability or product a
   * thin notification names with the calls above; resolves `null` when the supplier says it does not
   * exist (404, or `INVALID_BOOKING_UUID`/`INVALID_PRODUCT_ID`/`INVALID_OPTION_ID`) and when the
   * notification names something no read can fetch (an identifier `.`, `..` or over 256 characters,
   * a date that is no date: warned through `logger`), rejects otherwise (core answers 503: retried).
   * A booking or product body over 4 MiB, or an availability body over 16 MiB, rejects with
   * `RESPONSE_TOO_LARGE`.
   */
  hydrator(): OctoHydrator;
}

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
  // webhooks have no GET by id
  const { get: _, ...webhooks } = registrationsApi(settings, webhookKind, options.capabilities);
  const own = options.capabilities ?? [];
  const notifications = registrationsApi(
    {
      ...settings,
      headers: { ...headers, "octo-capabilities": notificationsHeader(options.notificationsCapability, own) },
    },
    subscriptionKind,
  );
  const readHeaders: Record<string, string> = { ...headers };
  if (own.length > 0) readHeaders["octo-capabilities"] = [...new Set(own)].join(", ");
  else delete readHeaders["octo-capabilities"];
  const cartHeaders = { ...headers, "octo-capabilities": [...new Set(["octo/cart", ...own])].join(", ") };
  const reads = readCalls({ ...settings, headers: readHeaders }, { ...settings, headers: cartHeaders });
  return { webhooks, notifications, ...reads, hydrator: () => hydratorOf(reads, settings.logger) };
}

/** The checked `baseUrl` of `createOctoClient`, ending with `/`, without query or fragment. */
function parseBaseUrl(value: string | URL): URL {
  const url = httpUrl(value);
  if (url === undefined) {
    configError(
      URL.canParse(String(value))
        ? "`baseUrl` must be an http(s) URL"
        : "`baseUrl` must be an absolute http(s) URL, e.g. https://api.ventrata.com/octo",
    );
  }
  if (url.username !== "" || url.password !== "") {
    configError(`\`baseUrl\` must not contain credentials (${redactUrl(url)}); pass the key as \`apiKey\``);
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  url.search = "";
  url.hash = "";
  return url;
}

/** The checked `retries` of `createOctoClient`, defaults filled in. */
function retrySettings(retries: number | RetryOptions | undefined): Required<RetryOptions> {
  const given = typeof retries === "number" ? { limit: retries } : (retries ?? {});
  const settings = { ...DEFAULT_RETRY, ...given };
  if (!Number.isInteger(settings.limit) || settings.limit < 0)
    configError("`retries` must be a non-negative integer");
  if (!(settings.minDelayMs >= 0) || !(settings.maxDelayMs >= settings.minDelayMs))
    configError("`retries.minDelayMs` and `retries.maxDelayMs` must be 0 <= minDelayMs <= maxDelayMs");
  return settings;
}

/** The `Octo-Capabilities` of notifications calls: the capability id(s), then the client's own. */
function notificationsHeader(
  capability: NotificationsCapability | undefined,
  own: readonly string[],
): string {
  const chosen = capability ?? "notifications";
  if (chosen !== "notifications" && chosen !== "octo/notifications" && chosen !== "both") {
    configError('`notificationsCapability` must be "notifications", "octo/notifications" or "both"');
  }
  const ids = chosen === "both" ? ["notifications", "octo/notifications"] : [chosen];
  return [...new Set([...ids, ...own])].join(", ");
}
