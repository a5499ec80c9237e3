import {
  type RegisteredSubscription,
  type RegisteredWebhook,
  redactUrl,
  type SubscriptionPlan,
  type SubscriptionSyncResult,
  type SyncPlan,
  type SyncResult,
} from "@octo-webhooks/client";
import { type Io, table } from "../output.ts";
import { safeJson, safeText } from "../safe-text.ts";
import type { ConnectionOptions } from "./connection.ts";

// How the `webhooks` and `notifications` subcommands print: tables or JSON, secrets hidden, and every
// string that came from the supplier escaped (it could hold terminal control sequences).

interface Printable {
  url?: string | null | undefined;
  headers?: Record<string, string> | null | undefined;
}

/** A webhook or subscription safe to print: URL credentials and header values hidden unless `--show-secrets`. */
function shown<T extends Printable>(registered: T, options: ConnectionOptions): T {
  if (options.showSecrets) return registered;
  const copy: Printable = { ...registered };
  if (typeof copy.url === "string") copy.url = redactUrl(copy.url);
  if (copy.headers) copy.headers = Object.fromEntries(Object.keys(copy.headers).map((k) => [k, "***"]));
  return copy as T;
}

export function printWebhooks(webhooks: RegisteredWebhook[], options: ConnectionOptions, io: Io): void {
  if (options.json) {
    io.out(safeJson(webhooks.map((w) => shown(w, options))));
    return;
  }
  if (webhooks.length === 0) {
    io.out(io.c.dim("no webhooks"));
    return;
  }
  const rows = webhooks.map((w) => {
    const s = shown(w, options);
    return [
      safeText(s.id),
      safeText(s.event),
      safeText(s.url ?? ""),
      s.retryOnError === false ? "no" : "yes",
      safeText(Object.keys(s.headers ?? {}).join(",")) || "-",
    ];
  });
  const [head, ...body] = table([["ID", "EVENT", "URL", "RETRY", "HEADERS"], ...rows]);
  io.out(io.c.bold(head as string));
  for (const line of body) io.out(line);
}

type SyncAction = "create" | "update" | "delete" | "keep";
const DONE: Record<SyncAction, string> = {
  create: "created",
  update: "updated",
  delete: "deleted",
  keep: "kept",
};

/** One row per webhook a sync touched (or would touch): action, webhook, detail. */
function syncRows(result: SyncResult | SyncPlan) {
  type Row = [SyncAction, { event: string; url?: string | null | undefined }, string];
  if ("created" in result) {
    return [
      ...result.created.map((w): Row => ["create", w, `id ${w.id}`]),
      ...result.updated.map((u): Row => ["update", u.webhook, `${u.changes.join(", ")} (${u.via})`]),
      ...result.deleted.map((w): Row => ["delete", w, `id ${w.id}`]),
      ...result.kept.map((w): Row => ["keep", w, `id ${w.id}`]),
    ];
  }
  return [
    ...result.create.map((w): Row => ["create", w, ""]),
    ...result.update.map((u): Row => ["update", u.webhook, u.changes.join(", ")]),
    ...result.delete.map((d): Row => ["delete", d.webhook, d.reason]),
    ...result.keep.map((w): Row => ["keep", w, `id ${w.id}`]),
  ];
}

export function printSync(
  result: SyncResult | SyncPlan,
  dryRun: boolean,
  options: ConnectionOptions,
  io: Io,
): void {
  const rows = syncRows(result).map(([action, webhook, detail]) => ({
    action,
    label: dryRun ? `would ${action}` : DONE[action],
    event: safeText(webhook.event),
    url: safeText(options.showSecrets ? String(webhook.url) : redactUrl(String(webhook.url))),
    detail: safeText(detail),
  }));
  const count = (action: SyncAction) => rows.filter((r) => r.action === action).length;
  const counts = {
    created: count("create"),
    updated: count("update"),
    deleted: count("delete"),
    kept: count("keep"),
  };
  if (options.json) {
    const actions = rows.map(({ label, event, url, detail }) => ({ action: label, event, url, detail }));
    io.out(safeJson({ dryRun, ...counts, actions }));
    return;
  }
  const { c } = io;
  const colour = { create: c.green, update: c.green, delete: c.red, keep: c.dim };
  table(rows.map((r) => [r.label, r.event, r.url, r.detail])).forEach((line, i) => {
    const row = rows[i] as (typeof rows)[number];
    io.out(colour[row.action](row.label) + line.slice(row.label.length));
  });
  const verb = dryRun ? "would be " : "";
  io.out(
    Object.entries(counts)
      .map(([name, n]) => `${n} ${verb}${name}`)
      .join(", "),
  );
}

export function printSubscriptions(list: RegisteredSubscription[], options: ConnectionOptions, io: Io) {
  if (options.json) return io.out(safeJson(list.map((s) => shown(s, options))));
  if (list.length === 0) return io.out(io.c.dim("no notification subscriptions"));
  const [head, ...body] = table([
    ["ID", "TYPES", "URL", "ACTIVE", "HEADERS"],
    ...list.map((subscription) => {
      const s = shown(subscription, options);
      return [
        safeText(s.id),
        safeText(s.notificationTypes.join(",")),
        safeText(s.url ?? ""),
        s.active === false ? "no" : "yes",
        safeText(Object.keys(s.headers).join(",")) || "-",
      ];
    }),
  ]);
  io.out(io.c.bold(head as string));
  for (const line of body) io.out(line);
}

export function printSubscriptionSync(
  result: SubscriptionPlan | SubscriptionSyncResult,
  dryRun: boolean,
  options: ConnectionOptions,
  io: Io,
) {
  type Row = [string, { notificationTypes: readonly string[]; url?: string | null }, string];
  const rows: Row[] =
    "created" in result
      ? [
          ...result.created.map((s): Row => ["create", s, `id ${s.id}`]),
          ...result.updated.map((u): Row => ["update", u.subscription, `${u.changes.join(", ")} (${u.via})`]),
          ...result.deleted.map((s): Row => ["delete", s, `id ${s.id}`]),
          ...result.kept.map((s): Row => ["keep", s, `id ${s.id}`]),
        ]
      : [
          ...result.create.map((s): Row => ["create", s, ""]),
          ...result.update.map((u): Row => ["update", u.desired, u.changes.join(", ")]),
          ...result.delete.map((d): Row => ["delete", d.subscription, d.reason]),
          ...result.keep.map((s): Row => ["keep", s, `id ${s.id}`]),
        ];
  const lines = rows.map(([action, s, detail]) => ({
    action: dryRun ? `would ${action}` : `${action === "keep" ? "kept" : `${action.replace(/e$/, "")}ed`}`,
    types: safeText(s.notificationTypes.map((t) => t.toUpperCase()).join(",")),
    url: safeText(options.showSecrets ? String(s.url) : redactUrl(String(s.url))),
    detail: safeText(detail),
  }));
  const changed = rows.some(([action]) => action !== "keep");
  if (options.json) return io.out(safeJson({ dryRun, changed, actions: lines }));
  for (const line of table(lines.map((l) => [l.action, l.types, l.url, l.detail]))) io.out(line);
  io.out(io.c.dim(changed ? (dryRun ? "would change: yes" : "changed: yes") : "everything is in line"));
}
