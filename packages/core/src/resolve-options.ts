// Validation of every option of `createOctoWebhooks()`, once, into the settings the receiver runs on.
import type { AuthOption } from "./auth.ts";
import { createMemoryStore } from "./create-memory-store.ts";
import type { DeliveryStore } from "./delivery-store.ts";
import { OctoWebhooksError, PACKAGE_PREFIX } from "./errors.ts";
import { type HydrateSettings, resolveHydrate } from "./hydrate.ts";
import { handlerOptionNames, misspeltOptions } from "./known-names.ts";
import type { OctoWebhooksOptions } from "./receiver-types.ts";
import type { SuppliersOption } from "./supplier-auth.ts";
import type { Logger } from "./types.ts";
import { lenientValidation, type OctoValidator } from "./validation.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Duplicate suppression, when on: where claims are kept, how long a processed key is, how long a claim is. */
export interface DedupeSettings {
  store: DeliveryStore;
  ttlMs: number;
  leaseMs: number;
}

/** The stale-update guard, when on: where the newest `utcUpdatedAt` of each booking is kept, and how long. */
export interface StaleGuardSettings {
  store: DeliveryStore;
  ttlMs: number;
  /** How far ahead of this clock a `utcUpdatedAt` may be and still order updates. */
  maxFutureSkewMs: number;
}

/** Ack-first, when on: the in-process queue's bounds. */
export interface AckFirstSettings {
  concurrency: number;
  maxQueued: number;
}

/** Every option of a receiver, checked, with its default applied. */
export interface ReceiverSettings<TContext> {
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  validator: OctoValidator;
  /** Said in the message of a 400, so that a strict refusal is not mistaken for a lenient one. */
  strict: boolean;
  unknownEvents: "accept" | "reject";
  realm: string;
  logger: Logger;
  auth: AuthOption<TContext> | undefined;
  /** Who may send deliveries, by supplier id (instead of `auth`). */
  suppliers: SuppliersOption | undefined;
  /** How long a `suppliers` function's answer is reused, in ms. */
  supplierCacheMs: number;
  dedupe: DedupeSettings | undefined;
  staleGuard: StaleGuardSettings | undefined;
  ackFirst: AckFirstSettings | undefined;
  /** How notifications are hydrated, when `hydrate` is given. */
  hydrate: HydrateSettings | undefined;
}

const defaultLogger: Logger = {
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error ?? ""),
};

/** The options of `createOctoWebhooks()` that are not handlers (those come from `handlerOptionNames()`). */
export const SETTING_OPTIONS = [
  "auth",
  "maxBodyBytes",
  "bodyTimeoutMs",
  "validation",
  "unknownEvents",
  "realm",
  "logger",
  "dedupe",
  "staleGuard",
  "store",
  "ackFirst",
  "hydrate",
] as const;

/**
 * Every option name `createOctoWebhooks()` knows, for the "did you mean" of a misspelt one; `path`
 * and `webhooks` are the adapters' (`adapterWebhooks()` takes them out before it calls core).
 */
export const optionNames = (): string[] => [...SETTING_OPTIONS, ...handlerOptionNames(), "path", "webhooks"];

/** Throws the `CONFIG_INVALID` error of a bad option. */
export function configError(message: string): never {
  throw new OctoWebhooksError("CONFIG_INVALID", message);
}

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

function resolveValidator(
  validation: OctoWebhooksOptions["validation"],
  strict: OctoValidator | undefined,
): OctoValidator {
  if (validation === undefined || validation === "lenient") return lenientValidation;
  if (typeof validation === "function") return validation;
  if (validation !== "strict")
    configError('`validation` must be "lenient", "strict" or a validator function');
  return (
    strict ??
    configError(
      'validation: "strict" needs the official schemas, which this edge build leaves out to stay small: ' +
        'import { strictValidation } from "@octo-webhooks/core/schemas" and pass `validation: strictValidation`',
    )
  );
}

function resolveStore(store: DeliveryStore | undefined, used: boolean, logger: Logger): DeliveryStore {
  if (store !== undefined) {
    const methods = ["claim", "complete", "release", "recordNewest"] as const;
    const given: Partial<DeliveryStore> = store;
    const missing = methods.filter((m) => typeof given[m] !== "function");
    if (missing.length > 0) configError(`\`store\` lacks ${missing.join(", ")}; see DeliveryStore`);
    if (!used) logger.warn?.(`${PACKAGE_PREFIX} \`store\` is unused: turn on \`dedupe\` or \`staleGuard\``);
  }
  return store ?? createMemoryStore();
}

/**
 * Checks every option (throwing `CONFIG_INVALID`) and applies the defaults. `strict` is the validator
 * of `validation: "strict"`, which the edge build does not have.
 */
export function resolveOptions<TContext>(
  options: OctoWebhooksOptions<TContext>,
  strict: OctoValidator | undefined,
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
  const validator = resolveValidator(options.validation, strict);
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
  const supplierCacheMs = positive(options.supplierCacheMs, "supplierCacheMs", 30_000);
  const used = dedupe !== undefined || staleGuard !== undefined;
  const store = resolveStore(options.store, used, logger);

  return {
    maxBodyBytes,
    bodyTimeoutMs,
    validator,
    strict: options.validation === "strict",
    unknownEvents,
    realm: (options.realm ?? "octo-webhooks").replace(/["\\]/g, ""),
    logger,
    auth: options.auth,
    suppliers: options.suppliers,
    supplierCacheMs,
    dedupe: dedupe && { store, ttlMs: dedupeTtlMs, leaseMs },
    staleGuard: staleGuard && { store, ttlMs: staleTtlMs, maxFutureSkewMs },
    ackFirst: ackFirst && { concurrency, maxQueued },
    hydrate: resolveHydrate(options.hydrate, configError),
  };
}
