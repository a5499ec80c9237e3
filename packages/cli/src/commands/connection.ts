import { createOctoClient, type NotificationsCapability, type OctoClient } from "@octo-webhooks/client";
import { type Command, Option } from "commander";
import { integer, list } from "../options.ts";
import { CliError, type Io } from "../output.ts";
import { safeText } from "../safe-text.ts";

// How the `webhooks` and `notifications` subcommands reach the supplier: the options they share, and the
// client made of them.

export interface ConnectionOptions {
  baseUrl?: string;
  apiKey?: string;
  env?: "test" | "live";
  capabilities?: string[];
  timeout: number;
  retries: number;
  json?: boolean;
  showSecrets?: boolean;
  /** `notifications` only ({@link withCapability}). */
  notificationsCapability?: NotificationsCapability;
}

/** The options every `webhooks` and `notifications` subcommand shares. */
export function withConnection(command: Command): Command {
  return command
    .addOption(new Option("--base-url <url>", "the supplier's OCTO endpoint").env("OCTO_BASE_URL"))
    .addOption(
      new Option("--api-key <key>", "the supplier API key (prefer the env variable)").env("OCTO_API_KEY"),
    )
    .addOption(new Option("--env <env>", "send Octo-Env").choices(["test", "live"]).env("OCTO_ENV"))
    .addOption(
      new Option("--capabilities <list>", "more Octo-Capabilities, comma-separated")
        .argParser(list)
        .env("OCTO_CAPABILITIES"),
    )
    .option("--timeout <ms>", "time allowed per attempt", integer, 10_000)
    .option("--retries <n>", "retries of network errors and 5xx", integer, 2)
    .option("--json", "print JSON (for scripts)")
    .option("--show-secrets", "print URL credentials and header values instead of ***");
}

/** The capability spelling option of the `notifications` subcommands, after the connection options. */
export function withCapability(command: Command): Command {
  return command.addOption(
    new Option("--notifications-capability <id>", "the capability id sent in Octo-Capabilities")
      .choices(["notifications", "octo/notifications", "both"])
      .default("notifications")
      .env("OCTO_NOTIFICATIONS_CAPABILITY"),
  );
}

export function clientOf(options: ConnectionOptions, io: Io): OctoClient {
  if (!options.baseUrl)
    throw new CliError("missing --base-url (or OCTO_BASE_URL), e.g. https://api.ventrata.com/octo");
  if (!options.apiKey) throw new CliError("missing --api-key (or OCTO_API_KEY)");
  return createOctoClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    timeoutMs: options.timeout,
    retries: options.retries,
    ...(options.env ? { env: options.env } : {}),
    ...(options.capabilities ? { capabilities: options.capabilities } : {}),
    ...(options.notificationsCapability ? { notificationsCapability: options.notificationsCapability } : {}),
    // a retry's message quotes the supplier's answer
    logger: {
      warn: (message) => io.err(io.e.dim(safeText(message.replace(/^\[@octo-webhooks\/client\] /, "")))),
    },
  });
}
