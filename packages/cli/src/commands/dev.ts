import { createOctoClient, redactUrl, webhookUrl } from "@octo-webhooks/client";
import { Command } from "commander";
import { SEND_KINDS } from "../inspector/kinds.ts";
import { startInspector } from "../inspector/server.ts";
import { hostOption, portOption, retryScheduleOption } from "../options.ts";
import { CliError, type Io } from "../output.ts";
import { safeText } from "../safe-text.ts";
import { cannotListen, untilStopped } from "./listen.ts";
import { attemptLine } from "./mock-supplier.ts";

interface DevCliOptions {
  port: number;
  host: string;
  to?: string;
  user?: string;
  pass?: string;
  apiKey?: string;
  retrySchedule: number[];
}

/** The events `--to` subscribes to: those of the Send form's kinds (a new kind adds its event). */
const EVENTS = [...new Set(SEND_KINDS.map((kind) => kind.event))];

/** `--to` with `--user`/`--pass` (or OCTO_HOOK_PASS) in it, checked. */
function targetOf(options: DevCliOptions): string | undefined {
  const password = options.pass ?? (options.user !== undefined ? process.env.OCTO_HOOK_PASS : undefined);
  if ((options.user === undefined) !== (password === undefined)) {
    throw new CliError("give both --user and --pass (or neither)");
  }
  if (options.to === undefined) {
    if (options.user !== undefined) throw new CliError("--user and --pass need --to");
    return undefined;
  }
  try {
    const url = new URL(options.to);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
  } catch {
    throw new CliError("--to must be an absolute http(s) URL");
  }
  return options.user !== undefined && password !== undefined
    ? webhookUrl(options.to, { username: options.user, password })
    : options.to;
}

export function devCommand(io: Io): Command {
  return new Command("dev")
    .description(
      "run a mock OCTO supplier with a web inspector: live deliveries, replay, send, subscriptions",
    )
    .addOption(portOption("port of the page and the supplier (0: any free port)", 4010))
    .addOption(hostOption())
    .option("--to <url>", `register ${EVENTS.join(" and ")} webhooks to this URL at start`)
    .option("--user <username>", "HTTP Basic credentials sent to --to: username")
    .option("--pass <password>", "... and password (or OCTO_HOOK_PASS)")
    .option("--api-key <key>", "the Bearer key the supplier accepts (default mock-api-key)")
    .addOption(retryScheduleOption())
    .action(async (options: DevCliOptions) => {
      const { c } = io;
      const target = targetOf(options);
      const inspector = await startInspector({
        port: options.port,
        host: options.host,
        ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
        retrySchedule: options.retrySchedule,
        onAttempt: (attempt, delivery) => io.out(attemptLine(attempt, delivery, c, { took: true })),
      }).catch(cannotListen(`${options.host}:${options.port}`));
      try {
        if (target !== undefined) {
          const { supplier } = inspector;
          const client = createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey, retries: 0 });
          for (const event of EVENTS) await client.webhooks.create({ event, url: target });
        }
      } catch (error) {
        await inspector.close();
        throw error;
      }
      io.out(`Inspector on ${c.bold(inspector.url)}`);
      io.out(`  OCTO endpoint: ${inspector.supplierUrl}`);
      io.out(
        `  export OCTO_BASE_URL=${inspector.supplierUrl} OCTO_API_KEY=${options.apiKey === undefined ? "mock-api-key" : "<your --api-key>"}`,
      );
      if (target !== undefined) {
        io.out(`  webhooks: ${EVENTS.join(", ")} → ${safeText(redactUrl(target))}`);
      }
      io.out(c.dim(`  retries: ${options.retrySchedule.join(", ") || "none"} ms. Ctrl-C stops.`));
      await untilStopped();
      await inspector.close();
    });
}
