import { redactUrl } from "@octo-webhooks/client";
import { AVAILABILITY_STATUSES, BOOKING_STATUSES, ORDER_STATUSES, WEBHOOK_EVENTS } from "@octo-webhooks/core";
import {
  availabilityUpdate,
  bookingUpdate,
  orderUpdate,
  productUpdate,
  sendWebhook,
} from "@octo-webhooks/testing";
import { Argument, Command, Option } from "commander";
import { describeEvent } from "../describe-event.ts";
import { collectHeader, integer } from "../options.ts";
import { CliError, type Io } from "../output.ts";
import { safeText } from "../safe-text.ts";

interface TriggerOptions {
  to: string;
  notification?: NotificationType;
  status?: string;
  user?: string;
  pass?: string;
  header?: Record<string, string>;
  seed: string;
  timeout: number;
}

type Event = (typeof WEBHOOK_EVENTS)[number];
const NOTIFICATION_TYPES = ["BOOKING_UPDATE", "AVAILABILITY_UPDATE", "PRODUCT_UPDATE"] as const;
type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** A thin notification naming the resource of the seed's sample (the booking, slot or product). */
function notificationSample(type: NotificationType, seed: string): object {
  if (type === "BOOKING_UPDATE") return { type, data: { uuid: bookingUpdate({ seed }).booking.uuid } };
  const slot = availabilityUpdate({ seed });
  const productId = slot.productId as string;
  if (type === "PRODUCT_UPDATE") return { type, data: { productId } };
  const day = (slot.availability.localDateTimeStart ?? "").slice(0, 10);
  return { type, data: { productId, optionId: slot.optionId, localDateStart: day, localDateEnd: day } };
}

/** Per event: its known statuses (none: `--status` does not apply) and its sample. */
const SAMPLES: Record<Event, [readonly string[] | undefined, (seed: string, status?: string) => object]> = {
  booking_update: [
    BOOKING_STATUSES,
    (seed, status) => bookingUpdate({ seed, ...(status ? { status } : {}) }),
  ],
  availability_update: [
    AVAILABILITY_STATUSES,
    (seed, status) => availabilityUpdate({ seed, ...(status ? { status } : {}) }),
  ],
  order_update: [ORDER_STATUSES, (seed, status) => orderUpdate({ seed, ...(status ? { status } : {}) })],
  product_update: [undefined, (seed) => productUpdate({ seed })],
};

export function triggerCommand(io: Io): Command {
  return new Command("trigger")
    .description("send a sample event to a receiver and print its answer (exit 1 unless it is a 2xx)")
    .addArgument(new Argument("[event]", "the webhook event to send").choices(WEBHOOK_EVENTS))
    .addOption(
      new Option("--notification <type>", "send a thin OCTO notification instead of a webhook event").choices(
        NOTIFICATION_TYPES,
      ),
    )
    .requiredOption("--to <url>", "the receiver's URL (may carry user:pass@)")
    .option(
      "--status <status>",
      "booking or order status (default CONFIRMED), availability status (default AVAILABLE)",
    )
    .option("--user <username>", "HTTP Basic username")
    .option("--pass <password>", "HTTP Basic password (or OCTO_HOOK_PASS)")
    .option("--header <name=value>", "a header to send, repeatable", collectHeader)
    .option("--seed <seed>", "seed of the sample's ids", "1")
    .option("--timeout <ms>", "give up after this long", integer, 10_000)
    .addHelpText(
      "after",
      "\nExamples:\n  octo-webhooks trigger booking_update --to http://localhost:3000/webhooks/octo --status CANCELLED --user octo --pass s3cret\n  octo-webhooks trigger availability_update --to http://localhost:3000/webhooks/octo --header x-api-key=abc\n  octo-webhooks trigger order_update --to http://localhost:3000/webhooks/octo   # an order confirmed with two bookings\n  octo-webhooks trigger --notification BOOKING_UPDATE --to http://localhost:3000/webhooks/octo   # a thin notification { type, data: { uuid } }",
    )
    .action(async (given: Event | undefined, options: TriggerOptions) => {
      if ((given === undefined) === (options.notification === undefined)) {
        throw new CliError("give an event (booking_update...) or --notification <type>, not both", 2);
      }
      const event: string = given ?? (options.notification as string);
      const [known, sample] =
        given === undefined
          ? [undefined, (seed: string) => notificationSample(options.notification as NotificationType, seed)]
          : SAMPLES[given];
      if (known === undefined && options.status !== undefined) {
        throw new CliError(`--status does not apply to ${event}`);
      }
      if (known !== undefined && options.status !== undefined && !known.includes(options.status)) {
        io.err(
          io.e.yellow(
            `note: ${options.status} is not an OCTO ${event} status (${known.join(", ")}); sending it anyway`,
          ),
        );
      }
      const body = sample(options.seed, options.status);
      const password = options.pass ?? process.env.OCTO_HOOK_PASS;
      if ((options.user === undefined) !== (password === undefined)) {
        throw new CliError("give both --user and --pass (or neither)");
      }
      const shown = redactUrl(options.to);
      if (shown === "<invalid URL>") throw new CliError("--to must be an absolute http(s) URL");
      io.out(
        `${io.c.cyan("→")} POST ${shown}  ${event}  ${describeEvent(event, body as Record<string, unknown>, io.c)}`,
      );
      const started = Date.now();
      let answer: Awaited<ReturnType<typeof sendWebhook>>;
      try {
        answer = await sendWebhook(options.to, body, {
          ...(options.user !== undefined && password !== undefined
            ? { username: options.user, password }
            : {}),
          headers: options.header ?? {},
          timeoutMs: options.timeout,
        });
      } catch (error) {
        const reason = (error as { code?: string }).code ?? (error as Error).message;
        throw new CliError(
          `could not deliver to ${shown}: ${reason.replace(/^\[@octo-webhooks\/[a-z]+\] /, "")}`,
        );
      }
      const ok = answer.status >= 200 && answer.status < 300;
      const status = ok ? io.c.green(String(answer.status)) : io.c.red(String(answer.status));
      io.out(
        `${io.c.cyan("←")} ${status} ${safeText(answer.body.slice(0, 500))} ${io.c.dim(`(${Date.now() - started} ms)`)}`,
      );
      if (!ok) throw new CliError(`the receiver answered ${answer.status}`);
    });
}
