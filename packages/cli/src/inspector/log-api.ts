import type { IncomingMessage } from "node:http";
import { redactUrl } from "@octo-webhooks/client";
import type { DeliveryLog, DeliveryLogEntry, DeliveryLogFilter, DeliveryOutcome } from "@octo-webhooks/core";
import { deliveryChanges, parsedBody } from "../log/delivery-changes.ts";
import { instant, OUTCOMES } from "../log/log-filter.ts";
import { type ReplayTarget, replayEntry } from "../log/replay-over-http.ts";
import { HttpError, readJson } from "./http.ts";
import type { LogDetailView, LogEntryView, LogPageView, LogStateView, ReplayView } from "./wire.ts";

// The JSON API of `octo-webhooks inspect`, under /api/: the delivery log as the page reads it (the same
// filters as `deliveries list`), one entry whole with what it changed, and, only when started with
// `--allow-replay`, a replay of one entry to the receiver.

/** What the API works on. */
export interface LogApiContext {
  readonly log: Pick<DeliveryLog, "list" | "get">;
  /** The store's URL, credentials masked. */
  readonly where: string;
  /** Where replays go; `undefined`: read-only. */
  readonly replay: ReplayTarget | undefined;
}

/** An entry as listed: without its body, headers and handlers. */
function entryView(entry: DeliveryLogEntry): LogEntryView {
  const { body: _body, headers: _headers, handlers: _handlers, bodyHash: _hash, ...rest } = entry;
  return rest;
}

const ID = /^\/api\/log\/([^/]{1,200})(\/replay)?$/;

/** The filter of the page's query (`supplier`, `event`, `resource`, `key`, `outcome`, `status`, `since`, `until`). */
function filterOf(query: URLSearchParams): DeliveryLogFilter {
  const filter: DeliveryLogFilter = {};
  const text = (name: string) => {
    const value = query.get(name)?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const supplier = text("supplier");
  const event = text("event");
  const resource = text("resource");
  const key = text("key");
  const outcome = text("outcome");
  const status = text("status");
  if (supplier !== undefined) filter.supplier = supplier;
  if (event !== undefined) filter.event = event;
  if (resource !== undefined) filter.resourceId = resource;
  if (key !== undefined) filter.deliveryKey = key;
  if (outcome !== undefined) {
    if (!OUTCOMES.includes(outcome as DeliveryOutcome)) {
      throw new HttpError(400, `outcome must be one of ${OUTCOMES.join(", ")}`);
    }
    filter.outcome = outcome as DeliveryOutcome;
  }
  if (status !== undefined) {
    if (!/^\d{3}$/.test(status)) throw new HttpError(400, "status must be an HTTP status (200, 500...)");
    filter.status = Number(status);
  }
  for (const name of ["since", "until"] as const) {
    const value = text(name);
    if (value === undefined) continue;
    try {
      filter[name] = instant(value);
    } catch {
      throw new HttpError(400, `${name} must be an ISO date or time, or a time ago (30m, 2h, 7d)`);
    }
  }
  return filter;
}

async function detail(context: LogApiContext, id: string): Promise<LogDetailView> {
  const entry = await context.log.get(id);
  if (entry === undefined) throw new HttpError(404, "no such entry in the log");
  const attempts: DeliveryLogEntry[] = [];
  if (entry.deliveryKey !== undefined) {
    const page = await context.log.list({ deliveryKey: entry.deliveryKey }, { limit: 200 });
    attempts.push(...page.entries.reverse());
  }
  const body = parsedBody(entry);
  return {
    entry: {
      ...entryView(entry),
      headers: entry.headers,
      handlers: entry.handlers,
      ...(body !== undefined ? { body } : entry.body !== undefined ? { bodyText: entry.body } : {}),
      bodyHash: entry.bodyHash,
    },
    attempts: attempts.map(entryView),
    changes: await deliveryChanges(context.log, entry),
  };
}

/** Answers `GET/POST /api/...` of the log's page; `undefined` when no route matches. */
export async function answerLogApi(context: LogApiContext, req: IncomingMessage, url: URL): Promise<unknown> {
  const method = req.method ?? "GET";
  const path = url.pathname;
  if (method === "GET" && path === "/api/state") {
    const state: LogStateView = {
      mode: "log",
      store: context.where,
      allowReplay: context.replay !== undefined,
      replayTo: context.replay === undefined ? undefined : redactUrl(context.replay.url),
      outcomes: [...OUTCOMES],
    };
    return state;
  }
  if (method === "GET" && path === "/api/log") {
    const limit = Number(url.searchParams.get("limit") ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw new HttpError(400, "limit must be from 1 to 500");
    const cursor = url.searchParams.get("cursor") ?? undefined;
    const page = await context.log.list(filterOf(url.searchParams), { cursor, limit });
    const view: LogPageView = { entries: page.entries.map(entryView), cursor: page.cursor };
    return view;
  }
  const match = ID.exec(path);
  if (match === null) return undefined;
  const id = decodeURIComponent(match[1] as string);
  if (method === "GET" && match[2] === undefined) return detail(context, id);
  if (method === "POST" && match[2] !== undefined) {
    await readJson(req);
    if (context.replay === undefined) {
      throw new HttpError(
        403,
        "read-only: start `octo-webhooks inspect` with --allow-replay --to <receiver> to replay",
      );
    }
    const entry = await context.log.get(id);
    if (entry === undefined) throw new HttpError(404, "no such entry in the log");
    if (entry.body === undefined) throw new HttpError(409, "its body was not kept: it cannot be replayed");
    const result: ReplayView = await replayEntry(entry, context.replay);
    return result;
  }
  return undefined;
}
