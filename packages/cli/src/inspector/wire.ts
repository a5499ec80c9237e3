// The inspector's JSON API as the page sees it: the shapes `/api/...` answers with. Imports nothing, so
// that the page (inspector-ui/, built for the browser) can take its types from here instead of restating them.

// Restates @octo-webhooks/testing's `DeliveryAttempt` on purpose: importing that package would bring its
// Node code (node:http, node:crypto, Buffer) into the page's browser typecheck and bundle. view.ts
// assigns the one to the other, so a field changed or removed there fails to compile.
/** One attempt of a delivery (the mock supplier's `DeliveryAttempt`). */
export interface AttemptView {
  /** 1 for the first try. */
  attempt: number;
  /** When it was sent (ISO 8601). */
  at: string;
  /** The receiver's status, or `undefined` when there was no answer (see `error`). */
  status: number | undefined;
  /** The receiver's answer body (at most 64 KiB). */
  answer: string | undefined;
  /** Why there was no answer. */
  error: string | undefined;
  /** How long the attempt took. */
  durationMs: number;
}

/** A delivery as the inspector's API and page show it: credentials masked. */
export interface DeliveryView {
  id: string;
  webhookId: string | undefined;
  event: string;
  subject: string | undefined;
  url: string;
  state: "pending" | "delivered" | "failed" | "cancelled";
  /** The last attempt's status (`undefined`: not tried yet, or no answer). */
  status: number | undefined;
  attempts: AttemptView[];
  /** The last attempt's duration. */
  latencyMs: number | undefined;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  diff: unknown;
  /** When each retry still to come will be sent (ISO 8601), on the supplier's schedule. */
  nextRetries: string[];
}

/** A registered webhook as the page shows it: URL credentials and header values masked. */
export interface SubscriptionView {
  id: string | undefined;
  event: string | undefined;
  url: string;
  retryOnError: boolean | null | undefined;
  headers: Record<string, string>;
}

/** One choice of the Send form (`GET /api/state`'s `kinds`). */
export interface KindView {
  id: string;
  label: string;
  event: string;
}

/** `GET /api/state`: where the supplier is and what the page can send. */
export interface StateView {
  supplierUrl: string;
  apiKey: string;
  retrySchedule: readonly number[];
  kinds: KindView[];
}
