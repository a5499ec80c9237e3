// Refused deliveries reported at `warn`, so that a supplier stuck on a wrong password is seen with the
// default logger, without flooding it: per reason, the first refusal, then at most one line a minute
// saying how many more there were. Messages are ours and never carry credentials.
import { PACKAGE_PREFIX } from "../errors/codes.ts";
import type { OctoRequestError } from "../errors/errors.ts";
import type { Logger, OctoLogFields } from "./logger.ts";

/** How often a reason's count is reported, at most. */
export const REFUSAL_LOG_INTERVAL_MS = 60_000;

/** Reports a refusal: every one at `debug`, the first of each reason (and then a count a minute) at `warn`. */
export type RefusalLog = (error: OctoRequestError, from?: string, fields?: OctoLogFields) => void;

/** A refusal log over `logger`; `now` is the clock (tests pass their own). */
export function createRefusalLog(logger: Logger, now: () => number = Date.now): RefusalLog {
  const reasons = new Map<string, { since: number; more: number }>();
  return (error, from = "", fields) => {
    const detail = error.message.replace(PACKAGE_PREFIX, "").trim();
    const known = { ...fields, status: error.status, code: error.code };
    logger.debug?.(`${PACKAGE_PREFIX} refused a delivery${from}: ${detail}`, known);
    // 5xx refusals (store down, queue full, auth misconfigured) are reported where they happen
    if (error.status >= 500) return;
    const at = now();
    const reasonKey = `${error.code}${from}`;
    const reason = reasons.get(reasonKey);
    if (reason !== undefined && at - reason.since < REFUSAL_LOG_INTERVAL_MS) {
      reason.more++;
      return;
    }
    const earlier =
      reason !== undefined && reason.more > 0
        ? ` (and ${reason.more} more ${error.code} refusal${reason.more === 1 ? "" : "s"} in the last ${Math.round((at - reason.since) / 1000)} s)`
        : "";
    reasons.set(reasonKey, { since: at, more: 0 });
    logger.warn?.(
      `${PACKAGE_PREFIX} refused a delivery${from} with ${error.status}: ${detail}${earlier}`,
      known,
    );
  };
}
