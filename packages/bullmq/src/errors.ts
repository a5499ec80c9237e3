import { type OctoErrorCode, OctoWebhooksError } from "@octo-webhooks/core";

export const PREFIX = "[@octo-webhooks/bullmq]";

/** An `OctoWebhooksError` whose message starts with this package's name instead of core's. */
export function bullmqError(code: OctoErrorCode, message: string, cause?: unknown): OctoWebhooksError {
  const error = new OctoWebhooksError(code, message, cause === undefined ? undefined : { cause });
  error.message = `${PREFIX} ${message}`;
  return error;
}

export function configError(message: string): never {
  throw bullmqError("CONFIG_INVALID", message);
}

export function positiveInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    configError(`\`${name}\` must be a positive integer`);
  }
  return value;
}
