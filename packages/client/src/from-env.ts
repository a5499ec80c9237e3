import { configError } from "./errors.ts";
import type { EnvSource } from "./suppliers-config.ts";

/** The value of an env var, or a clear error naming the var (and the supplier), never a value. */
export function fromEnv(env: EnvSource, name: string, id: string): string {
  const value = env[name];
  if (value === undefined || value === "") configError(`supplier ${id}: the env var ${name} is not set`);
  return value;
}
