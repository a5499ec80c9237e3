import { isHeaderName } from "@octo-webhooks/client";
import { InvalidArgumentError } from "commander";

/** `--header k=v`, repeatable, into a record. */
export function collectHeader(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const index = value.indexOf("=");
  const name = index > 0 ? value.slice(0, index).trim() : "";
  if (!isHeaderName(name)) {
    throw new InvalidArgumentError('expected name=value, e.g. --header "x-api-key=abc"');
  }
  return { ...previous, [name]: value.slice(index + 1) };
}

/** A non-negative integer option (`--port`, `--timeout`). */
export function integer(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError("expected a whole number");
  return n;
}

/** `--retry-schedule 100,500,2000` (ms). */
export function schedule(value: string): number[] {
  if (value.trim() === "") return [];
  return value.split(",").map((part) => integer(part.trim()));
}

/** `--capabilities octo/pricing,octo/content`. */
export function list(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}
