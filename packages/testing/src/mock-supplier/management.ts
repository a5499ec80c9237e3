import type { IncomingMessage } from "node:http";
import { isHeaderName } from "../header-name.ts";
import { badRequest, OctoErrorBody, readJsonBody } from "./octo-error-body.ts";

// The management routes of the mock supplier: `POST/GET /webhooks`, `PATCH/DELETE /webhooks/:id`.

/** A webhook as the mock supplier stores it. */
export interface MockWebhook {
  id: string;
  event: string;
  /** As registered, credentials included (so that `sync` can match it). */
  url: string;
  retryOnError: boolean;
  useContactLanguage: boolean;
  headers: Record<string, string>;
  /**
   * The body's `capabilities`, else `Octo-Capabilities` at creation, without `octo/webhooks`; decides
   * the fields deliveries carry. An `order_update` webhook always has `octo/cart`.
   */
  capabilities: string[];
  /** Whether it is delivered to (default `true`); an inactive webhook gets no deliveries. */
  active: boolean;
  /** From `Octo-Env` at creation; `"live"` makes deliveries carry `testMode: false`. */
  env: "test" | "live" | undefined;
}

const bad = badRequest;

/**
 * Checks the fields of a `POST /webhooks` body (all of them) or a `PATCH` body (those present), the way
 * a supplier would. Messages name the field, never its value (a URL can carry credentials).
 */
export function readWebhookFields(
  body: unknown,
  events: readonly string[],
  partial: boolean,
): Partial<Omit<MockWebhook, "id" | "env">> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw bad("the body must be a JSON object");
  }
  const input = body as Record<string, unknown>;
  const fields: Partial<Omit<MockWebhook, "id" | "env">> = {};
  if (!partial || input.url !== undefined) {
    let url: URL | undefined;
    try {
      url = typeof input.url === "string" ? new URL(input.url) : undefined;
    } catch {}
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
      throw bad("url is required and must be an absolute http(s) URL");
    }
    fields.url = input.url as string;
  }
  if (!partial || input.event !== undefined) {
    if (typeof input.event !== "string" || !events.includes(input.event)) {
      throw bad(`event must be one of ${events.join(", ")}`);
    }
    fields.event = input.event;
  }
  if (input.capabilities !== undefined) {
    const list = input.capabilities;
    if (!Array.isArray(list) || !list.every((c) => typeof c === "string" && c.length <= 100)) {
      throw bad("capabilities must be an array of capability ids (strings)");
    }
    fields.capabilities = list.filter((c) => c !== "octo/webhooks");
  }
  for (const key of ["retryOnError", "useContactLanguage", "active"] as const) {
    if (input[key] === undefined) continue;
    if (typeof input[key] !== "boolean") throw bad(`${key} must be a boolean`);
    fields[key] = input[key];
  }
  if (input.headers !== undefined) {
    const headers = input.headers;
    if (typeof headers !== "object" || headers === null || Array.isArray(headers)) {
      throw bad("headers must be an object of header names to string values");
    }
    for (const [name, value] of Object.entries(headers)) {
      if (!isHeaderName(name) || typeof value !== "string" || /[\r\n\0]/.test(value)) {
        throw bad("headers must be an object of header names to string values");
      }
    }
    fields.headers = { ...(headers as Record<string, string>) };
  }
  return fields;
}

/** The supplier always includes `octo/cart` for `order_update` (the order is the cart). */
function withCart(webhook: MockWebhook): void {
  if (webhook.event === "order_update" && !webhook.capabilities.includes("octo/cart")) {
    webhook.capabilities = ["octo/cart", ...webhook.capabilities];
  }
}

/** What the management API returns for a webhook. */
export function publicWebhook(webhook: MockWebhook) {
  const { env: _env, ...shown } = webhook;
  return { ...shown, headers: { ...shown.headers }, capabilities: [...shown.capabilities] };
}

/** `Octo-Capabilities: octo/webhooks, octo/pricing` -> `["octo/webhooks", "octo/pricing"]`. */
export function parseCapabilities(header: string | undefined): string[] {
  return (header ?? "")
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "");
}

/** What the management routes work on. */
export interface ManagementState {
  readonly store: Map<string, MockWebhook>;
  readonly events: readonly string[];
  readonly newId: () => string;
  readonly supportsPatch: boolean;
  /** `/octo`, for messages. */
  readonly basePath: string;
}

/**
 * Answers a management request (`path` without the base path), already authorized: the answer's body,
 * or an {@link OctoErrorBody} thrown.
 */
export async function manageWebhooks(
  state: ManagementState,
  req: IncomingMessage,
  path: string,
  capabilities: string[],
  env: MockWebhook["env"],
): Promise<unknown> {
  if (!capabilities.includes("octo/webhooks")) {
    throw bad("add octo/webhooks to the Octo-Capabilities header to use webhooks");
  }
  const { store, events, basePath } = state;
  const method = req.method ?? "";
  if (path === "/webhooks") {
    if (method === "GET") return [...store.values()].map(publicWebhook);
    if (method === "POST") {
      const fields = readWebhookFields(await readJsonBody(req), events, false);
      const webhook: MockWebhook = {
        id: state.newId(),
        event: fields.event as string,
        url: fields.url as string,
        retryOnError: fields.retryOnError ?? true,
        useContactLanguage: fields.useContactLanguage ?? false,
        headers: fields.headers ?? {},
        capabilities: fields.capabilities ?? capabilities.filter((c) => c !== "octo/webhooks"),
        active: fields.active ?? true,
        env,
      };
      withCart(webhook);
      store.set(webhook.id, webhook);
      return publicWebhook(webhook);
    }
    throw new OctoErrorBody(
      405,
      "METHOD_NOT_ALLOWED",
      `${method} is not allowed on /webhooks; use GET or POST`,
    );
  }
  const match = /^\/webhooks\/([^/]+)$/.exec(path);
  if (!match) throw new OctoErrorBody(404, "NOT_FOUND", `no route ${method} ${basePath}${path}`);
  let id: string;
  try {
    id = decodeURIComponent(match[1] as string);
  } catch {
    throw bad("the webhook id in the path is not valid percent-encoding");
  }
  if (method === "PATCH" && !state.supportsPatch) {
    throw new OctoErrorBody(404, "NOT_FOUND", `no route PATCH ${basePath}/webhooks/:id`);
  }
  if (method !== "PATCH" && method !== "DELETE") {
    throw new OctoErrorBody(
      405,
      "METHOD_NOT_ALLOWED",
      `${method} is not allowed on /webhooks/:id; use PATCH or DELETE`,
    );
  }
  const webhook = store.get(id);
  if (webhook === undefined) {
    throw new OctoErrorBody(404, "INVALID_WEBHOOK_ID", "no webhook has this id", {
      webhookId: id.slice(0, 100),
    });
  }
  if (method === "DELETE") {
    store.delete(id);
    return publicWebhook(webhook);
  }
  Object.assign(webhook, readWebhookFields(await readJsonBody(req), events, true));
  withCart(webhook);
  return publicWebhook(webhook);
}
