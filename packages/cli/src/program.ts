import { createRequire } from "node:module";
import { Command, CommanderError } from "commander";
import { deliveriesCommand } from "./commands/deliveries.ts";
import { devCommand } from "./commands/dev.ts";
import { inspectCommand } from "./commands/inspect.ts";
import { listenCommand } from "./commands/listen.ts";
import { mockSupplierCommand } from "./commands/mock-supplier.ts";
import { notificationsCommand } from "./commands/notifications.ts";
import { reconcileCommand } from "./commands/reconcile.ts";
import { statusCommand, syncCommand } from "./commands/suppliers.ts";
import { triggerCommand } from "./commands/trigger.ts";
import { webhooksCommand } from "./commands/webhooks.ts";
import { CliError, type Io, write } from "./output.ts";
import { safeText } from "./safe-text.ts";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

/** Every subcommand, recursively, so that each gets the same error handling and help behaviour. */
function configure(command: Command, io: Io): void {
  command
    .exitOverride()
    .showHelpAfterError(io.e.dim("(add --help for usage)"))
    .configureOutput({
      writeOut: (text) => write(process.stdout, text),
      writeErr: (text) => write(process.stderr, text),
      outputError: (text, write) => write(io.e.red(text)),
    });
  for (const sub of command.commands) configure(sub, io);
}

export function createProgram(io: Io): Command {
  const program = new Command("octo-webhooks")
    .description(
      "Send, receive and manage OCTO webhooks (booking_update, availability_update, order_update, product_update) on one machine.",
    )
    .version(version, "-v, --version")
    .addCommand(triggerCommand(io))
    .addCommand(listenCommand(io))
    .addCommand(webhooksCommand(io))
    .addCommand(notificationsCommand(io))
    .addCommand(mockSupplierCommand(io))
    .addCommand(devCommand(io))
    .addCommand(syncCommand(io))
    .addCommand(statusCommand(io))
    .addCommand(reconcileCommand(io))
    .addCommand(deliveriesCommand(io))
    .addCommand(inspectCommand(io))
    .addHelpText(
      "after",
      "\nThe whole loop, no account needed:\n  octo-webhooks mock-supplier            # terminal 1: a supplier on :4010\n  octo-webhooks listen --port 3000       # terminal 2: a receiver that prints events\n  OCTO_BASE_URL=http://127.0.0.1:4010/octo OCTO_API_KEY=mock-api-key \\\n    octo-webhooks webhooks create --event booking_update --url http://127.0.0.1:3000/webhooks/octo\n  curl -X POST -H 'Authorization: Bearer mock-api-key' http://127.0.0.1:4010/octo/_mock/simulate/booking-lifecycle",
    );
  configure(program, io);
  return program;
}

/** Runs the command line; resolves with the exit code. Failures are one line on stderr, no stack trace. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    await createProgram(io).parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed the problem (or the help)
      return error.exitCode === 0 ? 0 : 2;
    }
    // a command that printed its outcome and only sets the exit code (`sync`: 3 when it changed things)
    if (error instanceof CliError && error.message === "") return error.exitCode;
    const message = error instanceof Error ? error.message : String(error);
    // the message may quote a supplier's or receiver's answer: escaped like everything from outside
    const line = message.replace(/^\[@octo-webhooks\/[a-z]+\] /, "").split("\n")[0];
    io.err(io.e.red(`octo-webhooks: ${safeText(line)}`));
    if (process.env.OCTO_WEBHOOKS_DEBUG && error instanceof Error && !(error instanceof CliError)) {
      io.err(error.stack ?? "");
    }
    return error instanceof CliError ? error.exitCode : 1;
  }
}
