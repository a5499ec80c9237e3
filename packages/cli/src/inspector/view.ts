import { redactUrl } from "@octo-webhooks/client";
import type { Delivery } from "@octo-webhooks/testing";
import { changesOfDiff } from "../log/delivery-changes.ts";
import type { DeliveryView, SubscriptionView } from "./wire.ts";

// What the inspector shows of a delivery and of a subscription: credentials masked (the Authorization
// header, custom header values, URL credentials), never the secrets themselves.

/** Headers every supplier sends: shown as they are. Any other (a webhook's own headers) is masked. */
const PLAIN_HEADERS = new Set(["user-agent", "content-type", "traceparent", "content-length"]);
const MASK = "***";

/** `headers` with every value but the standard ones replaced by `***` (`Basic ***` kept as it is). */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (PLAIN_HEADERS.has(lower)) masked[name] = value;
    else if (lower === "authorization") masked[name] = `${value.split(" ")[0] ?? ""} ${MASK}`.trim();
    else masked[name] = MASK;
  }
  return masked;
}

/** A URL without its credentials (`https://***:***@host/...`), or `***` when it does not parse. */
export function maskUrl(url: string): string {
  try {
    return redactUrl(url);
  } catch {
    return MASK;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The booking's or the availability's id, for the list. */
function subjectOf(body: Record<string, unknown>): string | undefined {
  const booking = body.booking;
  if (isRecord(booking) && typeof booking.uuid === "string") return booking.uuid;
  const availability = body.availability;
  if (isRecord(availability) && typeof availability.id === "string") return availability.id;
  return undefined;
}

/** A body with the URL of its `webhook` echo masked (an edited body can carry credentials there). */
function maskBody(body: Record<string, unknown>): Record<string, unknown> {
  const webhook = body.webhook;
  if (!isRecord(webhook) || typeof webhook.url !== "string") return body;
  return { ...body, webhook: { ...webhook, url: maskUrl(webhook.url) } };
}

/**
 * `delivery` for the page; `retrySchedule` places the retries still to come on its timeline; `as` says
 * which supplier sent it, the id the page knows it by, and its place among every supplier's deliveries.
 */
export function deliveryView(
  delivery: Delivery,
  retrySchedule: readonly number[],
  as: { supplier: string; id: string; seq: number } = { supplier: "mock-1", id: delivery.id, seq: 0 },
): DeliveryView {
  const last = delivery.attempts.at(-1);
  const nextRetries: string[] = [];
  if (delivery.state === "pending" && last !== undefined) {
    let at = Date.parse(last.at) + last.durationMs;
    for (const wait of retrySchedule.slice(delivery.attempts.length - 1)) {
      at += wait;
      nextRetries.push(new Date(at).toISOString());
    }
  }
  return {
    id: as.id,
    supplier: as.supplier,
    seq: as.seq,
    webhookId: delivery.webhookId,
    event: delivery.event,
    subject: subjectOf(delivery.body),
    url: maskUrl(delivery.url),
    state: delivery.state,
    status: last?.status,
    attempts: delivery.attempts.map((attempt) => ({ ...attempt })),
    latencyMs: last?.durationMs,
    headers: maskHeaders(delivery.headers),
    body: maskBody(delivery.body),
    diff: delivery.body.diff,
    changes: changesOfDiff(delivery.body.diff),
    nextRetries,
  };
}

/** A registered webhook of supplier `supplier` as the page shows it: URL credentials and header values masked. */
export function subscriptionView(
  webhook: {
    id?: string | undefined;
    event?: string | undefined;
    url?: string | null | undefined;
    retryOnError?: boolean | null | undefined;
    headers?: Record<string, string> | null | undefined;
  },
  supplier: string,
): SubscriptionView {
  return {
    id: webhook.id,
    supplier,
    event: webhook.event,
    url: maskUrl(webhook.url ?? ""),
    retryOnError: webhook.retryOnError,
    headers: maskHeaders(webhook.headers ?? {}),
  };
}
