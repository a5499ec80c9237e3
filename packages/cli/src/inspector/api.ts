import type { IncomingMessage } from "node:http";
import { type OctoClient, webhookUrl } from "@octo-webhooks/client";
import type { Delivery, MockSupplier } from "@octo-webhooks/testing";
import { HttpError, readJson } from "./http.ts";
import { bodyOf, SEND_KINDS } from "./kinds.ts";
import { maskUrl, subscriptionView } from "./view.ts";
import type { DeliveryView } from "./wire.ts";

// The inspector's JSON API, under /api/: what the page reads and does, over every mock supplier of the
// inspector. Subscriptions go through the management API with @octo-webhooks/client, as a client of the
// supplier sees them.

/** One mock supplier as the API works on it. */
export interface InspectedSupplier {
  readonly id: string;
  /** Its OCTO endpoint as reached through the inspector's port. */
  readonly url: string;
  readonly supplier: MockSupplier;
  readonly client: OctoClient;
}

/** What the API works on. */
export interface ApiContext {
  /** The suppliers, the first one the default. */
  readonly suppliers: readonly InspectedSupplier[];
  readonly retrySchedule: readonly number[];
  /** Whether the API keys are this run's own (then the page shows them) rather than the user's. */
  readonly showKeys: boolean;
  /** A delivery of supplier `id` for the page. */
  view(id: string, delivery: Delivery): DeliveryView;
}

/** The supplier a page's request names (`supplier`), the first one when it names none; a 400 otherwise. */
function supplierOf(context: ApiContext, given: unknown): InspectedSupplier {
  const first = context.suppliers[0] as InspectedSupplier;
  if (given === undefined || given === "") return first;
  const found = context.suppliers.find((s) => s.id === given);
  if (found === undefined) {
    throw new HttpError(400, `supplier must be one of ${context.suppliers.map((s) => s.id).join(", ")}`);
  }
  return found;
}

/** A delivery id of the page: `d1` (one supplier) or `mock-2.d1` (its supplier's id first). */
function deliveryOf(context: ApiContext, id: string): { owner: InspectedSupplier; id: string } {
  const dot = id.indexOf(".");
  if (dot === -1 || context.suppliers.length === 1)
    return { owner: context.suppliers[0] as InspectedSupplier, id };
  const owner = context.suppliers.find((s) => s.id === id.slice(0, dot));
  if (owner === undefined) throw new HttpError(404, "no such delivery");
  return { owner, id: id.slice(dot + 1) };
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
  // every supplier with a webhook for the event sends it (or the one the request names)
  const chosen = input.supplier === undefined ? context.suppliers : [supplierOf(context, input.supplier)];
  const senders = chosen.filter((s) => s.supplier.webhooks.some((w) => w.event === kind.event));
  if (senders.length === 0) {
    throw new HttpError(409, `no webhook is registered for ${kind.event}: add one under Subscriptions`);
  }
  const deliveries: string[] = [];
  for (const { id, supplier } of senders) {
    const before = supplier.deliveries.length;
    void supplier.simulate.event(kind.event, body);
    deliveries.push(...supplier.deliveries.slice(before).map((d) => context.view(id, d).id));
  }
  return { deliveries };
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
  const { id, client } = supplierOf(context, input.supplier);
  const created = await client.webhooks.create({
    event: text(input.event, "event"),
    url,
    retryOnError: input.retryOnError !== false,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
  });
  return subscriptionView(created, id);
}

/** Answers `GET/POST /api/...`; `undefined` when no route matches. */
export async function answerApi(
  context: ApiContext,
  req: IncomingMessage,
  path: string,
  url: URL,
): Promise<unknown> {
  const method = req.method ?? "GET";
  const [first] = context.suppliers as [InspectedSupplier];
  if (method === "GET" && path === "/api/state") {
    const keyOf = (s: InspectedSupplier) => (context.showKeys ? s.supplier.apiKey : "***");
    return {
      mode: "mock",
      supplierUrl: first.url,
      apiKey: keyOf(first),
      suppliers: context.suppliers.map((s) => ({ id: s.id, url: s.url, apiKey: keyOf(s) })),
      retrySchedule: context.retrySchedule,
      kinds: SEND_KINDS.map(({ id, label, event }) => ({ id, label, event })),
    };
  }
  if (method === "GET" && path === "/api/deliveries") {
    return context.suppliers
      .flatMap(({ id, supplier }) => supplier.deliveries.map((d) => context.view(id, d)))
      .sort((a, b) => a.seq - b.seq);
  }
  if (method === "GET" && path === "/api/body") {
    const kind = SEND_KINDS.find((k) => k.id === url.searchParams.get("kind"));
    if (kind === undefined) throw new HttpError(404, "no such kind");
    return { event: kind.event, body: bodyOf(kind, url.searchParams.get("seed") || "inspector") };
  }
  if (method === "POST" && path === "/api/send") return send(context, await readJson(req));
  const replay = /^\/api\/deliveries\/([A-Za-z0-9_.-]+)\/replay$/.exec(path);
  if (method === "POST" && replay) {
    await readJson(req);
    const { owner, id } = deliveryOf(context, replay[1] as string);
    const { supplier } = owner;
    const before = supplier.deliveries.length;
    void supplier.replay(id).catch(() => {});
    const created = supplier.deliveries[before];
    if (created === undefined) {
      const known = supplier.deliveries.some((d) => d.id === id);
      throw new HttpError(known ? 409 : 404, known ? "its webhook was deleted" : "no such delivery");
    }
    return { delivery: context.view(owner.id, created).id };
  }
  if (method === "GET" && path === "/api/subscriptions") {
    const lists = await Promise.all(
      context.suppliers.map(async ({ id, client }) =>
        (await client.webhooks.list()).map((w) => subscriptionView(w, id)),
      ),
    );
    return lists.flat();
  }
  if (method === "POST" && path === "/api/subscriptions") return subscribe(context, await readJson(req));
  const one = /^\/api\/subscriptions\/([A-Za-z0-9_-]+)$/.exec(path);
  if (method === "DELETE" && one) {
    const id = one[1] as string;
    // the supplier that has it (the first one answers 404 for an id nobody has)
    const owner = context.suppliers.find((s) => s.supplier.webhooks.some((w) => w.id === id)) ?? first;
    await owner.client.webhooks.delete(id);
    return { deleted: id };
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
