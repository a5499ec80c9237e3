import { randomBytes } from "node:crypto";
import { basicAuthorization, describeFailure, post, splitCredentials } from "./post.ts";

/** One try of a delivery and what came back. */
export interface DeliveryAttempt {
  /** 1 for the first try. */
  attempt: number;
  /** When it was sent (ISO 8601). */
  at: string;
  /** The receiver's status, or `undefined` when there was no answer (see `error`). */
  status: number | undefined;
  /** The receiver's answer body (at most 64 KiB). */
  answer: string | undefined;
  /** Why there was no answer: `ECONNREFUSED`, `no answer within 5000 ms`... */
  error: string | undefined;
  /** How long the attempt took, answer included. */
  durationMs: number;
}

/** One event sent to one webhook, with every attempt. */
export interface Delivery {
  /** `d1`, `d2`... in creation order, per supplier. */
  id: string;
  /** The webhook it was sent for, when it came from a registered one. */
  webhookId: string | undefined;
  /** The event name, as in `webhook.event`. */
  event: string;
  /** The target URL without its credentials. */
  url: string;
  /** The headers sent, `authorization` shown as `Basic ***`. */
  headers: Record<string, string>;
  /** The body sent (the same for every attempt). */
  body: Record<string, unknown>;
  /** Every attempt so far, in order. */
  attempts: DeliveryAttempt[];
  /**
   * `delivered` after a 2xx; `failed` when the attempts ran out; `cancelled` when the supplier closed
   * first; `abandoned` when the sender gave up before the receiver took it (see `cause`); `dropped` when
   * it was never sent (the mock supplier's `dropRate`: no attempt at all).
   */
  state: "pending" | "delivered" | "failed" | "cancelled" | "abandoned" | "dropped";
  /**
   * Why it was abandoned or dropped, by the option that did it: `giveUpAfter` (out of attempts),
   * `deleteWebhookAfter` (its webhook was deleted for failing: no further attempt), `dropRate`.
   */
  cause?: "giveUpAfter" | "deleteWebhookAfter" | "dropRate";
}

/** Where a delivery goes: a registered webhook's URL, headers and retry setting. */
export interface DeliveryTarget {
  /** The webhook's id, recorded on the delivery. */
  webhookId?: string;
  /** The event name, recorded on the delivery. */
  event: string;
  /** May hold Basic credentials (`https://user:pass@host/path`), sent as `Authorization: Basic`. */
  url: string;
  /** The webhook's custom headers. */
  headers?: Record<string, string>;
  /** Whether non-2xx answers and network errors are retried (OCTO default: true). */
  retryOnError?: boolean;
}

/** How a supplier delivers: its retry schedule, its timeout and its `user-agent`. */
export interface DeliveryPolicy {
  /** Waits before each retry, in ms: `[100, 500]` means up to 3 attempts. */
  retrySchedule: readonly number[];
  /** How long the receiver may take to answer one attempt, in ms. */
  timeoutMs: number;
  /** Sent as `user-agent`. */
  userAgent: string;
  /** Aborting it cancels pending retries and in-flight attempts. */
  signal: AbortSignal;
  /** Called after every attempt. */
  onAttempt?: ((attempt: DeliveryAttempt, delivery: Delivery) => void) | undefined;
  /**
   * Gives a delivery up (state `abandoned`, cause `giveUpAfter`) once it failed this many attempts, the
   * first one included, whatever the length of `retrySchedule` (its last wait repeats when it is
   * shorter; 0 ms when it is empty). Unset: out of `retrySchedule`, a delivery is `failed`. A webhook
   * with `retryOnError: false` still gets one attempt and ends `failed`.
   */
  giveUpAfter?: number | undefined;
}

/**
 * Records a delivery (state `pending`) with the headers a supplier sends (`content-type`, `user-agent`,
 * a `traceparent`, the webhook's headers); {@link runDelivery} sends it. The mock supplier is built on
 * these two; use them to deliver from your own test harness.
 *
 * @example
 * ```ts
 * import { createDelivery, runDelivery } from "@octo-webhooks/testing";
 *
 * const target = { event: "booking_update", url: "http://octo:s3cret@127.0.0.1:3000/webhooks/octo" };
 * const delivery = createDelivery("d1", target, bookingUpdate(), "my-supplier/1.0");
 * ```
 */
export function createDelivery(
  id: string,
  target: DeliveryTarget,
  body: Record<string, unknown>,
  userAgent: string,
): Delivery {
  const { url, credentials } = splitCredentials(target.url);
  const headers: Record<string, string> = {
    "user-agent": userAgent,
    "content-type": "application/json",
    traceparent: `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`,
  };
  for (const [name, value] of Object.entries(target.headers ?? {})) headers[name.toLowerCase()] = value;
  if (credentials !== undefined) headers.authorization = "Basic ***";
  return {
    id,
    webhookId: target.webhookId,
    event: target.event,
    url: url.href,
    headers,
    body,
    attempts: [],
    state: "pending",
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Sends a delivery as an OCTO supplier does: POST, JSON, the URL's credentials as `Authorization: Basic`,
 * the webhook's headers. Any 2xx is success; anything else (and a network error or a timeout) is retried
 * on `retrySchedule` when the webhook has `retryOnError`. Every attempt is recorded on the delivery.
 * Never rejects.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const policy = { retrySchedule: [100, 500], timeoutMs: 5_000, userAgent: "my-supplier/1.0", signal: controller.signal };
 * const done = await runDelivery(createDelivery("d1", target, bookingUpdate(), policy.userAgent), target, policy);
 * console.log(done.state, done.attempts.map((a) => a.status)); // "delivered" [500, 200]
 * ```
 */
export function runDelivery(
  delivery: Delivery,
  target: DeliveryTarget,
  policy: DeliveryPolicy,
): Promise<Delivery> {
  return deliverUntil(delivery, target, policy, () => undefined);
}

/**
 * {@link runDelivery}, asking `stop` before every attempt whether the sender gave up on it meanwhile
 * (the mock supplier deleted its webhook): then it ends `abandoned` with the cause `stop` answers.
 */
export async function deliverUntil(
  delivery: Delivery,
  target: DeliveryTarget,
  policy: DeliveryPolicy,
  stop: () => Delivery["cause"],
): Promise<Delivery> {
  const { url, credentials } = splitCredentials(target.url);
  const headers = { ...delivery.headers };
  if (credentials !== undefined) headers.authorization = basicAuthorization(credentials);
  const payload = JSON.stringify(delivery.body);
  const noRetry = target.retryOnError === false;
  const schedule = noRetry ? [] : policy.retrySchedule;
  const giveUpAfter = noRetry ? undefined : policy.giveUpAfter;
  const attempts = giveUpAfter ?? schedule.length + 1;

  for (let attempt = 1; ; attempt++) {
    if (policy.signal.aborted) {
      delivery.state = "cancelled";
      return delivery;
    }
    const cause = stop();
    if (cause !== undefined) {
      delivery.state = "abandoned";
      delivery.cause = cause;
      return delivery;
    }
    const started = Date.now();
    const record: DeliveryAttempt = {
      attempt,
      at: new Date(started).toISOString(),
      status: undefined,
      answer: undefined,
      error: undefined,
      durationMs: 0,
    };
    try {
      const answer = await post(url, payload, {
        headers,
        timeoutMs: policy.timeoutMs,
        signal: policy.signal,
      });
      record.status = answer.status;
      record.answer = answer.body;
    } catch (error) {
      record.error = policy.signal.aborted ? "cancelled: the supplier closed" : describeFailure(error);
    }
    record.durationMs = Date.now() - started;
    delivery.attempts.push(record);
    policy.onAttempt?.(record, delivery);

    if (record.status !== undefined && record.status >= 200 && record.status < 300) {
      delivery.state = "delivered";
      return delivery;
    }
    if (attempt >= attempts) {
      if (giveUpAfter === undefined) delivery.state = "failed";
      else {
        delivery.state = "abandoned";
        delivery.cause = "giveUpAfter";
      }
      return delivery;
    }
    if (!(await sleep(schedule[attempt - 1] ?? schedule.at(-1) ?? 0, policy.signal))) {
      delivery.state = "cancelled";
      return delivery;
    }
  }
}
