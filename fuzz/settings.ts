import { basic } from "@octo-webhooks/test-helpers";

/** Bodies per target: a CI-sized batch by default; `pnpm fuzz` sets FUZZ_RUNS=100000. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
/** Fixed unless FUZZ_SEED is given, so a failure reproduces; fast-check prints the seed and path. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261127);
/** A request (or reading its answer) that takes longer than this fails the run as a hang. */
export const REQUEST_TIMEOUT_MS = Number(process.env.FUZZ_REQUEST_TIMEOUT_MS ?? 10_000);
export const USER = "octo";
export const PASS = "fuzz-s3cret-pässword";
export const VALID_AUTHORIZATION = basic(USER, PASS);
/** Polluting bodies per adapter and body parser (every parser of the suite, so fewer than FUZZ_RUNS). */
export const POLLUTION_RUNS = Math.min(2000, Math.max(60, Math.round(FUZZ_RUNS / 20)));
