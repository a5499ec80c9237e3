import type { EnvSource } from "./suppliers-config.ts";

/** Where env var names are looked up by default: `process.env` where there is one. */
export const defaultEnv = (): EnvSource =>
  (globalThis as { process?: { env?: EnvSource } }).process?.env ?? {};
