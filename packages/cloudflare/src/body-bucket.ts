// Bodies too large for a queue message, kept in an R2 bucket or a KV namespace under their delivery's key.
import type { BodyBucketLike } from "./workers-types.ts";

/** Whether `value` has what `bodies` needs (an R2 bucket, a KV namespace). */
export const isBodyBucket = (value: unknown): value is BodyBucketLike =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as BodyBucketLike).put === "function" &&
  typeof (value as BodyBucketLike).get === "function" &&
  typeof (value as BodyBucketLike).delete === "function";

/** The text kept under `key`: a KV namespace answers it, an R2 bucket an object with `text()`; `undefined` when none. */
export async function readBody(bucket: BodyBucketLike, key: string): Promise<string | undefined> {
  const found = await bucket.get(key);
  if (typeof found === "string") return found;
  if (
    typeof found === "object" &&
    found !== null &&
    typeof (found as { text?: unknown }).text === "function"
  ) {
    return (found as { text(): Promise<string> }).text();
  }
  return undefined;
}
