// The page's calls to the inspector's JSON API (same origin), and the types it answers with.

export type {
  AttemptView as Attempt,
  ChangeView as Change,
  DeliveryView,
  KindView as Kind,
  LogDetailView as LogDetail,
  LogEntryView as LogEntry,
  LogPageView as LogPage,
  LogStateView as LogState,
  ReplayView as Replay,
  StateView as State,
  SubscriptionView as Subscription,
} from "../src/inspector/wire.ts";

/** Calls the API; rejects with its `error` message when it answers an error. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? {} : { "content-type": "application/json" },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const value = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(value.error ?? `HTTP ${response.status}`);
  return value;
}

/** `12:03:04.123` of an ISO time, local. */
export function timeOf(iso: string): string {
  const date = new Date(iso);
  return `${date.toTimeString().slice(0, 8)}.${String(date.getMilliseconds()).padStart(3, "0")}`;
}
