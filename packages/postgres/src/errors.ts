import { type OctoErrorCode, OctoWebhooksError } from "@octo-webhooks/core";

export const PREFIX = "[@octo-webhooks/postgres]";

/** An `OctoWebhooksError` whose message starts with this package's name instead of core's. */
export function postgresError(code: OctoErrorCode, message: string, cause?: unknown): OctoWebhooksError {
  const error = new OctoWebhooksError(code, message, cause === undefined ? undefined : { cause });
  error.message = `${PREFIX} ${message}`;
  return error;
}

export function configError(message: string): never {
  throw postgresError("CONFIG_INVALID", message);
}

export function positiveInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    configError(`\`${name}\` must be a positive integer`);
  }
  return value;
}

/** `promise`, or a rejection once `ms` have passed without it settling. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`PostgreSQL did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
