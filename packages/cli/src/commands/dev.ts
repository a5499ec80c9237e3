import { createOctoClient, redactUrl, webhookUrl } from "@octo-webhooks/client";
import { Command } from "commander";
import { SEND_KINDS } from "../inspector/kinds.ts";
import { startInspector } from "../inspector/server.ts";
import { hostOption, integer, portOption, retryScheduleOption } from "../options.ts";
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
  count: number;
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
    .option("--api-key <key>", "the Bearer key the supplier accepts (default: a new random key each run)")
    .option(
      "--count <n>",
      "run n mock suppliers (mock-1...mock-n), each with its own key; a :supplier in --to becomes each one's id",
      integer,
      1,
    )
    .addOption(retryScheduleOption())
    .action(async (options: DevCliOptions) => {
      const { c } = io;
      const target = targetOf(options);
      if (options.count < 1 || options.count > 20) throw new CliError("--count must be from 1 to 20");
      if (options.count > 1 && options.apiKey !== undefined) {
        throw new CliError("--api-key and --count do not go together: each supplier has its own key");
      }
      const many = options.count > 1;
      const inspector = await startInspector({
        port: options.port,
        host: options.host,
        count: options.count,
        ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
        retrySchedule: options.retrySchedule,
        onAttempt: (attempt, delivery, supplier) =>
          io.out(
            attemptLine(attempt, delivery, c, { took: true, prefix: many ? `${c.magenta(supplier)} ` : "" }),
          ),
      }).catch(cannotListen(`${options.host}:${options.port}`));
      try {
        if (target !== undefined) {
          for (const { id, supplier } of inspector.suppliers) {
            const client = createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey, retries: 0 });
            const url = target.replace(":supplier", encodeURIComponent(id));
            for (const event of EVENTS) await client.webhooks.create({ event, url });
          }
        }
      } catch (error) {
        await inspector.close();
        throw error;
      }
      // the keys are this run's own: printed here once (and shown on the page), never the user's --api-key
      const keyOf = (key: string) => (options.apiKey === undefined ? key : "<your --api-key>");
      io.out(`Inspector on ${c.bold(inspector.url)}`);
      if (many) {
        for (const { id, url, supplier } of inspector.suppliers) {
          io.out(`  ${c.bold(id)}  ${url}  api key ${supplier.apiKey}`);
        }
      } else {
        io.out(`  OCTO endpoint: ${inspector.supplierUrl}`);
        io.out(
          `  export OCTO_BASE_URL=${inspector.supplierUrl} OCTO_API_KEY=${keyOf(inspector.supplier.apiKey)}`,
        );
      }
      if (target !== undefined) {
        io.out(`  webhooks: ${EVENTS.join(", ")} → ${safeText(redactUrl(target))}`);
      }
      io.out(c.dim(`  retries: ${options.retrySchedule.join(", ") || "none"} ms. Ctrl-C stops.`));
      await untilStopped();
      await inspector.close();
    });
}
