import { redactUrl } from "@octo-webhooks/client";
import { Command } from "commander";
import { startLogInspector } from "../inspector/log-inspector.ts";
import { openLog, type StoreOptions, withStore } from "../log/open-log.ts";
import { REPLAY_HEADER, type TargetOptions, targetOf } from "../log/replay-over-http.ts";
import { collectHeader, hostOption, integer, portOption } from "../options.ts";
import { CliError, type Io } from "../output.ts";
import { safeText } from "../safe-text.ts";
import { cannotListen, untilStopped } from "./listen.ts";

// `octo-webhooks inspect`: the inspector's page over a real delivery log. A command of its own rather
// than `dev --log`: `dev` runs mock suppliers (their OCTO endpoint, Send, Subscriptions), none of which
// has a meaning for a production log, and `inspect` takes the store options `deliveries` takes.

interface InspectOptions extends StoreOptions, TargetOptions {
  port: number;
  host: string;
  allowReplay?: boolean;
}

export function inspectCommand(io: Io): Command {
  return withStore(
    new Command("inspect").description(
      "open the inspector's page over the delivery log (Redis or Postgres): list, filters, detail, changes; read-only unless --allow-replay",
    ),
  )
    .addOption(portOption("port of the page (0: any free port)", 4020))
    .addOption(hostOption())
    .option("--allow-replay", "let the page replay a delivery to --to (off: the page only reads)")
    .option("--to <url>", "with --allow-replay: the receiver replays go to (may carry user:pass@)")
    .option("--user <username>", "HTTP Basic credentials of the receiver: username")
    .option("--pass <password>", "... and password (or OCTO_HOOK_PASS)")
    .option("--header <name=value>", "a header sent with each replay, repeatable", collectHeader)
    .option("--timeout <ms>", "time allowed per replay", integer, 10_000)
    .addHelpText(
      "after",
      `\nA replay POSTs the delivery's logged body to --to, marked \`${REPLAY_HEADER}: 1\`; the receiver's dedupe\ndecides, as for \`deliveries replay\`.\n\nExamples:\n  octo-webhooks inspect --redis redis://127.0.0.1:6379\n  OCTO_HOOK_PASS=s3cret octo-webhooks inspect --redis redis://127.0.0.1:6379 --allow-replay \\\n    --to http://127.0.0.1:3000/webhooks/octo --user octo`,
    )
    .action(async (options: InspectOptions) => {
      const target = targetOf(options);
      if (options.allowReplay && target === undefined) {
        throw new CliError("--allow-replay needs --to <the receiver's URL>: replays go to it over HTTP", 2);
      }
      if (!options.allowReplay && target !== undefined) {
        throw new CliError("--to is for --allow-replay (the page is read-only without it)", 2);
      }
      // the store client's reports (connection lost...) once the page runs; a failure to start is the error
      let running = false;
      const opened = await openLog(options, (message) => {
        if (running) io.err(io.e.dim(safeText(message)));
      });
      try {
        // fail now, not on the page, when the store does not answer
        await opened.log.list(undefined, { limit: 1 });
        const inspector = await startLogInspector({
          log: opened.log,
          where: opened.where,
          port: options.port,
          host: options.host,
          replay: target,
        }).catch(cannotListen(`${options.host}:${options.port}`));
        running = true;
        io.out(`Inspector on ${io.c.bold(inspector.url)}`);
        io.out(`  the delivery log at ${safeText(opened.where)}`);
        io.out(
          target === undefined
            ? io.c.dim("  read-only (--allow-replay --to URL lets the page replay). Ctrl-C stops.")
            : `  replays go to ${safeText(redactUrl(target.url))}. ${io.c.dim("Ctrl-C stops.")}`,
        );
        await untilStopped();
        await inspector.close();
      } finally {
        await opened.close();
      }
    });
}
