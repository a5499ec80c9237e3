// The settings step: every option of `createOctoWebhooks()` checked once, with its default applied, into
// the one `ReceiverSettings` the pipeline reads (it never reads the options again).

import type { DedupeSettings, StaleGuardSettings } from "../admission/create-admission.ts";
import { createMemoryStore } from "../admission/create-memory-store.ts";
import type { DeliveryStore } from "../admission/delivery-store.ts";
import { createAllowFrom } from "../auth/allow-from.ts";
import type { AuthOption, SuppliersOption } from "../auth/credentials.ts";
import { PACKAGE_PREFIX } from "../errors/codes.ts";
import { configError } from "../errors/errors.ts";
import { lenientValidation, type OctoValidator, STRICT_VALIDATOR } from "../events/lenient-validation.ts";
import type { ParseSettings } from "../events/parse-delivery.ts";
import type { DeliveryLog } from "../log/delivery-log.ts";
import { LOG_INSTRUMENT, type LogInstrument } from "../log/log-instrument.ts";
import type { Logger } from "../log/logger.ts";
import { type HydrateSettings, resolveHydrate } from "../notifications/create-hydrator.ts";
import type { OctoTelemetry } from "../telemetry/telemetry.ts";
import { type HandlerEntry, handlersIn } from "./handler-registry.ts";
import { handlerOptionNames, misspeltOptions } from "./known-names.ts";
import { nearest } from "./nearest.ts";
import { SETTING_OPTIONS } from "./setting-options.ts";
import type { OctoWebhooksOptions } from "./types.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Ack-first, when on: the in-process queue's bounds. */
export interface AckFirstSettings {
  concurrency: number;
  maxQueued: number;
}

/** Every option of a receiver, checked, with its default applied. */
export interface ReceiverSettings<TContext> extends ParseSettings {
  /** The path `fetch()` answers (checked to start with `/`), when given. */
  path: string | undefined;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  /** Whether `maxBodyBytes` or `bodyTimeoutMs` was given: a body parser in front then deserves a warning. */
  limitsGiven: boolean;
  realm: string;
  logger: Logger;
  auth: AuthOption<TContext> | undefined;
  /** Who may send deliveries, by supplier id (instead of `auth`). */
  suppliers: SuppliersOption | undefined;
  /** How long a `suppliers` function's answer is reused, in ms. */
  supplierCacheMs: number;
  /** The `allowFrom` check of a client address, when given. */
  allowFrom: ((address: string | undefined) => boolean) | undefined;
  /** Proxies trusted for `X-Forwarded-For` (`false`: none). */
  trustProxy: boolean | number;
  dedupe: DedupeSettings | undefined;
  staleGuard: StaleGuardSettings | undefined;
  ackFirst: AckFirstSettings | undefined;
  /** How notifications are hydrated, when `hydrate` is given. */
  hydrate: HydrateSettings | undefined;
  telemetry: OctoTelemetry | undefined;
  /** The delivery log, when given. */
  log: { store: DeliveryLog; maxBodyBytes: number; instrument: LogInstrument } | undefined;
  /** The handlers given as options, by the name of the list each joins. */
  handlers: readonly HandlerEntry[];
}

const defaultLogger: Logger = {
  warn: (message) => console.warn(message),
  error: (message, fields) => console.error(message, fields?.error ?? ""),
};

/**
 * Every option name `createOctoWebhooks()` knows, for the "did you mean" of a misspelt one; `path`
 * and `webhooks` are the adapters' (`adapterWebhooks()` takes them out before it calls core).
 */
export const optionNames = (): string[] => [...SETTING_OPTIONS, ...handlerOptionNames(), "path", "webhooks"];

function positive(value: unknown, name: string, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value > 0) || (integer && !Number.isInteger(value))) {
    configError(`\`${name}\` must be a positive ${integer ? "integer" : "number"}`);
  }
  return value;
}

/** The settings object of a `boolean | {...}` option: `{}` for `true`, `undefined` when off. */
function optionObject<T extends object>(
  value: boolean | T | undefined,
  name: string,
): Partial<T> | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return {};
  if (typeof value !== "object" || value === null) configError(`\`${name}\` must be a boolean or an object`);
  return value;
}

function resolveValidator(validation: OctoWebhooksOptions["validation"]): OctoValidator {
  if (validation === undefined || validation === "lenient") return lenientValidation;
  if (typeof validation === "function") return validation;
  if (validation !== "strict")
    configError('`validation` must be "lenient", "strict" or a validator function');
  return configError(
    'validation: "strict" needs the official schemas, which core\'s main entry leaves out to stay small (zod): ' +
      'import { strictValidation } from "@octo-webhooks/core/schemas" and pass `validation: strictValidation`',
  );
}

/** Whether `validator` is `strictValidation` (of `./schemas`, which marks it), said in a 400's message. */
const isStrict = (validator: OctoValidator): boolean =>
  (validator as unknown as Record<symbol, unknown>)[STRICT_VALIDATOR] === true;

function resolveStore(store: DeliveryStore | undefined, used: boolean, logger: Logger): DeliveryStore {
  if (store !== undefined) {
    const methods = ["claim", "complete", "release", "recordNewest"] as const;
    const given: Partial<DeliveryStore> = store;
    const missing = methods.filter((m) => typeof given[m] !== "function");
    if (missing.length > 0) configError(`\`store\` lacks ${missing.join(", ")}; see DeliveryStore`);
    if (!used)
      logger.warn?.(`${PACKAGE_PREFIX} \`store\` is unused: turn on \`dedupe\` or \`staleGuard\``, {});
  }
  return store ?? createMemoryStore();
}

/**
 * The `path` option, checked: it starts with `/`, and its only parameter is `:supplier` (any other
 * `:name` would be taken as literal text, and every delivery would get a 404). `fail` throws the error
 * of the caller (core's `configError`; an adapter's names the adapter).
 */
function checkPath(path: unknown, fail: (message: string) => never): string | undefined {
  if (path === undefined) return undefined;
  if (typeof path !== "string" || !path.startsWith("/")) {
    fail('`path` must start with "/", for example "/webhooks/octo/:supplier"');
  }
  for (const segment of path.split("/")) {
    if (!segment.startsWith(":") || segment === ":supplier") continue;
    const near = nearest(segment, [":supplier"]);
    fail(
      `\`path\` has the parameter \`${segment.slice(0, 40)}\`; the only one is \`:supplier\`${near === undefined ? " (the id of the supplier that sends to it)" : ": did you mean `:supplier`?"}`,
    );
  }
  return path;
}

/** The `log` option, checked: a log, or `{ store, maxBodyBytes }`. */
function resolveLog(log: OctoWebhooksOptions["log"]): ReceiverSettings<never>["log"] {
  if (log === undefined) return undefined;
  const given =
    typeof (log as { append?: unknown }).append === "function" ? { store: log as DeliveryLog } : log;
  const store = (given as { store?: DeliveryLog }).store;
  if (
    typeof store?.append !== "function" ||
    typeof store.list !== "function" ||
    typeof store.get !== "function"
  ) {
    configError(
      "`log` must be a delivery log (createMemoryLog(), createRedisLog()...) or { store, maxBodyBytes }",
    );
  }
  const instrument = (store as { [LOG_INSTRUMENT]?: LogInstrument })[LOG_INSTRUMENT];
  if (typeof instrument !== "function") {
    configError(
      "`log` is a DeliveryLog of your own: give it as logDeliveries(yourLog), which writes it from each delivery",
    );
  }
  const maxBodyBytes = positive(
    (given as { maxBodyBytes?: number }).maxBodyBytes,
    "log.maxBodyBytes",
    64 * 1024,
    true,
  );
  return { store, maxBodyBytes, instrument };
}

/** Checks every option (throwing `CONFIG_INVALID`) and applies the defaults. */
export function resolveSettings<TContext>(
  options: OctoWebhooksOptions<TContext>,
): ReceiverSettings<TContext> {
  if (typeof options !== "object" || options === null) configError("options must be an object");
  const misspelt = misspeltOptions(Object.keys(options), optionNames());
  if (misspelt !== undefined) configError(misspelt);
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    configError("`maxBodyBytes` must be a positive integer");
  }
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 30_000;
  if (!(bodyTimeoutMs > 0)) configError("`bodyTimeoutMs` must be a positive number of milliseconds");
  const validator = resolveValidator(options.validation);
  const unknownEvents = options.unknownEvents ?? "accept";
  if (unknownEvents !== "accept" && unknownEvents !== "reject") {
    configError('`unknownEvents` must be "accept" or "reject"');
  }
  const logger = options.logger ?? defaultLogger;
  if (typeof options.auth === "string" && options.auth !== "none") {
    configError(
      '`auth` must be an object ({ basic, header, verify }), a function, or "none" for an open endpoint',
    );
  }

  const dedupe = optionObject(options.dedupe, "dedupe");
  const dedupeTtlMs = positive(dedupe?.ttlMs, "dedupe.ttlMs", DAY_MS);
  const leaseMs = positive(dedupe?.leaseMs, "dedupe.leaseMs", 5 * 60 * 1000);
  const staleGuard = optionObject(options.staleGuard, "staleGuard");
  const staleTtlMs = positive(staleGuard?.ttlMs, "staleGuard.ttlMs", 7 * DAY_MS);
  const maxFutureSkewMs = staleGuard?.maxFutureSkewMs ?? 5 * 60 * 1000;
  if (typeof maxFutureSkewMs !== "number" || !(maxFutureSkewMs >= 0)) {
    configError("`staleGuard.maxFutureSkewMs` must be a number of milliseconds, 0 or more");
  }
  const ackFirst = optionObject(options.ackFirst, "ackFirst");
  const concurrency = positive(ackFirst?.concurrency, "ackFirst.concurrency", 8, true);
  const maxQueued = positive(ackFirst?.maxQueued, "ackFirst.maxQueued", 1000, true);
  if (options.suppliers !== undefined && options.auth !== undefined) {
    configError("give `auth` or `suppliers`, not both: with `suppliers`, each supplier has its own `auth`");
  }
  if (options.telemetry !== undefined && typeof options.telemetry?.instrument !== "function") {
    configError(
      "`telemetry` must be openTelemetry() from @octo-webhooks/core/otel, or an object with `instrument()`",
    );
  }
  const supplierCacheMs = positive(options.supplierCacheMs, "supplierCacheMs", 30_000);
  const trustProxy = options.trustProxy ?? false;
  if (typeof trustProxy !== "boolean" && !(Number.isInteger(trustProxy) && trustProxy >= 0)) {
    configError("`trustProxy` must be a boolean or the number of proxies in front (an integer, 0 or more)");
  }
  const used = dedupe !== undefined || staleGuard !== undefined;
  const store = resolveStore(options.store, used, logger);

  return {
    path: checkPath(options.path, configError),
    maxBodyBytes,
    bodyTimeoutMs,
    limitsGiven: options.maxBodyBytes !== undefined || options.bodyTimeoutMs !== undefined,
    validator,
    strict: isStrict(validator),
    unknownEvents,
    realm: (options.realm ?? "octo-webhooks").replace(/["\\]/g, ""),
    logger,
    auth: options.auth,
    suppliers: options.suppliers,
    supplierCacheMs,
    allowFrom: options.allowFrom === undefined ? undefined : createAllowFrom(options.allowFrom, configError),
    trustProxy,
    dedupe: dedupe && { store, ttlMs: dedupeTtlMs, leaseMs },
    staleGuard: staleGuard && { store, ttlMs: staleTtlMs, maxFutureSkewMs },
    ackFirst: ackFirst && { concurrency, maxQueued },
    hydrate: resolveHydrate(options.hydrate, configError),
    telemetry: options.telemetry,
    log: resolveLog(options.log),
    handlers: handlersIn(options),
  };
}
