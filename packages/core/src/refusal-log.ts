// Refused deliveries reported at `warn`, so that a supplier stuck on a wrong password is seen with the
// default logger, without flooding it: per reason, the first refusal, then at most one line a minute
// saying how many more there were. Messages are ours and never carry credentials.
import { type OctoRequestError, PACKAGE_PREFIX } from "./errors.ts";
import type { OctoLogFields } from "./log-fields.ts";
import type { Logger } from "./types.ts";

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

/** Said once, at the first request, by a receiver without `auth`. */
export const OPEN_ENDPOINT_WARNING = `${PACKAGE_PREFIX} no \`auth\` is configured: this endpoint accepts deliveries from anyone. Give \`auth\` (for example { basic: { username, password } }), or \`auth: "none"\` to say it is on purpose`;

/** The message of a 415: which content type arrived (printable and cut short), and what is expected. */
export function unsupportedMediaType(contentType: string | undefined): string {
  if (contentType === undefined || contentType.trim() === "") {
    return "the request has no Content-Type; deliveries must be sent as application/json";
  }
  const shown = contentType.replace(/[^\x20-\x7e]/g, "?").slice(0, 100);
  return `the body must be application/json, not "${shown}"`;
}

/** Whether a request's body was already read by something in front (a body parser): not a stream. */
export function isPreRead(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  if (typeof body !== "object") return true;
  return !(Symbol.asyncIterator in body) && typeof (body as { getReader?: unknown }).getReader !== "function";
}

/** Said once by a receiver given `maxBodyBytes` or `bodyTimeoutMs` that gets bodies a parser already read. */
export const PRE_READ_WARNING = `${PACKAGE_PREFIX} the request body was already read by a body parser in front of the receiver (express.json()...): \`maxBodyBytes\` and \`bodyTimeoutMs\` cannot apply, the parser's own limits answer instead (Express: an HTML 413, or no answer to a stalled body). Mount octoWebhooks() before the body parser`;
