import type { DeliveryLogFilter, DeliveryOutcome } from "@octo-webhooks/core";
import { type Command, InvalidArgumentError, Option } from "commander";
import { integer } from "../options.ts";

// The filters `deliveries list` and `replay` take, and the inspector's page sends: each one a field of
// core's DeliveryLogFilter.

/** Every outcome an entry can have, in the order the filters offer them. */
export const OUTCOMES: readonly DeliveryOutcome[] = [
  "handled",
  "accepted",
  "duplicate",
  "stale",
  "unchanged",
  "notFound",
  "refused",
  "failed",
];

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * An instant as ISO 8601: an ISO date or date-time (`2026-12-05`, `2026-12-05T06:00:00Z`), or a time
 * ago (`30m`, `2h`, `7d`).
 */
export function instant(value: string, now = Date.now()): string {
  const text = value.trim();
  const ago = /^(\d{1,6})([smhd])$/.exec(text);
  if (ago !== null) return new Date(now - Number(ago[1]) * (UNITS[ago[2] as string] as number)).toISOString();
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new InvalidArgumentError(
      "expected an ISO date or time (2026-12-05T06:00:00Z) or a time ago (30m, 2h, 7d)",
    );
  }
  return new Date(ms).toISOString();
}

/** The filter options as given. */
export interface FilterOptions {
  supplier?: string;
  event?: string;
  resource?: string;
  key?: string;
  outcome?: DeliveryOutcome;
  status?: number;
  since?: string;
  until?: string;
}

/** `--supplier`, `--event`, `--resource`, `--key`, `--outcome`, `--status`, `--since`, `--until`. */
export function withFilters(command: Command): Command {
  return command
    .option("--supplier <id>", "only this supplier's deliveries")
    .option("--event <event>", "only this event (booking_update, notification...)")
    .option("--resource <id>", "only this resource's (a booking's uuid, an order's or product's id...)")
    .option("--key <deliveryKey>", "only the attempts of this delivery")
    .addOption(new Option("--outcome <outcome>", "only this outcome").choices(OUTCOMES))
    .option("--status <status>", "only deliveries answered with this HTTP status", integer)
    .option("--since <when>", "arrived at or after: ISO date/time, or a time ago (30m, 2h, 7d)", (v) =>
      instant(v),
    )
    .option("--until <when>", "arrived at or before: ISO date/time, or a time ago", (v) => instant(v));
}

/** The log's filter of the given options (those not given are left out). */
export function filterOf(options: FilterOptions): DeliveryLogFilter {
  const filter: DeliveryLogFilter = {};
  if (options.supplier !== undefined) filter.supplier = options.supplier;
  if (options.event !== undefined) filter.event = options.event;
  if (options.resource !== undefined) filter.resourceId = options.resource;
  if (options.key !== undefined) filter.deliveryKey = options.key;
  if (options.outcome !== undefined) filter.outcome = options.outcome;
  if (options.status !== undefined) filter.status = options.status;
  if (options.since !== undefined) filter.since = options.since;
  if (options.until !== undefined) filter.until = options.until;
  return filter;
}
