import type { IncomingMessage } from "node:http";
import { type OctoClient, webhookUrl } from "@octo-webhooks/client";
import type { MockSupplier } from "@octo-webhooks/testing";
import { HttpError, readJson } from "./http.ts";
import { bodyOf, SEND_KINDS } from "./kinds.ts";
import { deliveryView, maskUrl, subscriptionView } from "./view.ts";

// The inspector's JSON API, under /api/: what the page reads and does. Subscriptions go through the
// management API with @octo-webhooks/client, as a client of the supplier sees them.

/** What the API works on. */
export interface ApiContext {
  readonly supplier: MockSupplier;
  readonly client: OctoClient;
  /** The supplier's OCTO endpoint as reached through the inspector's port. */
  readonly supplierUrl: string;
  readonly retrySchedule: readonly number[];
  /** Whether the API key is the public default (then it is shown). */
  readonly defaultKey: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const text = (value: unknown, name: string): string => {
  if (typeof value !== "string" || value === "") throw new HttpError(400, `${name} is required`);
  return value;
};

async function send(context: ApiContext, input: unknown) {
  if (!isRecord(input)) throw new HttpError(400, "send a JSON object");
  const kind = SEND_KINDS.find((k) => k.id === input.kind);
  if (kind === undefined)
    throw new HttpError(400, `kind must be one of ${SEND_KINDS.map((k) => k.id).join(", ")}`);
  const body = input.body === undefined ? bodyOf(kind, "inspector") : input.body;
  if (!isRecord(body)) throw new HttpError(400, "body must be a JSON object");
  const subscribed = context.supplier.webhooks.filter((w) => w.event === kind.event).length;
  if (subscribed === 0) {
    throw new HttpError(409, `no webhook is registered for ${kind.event}: add one under Subscriptions`);
  }
  const before = context.supplier.deliveries.length;
  void context.supplier.simulate.event(kind.event, body);
  return { deliveries: context.supplier.deliveries.slice(before).map((d) => d.id) };
}

async function subscribe(context: ApiContext, input: unknown) {
  if (!isRecord(input)) throw new HttpError(400, "send a JSON object");
  let url = text(input.url, "url");
  const username = typeof input.username === "string" ? input.username : "";
  const password = typeof input.password === "string" ? input.password : "";
  try {
    if (username !== "" || password !== "") url = webhookUrl(url, { username, password });
    new URL(url);
  } catch {
    throw new HttpError(400, "url must be an absolute http(s) URL");
  }
  const headers: Record<string, string> = {};
  if (input.headerName !== undefined && input.headerName !== "") {
    headers[text(input.headerName, "headerName")] = text(input.headerValue, "headerValue");
  }
  const created = await context.client.webhooks.create({
    event: text(input.event, "event"),
    url,
    retryOnError: input.retryOnError !== false,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
  });
  return subscriptionView(created);
}

/** Answers `GET/POST /api/...`; `undefined` when no route matches. */
export async function answerApi(
  context: ApiContext,
  req: IncomingMessage,
  path: string,
  url: URL,
): Promise<unknown> {
  const { supplier, client } = context;
  const method = req.method ?? "GET";
  if (method === "GET" && path === "/api/state") {
    return {
      supplierUrl: context.supplierUrl,
      apiKey: context.defaultKey ? supplier.apiKey : "***",
      retrySchedule: context.retrySchedule,
      kinds: SEND_KINDS.map(({ id, label, event }) => ({ id, label, event })),
    };
  }
  if (method === "GET" && path === "/api/deliveries") {
    return supplier.deliveries.map((d) => deliveryView(d, context.retrySchedule));
  }
  if (method === "GET" && path === "/api/body") {
    const kind = SEND_KINDS.find((k) => k.id === url.searchParams.get("kind"));
    if (kind === undefined) throw new HttpError(404, "no such kind");
    return { event: kind.event, body: bodyOf(kind, url.searchParams.get("seed") || "inspector") };
  }
  if (method === "POST" && path === "/api/send") return send(context, await readJson(req));
  const replay = /^\/api\/deliveries\/([A-Za-z0-9_-]+)\/replay$/.exec(path);
  if (method === "POST" && replay) {
    await readJson(req);
    const before = supplier.deliveries.length;
    void supplier.replay(replay[1] as string).catch(() => {});
    const created = supplier.deliveries[before];
    if (created === undefined) {
      const known = supplier.deliveries.some((d) => d.id === replay[1]);
      throw new HttpError(known ? 409 : 404, known ? "its webhook was deleted" : "no such delivery");
    }
    return { delivery: created.id };
  }
  if (method === "GET" && path === "/api/subscriptions") {
    return (await client.webhooks.list()).map(subscriptionView);
  }
  if (method === "POST" && path === "/api/subscriptions") return subscribe(context, await readJson(req));
  const one = /^\/api\/subscriptions\/([A-Za-z0-9_-]+)$/.exec(path);
  if (method === "DELETE" && one) {
    await client.webhooks.delete(one[1] as string);
    return { deleted: one[1] };
  }
  return undefined;
}

/** The message of an error for the page: its own for ours, a generic one (URLs masked) otherwise. */
export function errorAnswer(error: unknown): { status: number; message: string } {
  if (error instanceof HttpError) return { status: error.status, message: error.message };
  const message = error instanceof Error ? error.message : "the inspector failed";
  // a client error can quote a URL: never with its credentials
  return {
    status: 502,
    message: message.replace(/\bhttps?:\/\/[^\s"']+/g, (url) => maskUrl(url)),
  };
}
