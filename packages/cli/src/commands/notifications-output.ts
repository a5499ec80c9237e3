import {
  type RegisteredSubscription,
  redactUrl,
  type SubscriptionPlan,
  type SubscriptionSyncResult,
} from "@octo-webhooks/client";
import { type Io, table } from "../output.ts";
import { safeJson, safeText } from "../safe-text.ts";
import type { ConnectionOptions } from "./connection.ts";
import { shown } from "./shown.ts";

// How the `notifications` subcommands print: as `webhooks` do (webhooks-output.ts), tables or JSON,
// secrets hidden, every string that came from the supplier escaped.

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
