// The delivery log as an instrumentation of the pipeline: it sees each delivery where telemetry does (its
// headers, its body as read, its parse, each handler, the answer, the after-answer work) and writes one
// entry per attempt, without a credential. Combined with the user's `telemetry` when both are given.

import { PACKAGE_PREFIX } from "../errors/codes.ts";
import { isNonRetryableError, OctoHandlerError } from "../errors/errors.ts";
import { deliveryKey } from "../events/delivery-key.ts";
import { isModelled, OCTO_EVENTS } from "../events/event-table.ts";
import type { HeaderLookup } from "../http/headers.ts";
import { toHeaders } from "../http/headers.ts";
import type { Logger } from "../log/logger.ts";
import { configuredSecrets } from "../telemetry/otel-attributes.ts";
import type { DeliveryTelemetry, ReceiverTelemetry, TelemetryDelivery } from "../telemetry/telemetry.ts";
import type { DeliveryLog, DeliveryLogEntry, DeliveryOutcome, LoggedHandler } from "./delivery-log.ts";
import { LOG_INSTRUMENT, type LogInstrument } from "./log-instrument.ts";

/**
 * Header names that carry credentials whatever the configuration (a per-request `auth` resolver's
 * header is not known in advance): their values are never written.
 */
const CREDENTIAL_NAME = /auth|token|key|secret|signature|passw|cookie|session/i;
const REDACTED = "[REDACTED]";

/** What the log is written with. */
export interface LogSettings {
  log: DeliveryLog;
  /** Bodies larger than this are kept as their size and hash only. */
  maxBodyBytes: number;
  /** The configured secrets (passwords, their Basic form, header values): never written. */
  secrets: readonly string[];
  /** The headers the configuration checks (`auth.header` names): never written. */
  secretHeaders: ReadonlySet<string>;
  logger: Logger;
}

/** The header names an `auth` or `suppliers` option checks (`auth.header`), lower-cased. */
function secretHeaderNames(options: object): Set<string> {
  const names = new Set<string>();
  const add = (auth: unknown) => {
    const header = (auth as { header?: unknown } | undefined)?.header;
    for (const one of Array.isArray(header) ? header : [header]) {
      const name = (one as { name?: unknown } | undefined)?.name;
      if (typeof name === "string") names.add(name.toLowerCase());
    }
  };
  const { auth, suppliers } = options as { auth?: unknown; suppliers?: unknown };
  add(auth);
  if (typeof suppliers === "object" && suppliers !== null) {
    for (const supplier of Object.values(suppliers)) add((supplier as { auth?: unknown } | undefined)?.auth);
  }
  return names;
}

/** `text` with every configured secret replaced (linear: one split per secret present). */
function redact(text: string, secrets: readonly string[]): string {
  let safe = text;
  for (const secret of secrets) if (safe.includes(secret)) safe = safe.split(secret).join(REDACTED);
  return safe;
}

/** The id of the resource a parsed delivery names. */
function resourceIdOf({ event, body }: TelemetryDelivery): string | undefined {
  const notification = (body as { data?: Record<string, unknown> }).data;
  if (event === "notification" && notification !== undefined) {
    const id = notification.uuid ?? notification.productId;
    return typeof id === "string" ? id : undefined;
  }
  if (!isModelled(event)) return undefined;
  const [key, , idField] = OCTO_EVENTS[event];
  const resource = body[key] as Record<string, unknown> | undefined;
  const id = resource?.[idField ?? "id"];
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
}

/**
 * Makes `log` a log a receiver can write (`log` option): `createMemoryLog()`, `createRedisLog()` and
 * `createPostgresLog()` return theirs through it; a `DeliveryLog` of your own needs it too.
 *
 * @example
 * ```ts
 * const webhooks = createOctoWebhooks({ log: logDeliveries({ append, list, get }) });
 * ```
 */
export function logDeliveries<L extends DeliveryLog>(
  log: L,
): L & { readonly [LOG_INSTRUMENT]: LogInstrument } {
  const instrument: LogInstrument = ({ options, maxBodyBytes, logger }) =>
    createLogTelemetry({
      log,
      maxBodyBytes,
      secrets: configuredSecrets(options),
      secretHeaders: secretHeaderNames(options),
      logger,
    });
  return Object.assign(log, { [LOG_INSTRUMENT]: instrument });
}

/** The log's instrumentation: one {@link DeliveryTelemetry} per delivery, appending its entry at the end. */
function createLogTelemetry(settings: LogSettings): ReceiverTelemetry {
  const { log, secrets, secretHeaders, logger } = settings;
  const headersOf = (lookup: HeaderLookup | undefined): Record<string, string> => {
    const kept: Record<string, string> = {};
    for (const [name, value] of toHeaders(lookup)) {
      if (CREDENTIAL_NAME.test(name) || secretHeaders.has(name)) kept[name] = REDACTED;
      else kept[name] = redact(value, secrets);
    }
    return kept;
  };
  const append = (entry: DeliveryLogEntry) => {
    const failed = (error: unknown) =>
      logger.error?.(`${PACKAGE_PREFIX} the delivery log failed to keep an entry`, {
        deliveryKey: entry.deliveryKey,
        event: entry.event,
        error,
      });
    try {
      const done = log.append(entry);
      if (done instanceof Promise) done.catch(failed);
    } catch (error) {
      failed(error);
    }
  };

  return {
    start(_method, headers) {
      const started = performance.now();
      const entry: DeliveryLogEntry = {
        id: globalThis.crypto.randomUUID(),
        receivedAt: new Date().toISOString(),
        source: "webhook",
        headers: headersOf(headers),
        outcome: "handled",
        handlers: [],
        durationMs: 0,
      };
      let deferred = false;
      let written = false;
      const write = () => {
        if (written) return;
        written = true;
        entry.durationMs = Math.round(performance.now() - started);
        append(entry);
      };
      const keepBody = (text: string | undefined, size: number) => {
        entry.bodySize = size;
        if (text === undefined) return;
        if (size <= settings.maxBodyBytes) entry.body = redact(text, secrets);
        else entry.bodyHash = deliveryKey(text);
      };
      return {
        read(body) {
          keepBody(body.text, body.size);
        },
        parsed(delivery) {
          const { context } = delivery;
          entry.event = delivery.event;
          entry.deliveryKey = context.deliveryKey;
          entry.supplier = context.supplier;
          entry.source = context.source;
          entry.resourceId = resourceIdOf(delivery);
          // a body a parser read before us: what it parsed, as JSON
          if (entry.bodySize === undefined) {
            const text = context.rawBody ?? JSON.stringify(delivery.body);
            keepBody(text, text.length);
          }
        },
        handler(index, run, event) {
          const at = performance.now();
          const record = (ok: boolean, error?: unknown) => {
            const handler: LoggedHandler = {
              event: event ?? entry.event ?? "",
              index,
              ok,
              durationMs: Math.round(performance.now() - at),
            };
            if (!ok)
              handler.error = redact(error instanceof Error ? error.message : String(error), secrets).slice(
                0,
                1000,
              );
            entry.handlers.push(handler);
          };
          let result: unknown;
          try {
            result = run();
          } catch (error) {
            record(false, error);
            throw error;
          }
          if (result instanceof Promise) {
            result.then(
              () => record(true),
              (error: unknown) => record(false, error),
            );
          } else record(true);
          return result;
        },
        scheduled() {
          deferred = true;
        },
        background(run) {
          return run().then(
            () => {
              entry.outcome = entry.handlers.every((h) => h.ok) ? "handled" : "failed";
              write();
            },
            (error: unknown) => {
              entry.outcome = "failed";
              write();
              throw error;
            },
          );
        },
        end(status, error, skipped) {
          entry.status = status;
          if (error !== undefined) {
            const { code, message, supplier, claimedSupplier } = error as {
              code?: unknown;
              message?: unknown;
              supplier?: unknown;
              claimedSupplier?: unknown;
            };
            entry.error = {
              code: typeof code === "string" ? code : "INTERNAL_ERROR",
              message: redact(typeof message === "string" ? message : String(error), secrets).slice(0, 1000),
            };
            entry.supplier ??=
              typeof supplier === "string"
                ? supplier
                : typeof claimedSupplier === "string"
                  ? claimedSupplier
                  : undefined;
            // `receive()` has no status: a refusal's is on the error, or handlers that only refused on purpose
            const given = status ?? (error as { status?: unknown }).status;
            const refusedOnPurpose =
              error instanceof OctoHandlerError && error.errors.every(isNonRetryableError);
            entry.outcome =
              refusedOnPurpose || (typeof given === "number" && given < 500) ? "refused" : "failed";
          } else
            entry.outcome = (skipped as DeliveryOutcome | undefined) ?? (deferred ? "accepted" : "handled");
          // ack-first: written once its handlers are done (in `background`)
          if (!deferred || error !== undefined || skipped !== undefined) write();
        },
      } satisfies DeliveryTelemetry;
    },
  };
}
