import {
  createOctoWebhooks,
  OctoHandlerError,
  OctoRequestError,
  type OctoWebhooksOptions,
  STATUS_BY_CODE,
} from "@octo-webhooks/core";
import { strictValidation } from "@octo-webhooks/core/schemas";
import { startReceiver } from "@octo-webhooks/testing";
import { Command } from "commander";
import { describeEvent } from "../describe-event.ts";
import { hostOption, portOption } from "../options.ts";
import { CliError, clock, type Io, untilOutputGone } from "../output.ts";
import { safeText } from "../safe-text.ts";

interface ListenOptions {
  port: number;
  host: string;
  path: string;
  user?: string;
  pass?: string;
  strict?: boolean;
}

/** Rethrows a server's failure to start as one line: `cannot listen on 127.0.0.1:4010: EADDRINUSE`. */
export function cannotListen(where: string): (error: NodeJS.ErrnoException) => never {
  return (error) => {
    throw new CliError(`cannot listen on ${where}: ${error.code ?? safeText(error.message)}`);
  };
}

/** Resolves when the process is asked to stop (Ctrl-C, SIGTERM), or its output's reader went away. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    void untilOutputGone().then(stop);
  });
}

export function listenCommand(io: Io): Command {
  return new Command("listen")
    .description("run a local receiver that prints every event it gets, and why it refuses a delivery")
    .addOption(portOption("port to listen on (0: any free port)", 3000))
    .addOption(hostOption())
    .option("--path <path>", "path deliveries are POSTed to", "/webhooks/octo")
    .option("--user <username>", "require HTTP Basic credentials: username")
    .option("--pass <password>", "require HTTP Basic credentials: password (or OCTO_HOOK_PASS)")
    .option("--strict", "validate bodies against the official OCTO schema")
    .addHelpText("after", "\nExample:\n  OCTO_HOOK_PASS=s3cret octo-webhooks listen --port 3000 --user octo")
    .action(async (options: ListenOptions) => {
      const password = options.pass ?? process.env.OCTO_HOOK_PASS;
      if ((options.user === undefined) !== (password === undefined)) {
        throw new CliError("give both --user and --pass (or neither)");
      }
      if (!options.path.startsWith("/")) throw new CliError('--path must start with "/"');
      const { c } = io;
      const config: OctoWebhooksOptions = {
        validation: options.strict ? strictValidation : "lenient",
        logger: {
          error: (message) => io.err(io.e.red(safeText(message.replace(/^\[@octo-webhooks\/core\] /, "")))),
        },
        onAny: (payload, context) => {
          io.out(
            `${c.dim(clock())} ${c.green("✓")} ${c.cyan(safeText(context.event))}  ${describeEvent(context.event, payload as Record<string, unknown>, c)}`,
          );
        },
        onError: (error) => {
          if (error instanceof OctoHandlerError) return;
          const status = error instanceof OctoRequestError ? STATUS_BY_CODE[error.code] : 500;
          const issues =
            error instanceof OctoRequestError && error.issues.length > 0
              ? `: ${error.issues.map((i) => `${i.path} ${i.message}`).join("; ")}`
              : "";
          const reason = error.message.replace(/^\[@octo-webhooks\/core\] /, "");
          io.out(
            `${c.dim(clock())} ${c.red("✗")} refused ${c.red(String(status))} ${error.code}: ${safeText(reason + issues)}`,
          );
        },
      };
      if (options.user !== undefined && password !== undefined) {
        config.auth = { basic: { username: options.user, password } };
      }
      let webhooks: ReturnType<typeof createOctoWebhooks>;
      try {
        webhooks = createOctoWebhooks(config);
      } catch (error) {
        throw new CliError((error as Error).message.replace(/^\[@octo-webhooks\/core\] /, ""));
      }
      const receiver = await startReceiver(webhooks, {
        port: options.port,
        host: options.host,
        path: options.path,
      }).catch(cannotListen(`${options.host}:${options.port}`));
      const auth = config.auth
        ? ` (Basic auth as ${options.user})`
        : c.dim(" (no auth: any delivery is accepted)");
      io.out(`Listening on ${c.bold(receiver.url)}${auth}`);
      io.out(
        c.dim(
          "Register this URL with `octo-webhooks webhooks create`, or send a sample with `octo-webhooks trigger`. Ctrl-C stops.",
        ),
      );
      await untilStopped();
      await receiver.close();
    });
}
