import type { IncomingMessage } from "node:http";
import { badRequest, decodeSegment, OctoErrorBody, readJsonBody } from "./octo-error-body.ts";
import { readResourceFields } from "./read-resource-fields.ts";

// The webhooks of the mock supplier's management API: `POST/GET /webhooks`, `PATCH/DELETE /webhooks/:id`.

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

/** What a `POST /webhooks` body sets. */
type WebhookFields = Omit<MockWebhook, "id" | "env">;

/** The fields of a `POST /webhooks` body (all of them) or a `PATCH` body (those present), checked. */
function readWebhookFields(body: unknown, events: readonly string[], partial: boolean) {
  return readResourceFields<WebhookFields>(
    body,
    partial,
    ["retryOnError", "useContactLanguage", "active"],
    (input) => {
      const fields: Partial<WebhookFields> = {};
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
      return fields;
    },
  );
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

/** What the webhook routes work on. */
export interface WebhookState {
  readonly store: Map<string, MockWebhook>;
  readonly events: readonly string[];
  readonly newId: () => string;
  readonly supportsPatch: boolean;
  /** `/octo`, for messages. */
  readonly basePath: string;
}

/**
 * Answers a webhook request (`path` without the base path), already authorized: the answer's body,
 * or an {@link OctoErrorBody} thrown.
 */
export async function manageWebhooks(
  state: WebhookState,
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
  const id = decodeSegment(match[1] as string, "webhook id");
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
