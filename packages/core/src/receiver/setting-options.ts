// The names of the settings users give (data only, so that `./adapter` can export it without carrying the receiver).

/**
 * The options of `createOctoWebhooks()` that are not handlers (those come from `handlerOptionNames()`),
 * nor the adapters' `path` and `webhooks`. A package that builds a receiver for its users (a queue's)
 * derives what it accepts from this list, so that a new setting reaches it.
 *
 * @example
 * ```ts
 * const accepted = new Set(SETTING_OPTIONS.filter((name) => name !== "ackFirst"));
 * ```
 */
export const SETTING_OPTIONS = [
  "auth",
  "suppliers",
  "allowFrom",
  "trustProxy",
  "supplierCacheMs",
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
  "telemetry",
  "log",
  "hydrate",
] as const;
