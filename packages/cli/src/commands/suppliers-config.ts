// Finding and loading `octo-webhooks.config.ts` (or .mts, .js, .mjs, .json) with jiti, which compiles
// TypeScript configs on the fly on Node 20 without a build step.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { SuppliersConfig } from "@octo-webhooks/client";
import { CliError } from "../output.ts";

const NAMES = ["ts", "mts", "js", "mjs", "json"].map((ext) => `octo-webhooks.config.${ext}`);

/** The config file given, or the first `octo-webhooks.config.*` in the working directory. */
function configPath(given: string | undefined): string {
  if (given !== undefined) {
    const path = resolve(given);
    if (!existsSync(path)) throw new CliError(`no config file at ${given}`);
    return path;
  }
  const found = NAMES.map((name) => resolve(name)).find((path) => existsSync(path));
  if (found === undefined) {
    throw new CliError(`no ${NAMES[0]} (or .json) here: create one, or give --config <file>`);
  }
  return found;
}

/** Loads the config (its default export); a file that does not load is one clear line. */
export async function loadSuppliersConfig(given: string | undefined): Promise<SuppliersConfig> {
  const path = configPath(given);
  try {
    // loaded when a config is, so that other commands start without it
    const { createJiti } = await import("jiti");
    const jiti = createJiti(import.meta.url, { moduleCache: false });
    return (await jiti.import(path, { default: true })) as SuppliersConfig;
  } catch (error) {
    throw new CliError(
      `cannot load ${path}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
    );
  }
}
