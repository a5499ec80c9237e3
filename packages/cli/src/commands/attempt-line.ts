import { redactUrl } from "@octo-webhooks/client";
import type { Delivery, DeliveryAttempt } from "@octo-webhooks/testing";
import { describeEvent } from "../describe-event.ts";
import { type Colors, clock } from "../output.ts";
import { safeText } from "../safe-text.ts";

/**
 * The line `mock-supplier` and `dev` print for a delivery attempt: time, outcome, delivery, event, URL
 * (credentials hidden), the answer (and how long it took, with `took`), what the event says.
 */
export function attemptLine(
  attempt: DeliveryAttempt,
  delivery: Delivery,
  c: Colors,
  { prefix = "", took = false }: { prefix?: string; took?: boolean } = {},
): string {
  const ok = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
  const answer =
    attempt.status !== undefined ? String(attempt.status) : safeText(attempt.error ?? "no answer");
  const mark = ok ? c.green("✓") : c.red("✗");
  const duration = took ? ` ${attempt.durationMs} ms` : "";
  return `${prefix}${c.dim(clock())} ${mark} ${delivery.id} #${attempt.attempt} ${c.cyan(safeText(delivery.event))} → ${safeText(redactUrl(delivery.url))} ${ok ? c.green(answer) : c.red(answer)}${duration}  ${describeEvent(delivery.event, delivery.body, c)}`;
}
