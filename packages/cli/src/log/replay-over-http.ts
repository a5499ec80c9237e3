import { redactUrl } from "@octo-webhooks/client";
import type { DeliveryLog, DeliveryLogEntry, DeliveryLogFilter } from "@octo-webhooks/core";
import { sendWebhook } from "@octo-webhooks/testing";
import { CliError } from "../output.ts";

// Replay from the CLI: it has no receiver of its own (the handlers live in the application), so a logged
// delivery is replayed the way its supplier sent it, as an HTTP POST of its body to the receiver, with the
// receiver's credentials and a header that tells it is a replay. The receiver's auth, dedupe and stale
// guard decide, as for a supplier's retry: a delivery already applied is answered as a duplicate.

/** The header every replayed delivery carries, so that a receiver (and its log) can tell. */
export const REPLAY_HEADER = "octo-webhooks-replay";

/** Where replays go. */
export interface ReplayTarget {
  /** The receiver's URL (may carry `user:pass@`); a `:supplier` in it becomes each delivery's supplier. */
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** The options that make a {@link ReplayTarget}: `--to`, `--user`/`--pass` (or OCTO_HOOK_PASS), `--header`. */
export interface TargetOptions {
  to?: string;
  user?: string;
  pass?: string;
  header?: Record<string, string>;
  timeout?: number;
}

/** The target of `options`, checked; `undefined` without `--to`. */
export function targetOf(options: TargetOptions): ReplayTarget | undefined {
  const password = options.pass ?? (options.user !== undefined ? process.env.OCTO_HOOK_PASS : undefined);
  if ((options.user === undefined) !== (password === undefined)) {
    throw new CliError("give both --user and --pass (or neither)");
  }
  if (options.to === undefined) {
    if (options.user !== undefined || options.header !== undefined) {
      throw new CliError("--user, --pass and --header are for --to (the receiver replays go to)");
    }
    return undefined;
  }
  let protocol = "";
  try {
    protocol = new URL(options.to).protocol;
  } catch {
    // refused below
  }
  if (protocol !== "http:" && protocol !== "https:")
    throw new CliError("--to must be an absolute http(s) URL");
  return {
    url: options.to,
    username: options.user,
    password,
    headers: options.header ?? {},
    timeoutMs: options.timeout ?? 10_000,
  };
}

/** What became of one replay: the receiver's status and what its answer says. */
export interface ReplayResult {
  /** `delivered` (2xx), `duplicate`/`stale`/`unchanged`/`notFound` (2xx saying so, as core answers), `failed`. */
  result: "delivered" | "duplicate" | "stale" | "unchanged" | "notFound" | "failed";
  status?: number | undefined;
  /** The start of the answer's body, for a failure. */
  answer?: string | undefined;
  /** Why there was no answer. */
  error?: string | undefined;
}

const SKIPS = ["duplicate", "stale", "unchanged", "notFound"] as const;

/** The URL a delivery of `supplier` goes to. */
function urlFor(target: ReplayTarget, supplier: string | undefined): string | undefined {
  if (!target.url.includes(":supplier")) return target.url;
  return supplier === undefined
    ? undefined
    : target.url.replaceAll(":supplier", encodeURIComponent(supplier));
}

/** POSTs `entry`'s body to the receiver, marked as a replay. */
export async function replayEntry(entry: DeliveryLogEntry, target: ReplayTarget): Promise<ReplayResult> {
  if (entry.body === undefined) return { result: "failed", error: "its body was not kept" };
  const url = urlFor(target, entry.supplier);
  if (url === undefined) return { result: "failed", error: "no supplier logged for the :supplier of --to" };
  try {
    const answer = await sendWebhook(url, entry.body, {
      ...(target.username !== undefined && target.password !== undefined
        ? { username: target.username, password: target.password }
        : {}),
      headers: { "user-agent": "octo-webhooks-cli (replay)", ...target.headers, [REPLAY_HEADER]: "1" },
      timeoutMs: target.timeoutMs,
    });
    if (answer.status < 200 || answer.status > 299) {
      return { result: "failed", status: answer.status, answer: answer.body.slice(0, 500) };
    }
    let said: unknown;
    try {
      said = JSON.parse(answer.body);
    } catch {
      said = undefined;
    }
    const skip = SKIPS.find((name) => (said as Record<string, unknown> | null | undefined)?.[name] === true);
    return { result: skip ?? "delivered", status: answer.status };
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const reason =
      typeof code === "string" ? code : String(message).replace(/^\[@octo-webhooks\/[a-z]+\] /, "");
    return { result: "failed", error: `no answer from ${redactUrl(url)}: ${reason}` };
  }
}

/** The deliveries a replay sends, and those it cannot. */
export interface Replayable {
  /** One entry per delivery (its latest attempt with a body), in the order they first arrived. */
  entries: DeliveryLogEntry[];
  /** Deliveries none of whose attempts kept a body (refused before it was read, or over the log's limit). */
  withoutBody: number;
}

/**
 * The deliveries `filter` matches, each once (its latest attempt with a body, as core's
 * `replayDeliveries()` takes it), oldest first: the order the supplier sent them, so that a receiver
 * without a stale guard ends with the latest state. `limit`: the first ones only.
 */
export async function replayable(
  log: Pick<DeliveryLog, "list">,
  filter: DeliveryLogFilter,
  limit = Number.POSITIVE_INFINITY,
): Promise<Replayable> {
  const chosen = new Map<string, DeliveryLogEntry>();
  const firstArrival = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await log.list(filter, { cursor, limit: 500 });
    for (const entry of page.entries) {
      const key = entry.deliveryKey ?? entry.id;
      // newest first: the last one seen arrived first
      firstArrival.set(key, entry.receivedAt);
      if (entry.body !== undefined && !chosen.has(key)) chosen.set(key, entry);
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  const arrival = (entry: DeliveryLogEntry) =>
    firstArrival.get(entry.deliveryKey ?? entry.id) ?? entry.receivedAt;
  const entries = [...chosen.values()].sort((a, b) =>
    arrival(a) < arrival(b) ? -1 : arrival(a) > arrival(b) ? 1 : 0,
  );
  return { entries: entries.slice(0, limit), withoutBody: firstArrival.size - chosen.size };
}
