import { configError } from "./errors.ts";
import type { RetryOptions } from "./send.ts";

const DEFAULT_RETRY: Required<RetryOptions> = { limit: 2, minDelayMs: 250, maxDelayMs: 10_000 };

/** The checked `retries` of `createOctoClient`, defaults filled in. */
export function retrySettings(retries: number | RetryOptions | undefined): Required<RetryOptions> {
  const given = typeof retries === "number" ? { limit: retries } : (retries ?? {});
  const settings = { ...DEFAULT_RETRY, ...given };
  if (!Number.isInteger(settings.limit) || settings.limit < 0)
    configError("`retries` must be a non-negative integer");
  if (!(settings.minDelayMs >= 0) || !(settings.maxDelayMs >= settings.minDelayMs))
    configError("`retries.minDelayMs` and `retries.maxDelayMs` must be 0 <= minDelayMs <= maxDelayMs");
  return settings;
}
