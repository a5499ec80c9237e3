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
  /** `d1` with one supplier; `mock-2.d1` with several (each supplier numbers its own). */
  id: string;
  /** The id of the supplier that sent it (`mock-1`...). */
  supplier: string;
  /** Its place among every supplier's deliveries, in the order they were created. */
  seq: number;
  webhookId: string | undefined;
  event: string;
  subject: string | undefined;
  url: string;
  /** `abandoned`: the supplier gave up (or deleted the webhook); `dropped`: never sent (`dropRate`). */
  state: "pending" | "delivered" | "failed" | "cancelled" | "abandoned" | "dropped";
  /** The last attempt's status (`undefined`: not tried yet, or no answer). */
  status: number | undefined;
  attempts: AttemptView[];
  /** The last attempt's duration. */
  latencyMs: number | undefined;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  diff: unknown;
  /** Its `diff` as rows of changed fields, when it is a list of OCTO diff entries. */
  changes: ChangeView[] | undefined;
  /** When each retry still to come will be sent (ISO 8601), on the supplier's schedule. */
  nextRetries: string[];
}

/** A registered webhook as the page shows it: URL credentials and header values masked. */
export interface SubscriptionView {
  id: string | undefined;
  /** The supplier it is registered with. */
  supplier: string;
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

/** One mock supplier of the inspector: its id, its OCTO endpoint, its API key (`***`: the user's own). */
export interface SupplierView {
  id: string;
  url: string;
  apiKey: string;
}

/** `GET /api/state`: where the suppliers are and what the page can send. */
export interface StateView {
  mode: "mock";
  /** The first supplier's endpoint and key. */
  supplierUrl: string;
  apiKey: string;
  suppliers: SupplierView[];
  retrySchedule: readonly number[];
  kinds: KindView[];
}

/** One changed field of a delivery (`was` absent for an added field, `now` for a removed one). */
export interface ChangeView {
  op: "add" | "remove" | "replace";
  /** A JSON pointer into the resource: `/status`. */
  path: string;
  was?: unknown;
  now?: unknown;
}

// `octo-webhooks inspect`: the delivery log core keeps, read from its store.

/** `GET /api/state` of `inspect`: which log, and whether the page may replay (and to where). */
export interface LogStateView {
  mode: "log";
  /** The store's URL, credentials masked. */
  store: string;
  allowReplay: boolean;
  /** The receiver replays go to, credentials masked. */
  replayTo: string | undefined;
  /** Every outcome, for the filter. */
  outcomes: string[];
}

/** One entry of the log as listed (core's `DeliveryLogEntry` without its body, headers and handlers). */
export interface LogEntryView {
  id: string;
  receivedAt: string;
  source: string;
  supplier?: string | undefined;
  event?: string | undefined;
  resourceId?: string | undefined;
  deliveryKey?: string | undefined;
  attempt?: number | undefined;
  status?: number | undefined;
  outcome: string;
  error?: { code: string; message: string } | undefined;
  durationMs: number;
  bodySize?: number | undefined;
}

/** `GET /api/log`: a page of entries, newest first, and where the next one starts. */
export interface LogPageView {
  entries: LogEntryView[];
  cursor: string | undefined;
}

/** What one handler did with a delivery. */
export interface HandlerView {
  event: string;
  index: number;
  ok: boolean;
  durationMs: number;
  error?: string | undefined;
}

/** `GET /api/log/<id>`: one entry whole, the other attempts of its delivery, and what it changed. */
export interface LogDetailView {
  entry: LogEntryView & {
    headers: Record<string, string>;
    handlers: HandlerView[];
    /** The body parsed as JSON, when it is. */
    body?: unknown;
    /** The body as received, when it is not JSON. */
    bodyText?: string | undefined;
    bodyHash?: string | undefined;
  };
  /** Every attempt of its delivery key, oldest first (this one among them). */
  attempts: LogEntryView[];
  changes: {
    /** `diff`: the delivery's own; `previous`: from the resource's previous logged delivery; `none`. */
    from: "diff" | "previous" | "none";
    previous?: { id: string; receivedAt: string } | undefined;
    rows: ChangeView[];
    more: number;
  };
}

/** `POST /api/log/<id>/replay`: what the receiver answered. */
export interface ReplayView {
  result: string;
  status?: number | undefined;
  answer?: string | undefined;
  error?: string | undefined;
}
