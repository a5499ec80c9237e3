import { isHeaderName } from "@octo-webhooks/client";
import { InvalidArgumentError, Option } from "commander";

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

/** `--port`, for the commands that run a server. */
export function portOption(description: string, port: number): Option {
  return new Option("--port <port>", description).argParser(integer).default(port);
}

/** `--host`, for the commands that run a server: loopback unless told otherwise. */
export function hostOption(): Option {
  return new Option("--host <host>", "interface to listen on").default("127.0.0.1");
}

/** `--retry-schedule`, for the commands that run a mock supplier. */
export function retryScheduleOption(): Option {
  return new Option("--retry-schedule <ms,...>", "waits before each retry of a failed delivery")
    .argParser(schedule)
    .default([1000, 5000, 30_000]);
}
