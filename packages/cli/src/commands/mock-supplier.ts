import { redactUrl } from "@octo-webhooks/client";
import {
  type Delivery,
  type DeliveryAttempt,
  type MockSupplierOptions,
  startMockSupplier,
  startMockSuppliers,
} from "@octo-webhooks/testing";
import { Command, InvalidArgumentError } from "commander";
import { describeEvent } from "../describe-event.ts";
import { hostOption, integer, portOption, retryScheduleOption } from "../options.ts";
import { CliError, type Colors, clock, type Io } from "../output.ts";
import { safeText } from "../safe-text.ts";
import { cannotListen, untilStopped } from "./listen.ts";

interface MockSupplierCliOptions {
  port: number;
  host: string;
  apiKey?: string;
  retrySchedule: number[];
  patch: boolean;
  count: number;
  giveUpAfter?: number;
  deleteWebhookAfter?: number;
  dropRate?: number;
}

const DEFAULT_KEY = "mock-api-key";

/** `--give-up-after`, `--delete-webhook-after`: a whole number from 1. */
function atLeastOne(value: string): number {
  const n = integer(value);
  if (n < 1) throw new InvalidArgumentError("expected a whole number from 1");
  return n;
}

/** `--drop-rate 0.1`: a share from 0 to 1. */
function share(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !(n >= 0 && n <= 1))
    throw new InvalidArgumentError("expected a number from 0 to 1");
  return n;
}

/** How the failure modes read in the start line, when some are on. */
function describeFaults(options: MockSupplierCliOptions): string {
  const parts: string[] = [];
  if (options.giveUpAfter !== undefined) parts.push(`gives up after ${options.giveUpAfter} attempts`);
  if (options.deleteWebhookAfter !== undefined) {
    parts.push(`deletes a webhook after ${options.deleteWebhookAfter} failed deliveries in a row`);
  }
  if (options.dropRate !== undefined && options.dropRate > 0)
    parts.push(`drops ${Math.round(options.dropRate * 1000) / 10}% of deliveries`);
  return parts.length === 0 ? "" : `; ${parts.join(", ")}`;
}

export function mockSupplierCommand(io: Io): Command {
  return new Command("mock-supplier")
    .description(
      "run a mock OCTO supplier: the webhook and notification management APIs, the read API, and real deliveries of simulated events",
    )
    .addOption(portOption("port to listen on (0: any free port)", 4010))
    .addOption(hostOption())
    .option("--api-key <key>", `the Bearer key it accepts (default ${DEFAULT_KEY})`)
    .addOption(retryScheduleOption())
    .option("--no-patch", "behave like an older supplier without PATCH /webhooks/:id")
    .option(
      "--count <n>",
      "run n suppliers (mock-1...mock-n) on consecutive ports, each with its own API key <id>-api-key",
      integer,
      1,
    )
    .option(
      "--give-up-after <n>",
      "abandon a delivery after n failed attempts (the retry schedule cut, or its last wait repeated)",
      atLeastOne,
    )
    .option(
      "--delete-webhook-after <n>",
      "delete a webhook (or notification subscription) after n failed deliveries in a row, as Bokun does",
      atLeastOne,
    )
    .option(
      "--drop-rate <share>",
      "never send this share of deliveries, 0 to 1 (recorded as dropped; the same ones each run)",
      share,
    )
    .addHelpText(
      "after",
      '\nSimulate events over HTTP (Bearer auth), while it runs:\n  POST <url>/_mock/simulate/booking-lifecycle   ON_HOLD -> CONFIRMED -> amended -> CANCELLED\n  POST <url>/_mock/simulate/booking-update      body: { "status": "CANCELLED" }\n  POST <url>/_mock/simulate/booking-batch       body: { "count": 200, "amended": 50, "cancelled": 50 }\n  POST <url>/_mock/simulate/availability-change body: { "vacancies": 0 }\n  POST <url>/_mock/simulate/order-lifecycle     an order confirmed with two bookings, then one cancelled\n  POST <url>/_mock/simulate/order-update        body: { "status": "CANCELLED" }\n  POST <url>/_mock/simulate/product-change      a product whose default option is renamed\n  POST <url>/_mock/simulate/event               body: { "event": "...", "body": { ... } }\n  POST <url>/_mock/simulate/notification        body: { "type": "BOOKING_UPDATE", "data": { "uuid": "..." } }\n  GET  <url>/_mock/deliveries                   every delivery and attempt (?state=abandoned, dropped...)\n  GET  <url>/_mock/faults                       the failure modes; POST it { "giveUpAfter": 3, "deleteWebhookAfter": 10, "dropRate": 0.1 }\n  GET  <url>/_mock/deleted-webhooks             the webhooks deleted by --delete-webhook-after\n  GET  <url>/_mock/reads                        read API counts; POST it { "failureRate": 0.1, "latencyMs": 20, "reset": true }\nEvery simulated change is also sent as a thin notification to the subscriptions of its type\n(POST <url>/notifications/subscriptions); GET <url>/bookings?localDateStart=&localDateEnd=,\nGET <url>/bookings/{uuid}, GET <url>/orders/{id}, GET <url>/products[/{id}] and POST <url>/availability\nanswer the current state.',
    )
    .action(async (options: MockSupplierCliOptions) => {
      const { c } = io;
      if (options.count > 1) return runMany(options, io);
      const supplier = await startMockSupplier({
        port: options.port,
        host: options.host,
        apiKey: options.apiKey ?? DEFAULT_KEY,
        ...shared(options, io, ""),
      }).catch(cannotListen(`${options.host}:${options.port}`));
      const key = options.apiKey === undefined ? DEFAULT_KEY : "<your --api-key>";
      io.out(`Mock OCTO supplier on ${c.bold(supplier.url)}`);
      io.out(`  export OCTO_BASE_URL=${supplier.url} OCTO_API_KEY=${key}`);
      io.out(
        c.dim(
          `  simulate: curl -X POST -H "Authorization: Bearer ${key}" ${supplier.url}/_mock/simulate/booking-lifecycle`,
        ),
      );
      io.out(
        c.dim(
          `  retries: ${options.retrySchedule.join(", ") || "none"} ms; PATCH: ${options.patch ? "yes" : "no"}${describeFaults(options)}. Ctrl-C stops.`,
        ),
      );
      await untilStopped();
      await supplier.close();
    });
}

/** What every mock supplier of the command gets: its behaviour, and the lines it prints (`prefix`: its id). */
function shared(options: MockSupplierCliOptions, io: Io, prefix: string): MockSupplierOptions {
  const { c } = io;
  return {
    retrySchedule: options.retrySchedule,
    supportsPatch: options.patch,
    ...(options.giveUpAfter === undefined ? {} : { giveUpAfter: options.giveUpAfter }),
    ...(options.deleteWebhookAfter === undefined ? {} : { deleteWebhookAfter: options.deleteWebhookAfter }),
    ...(options.dropRate === undefined ? {} : { dropRate: options.dropRate }),
    onDelivery: (delivery) => {
      if (delivery.state !== "dropped") return;
      io.out(
        `${prefix}${c.dim(clock())} ${c.yellow("–")} ${delivery.id} ${c.cyan(safeText(delivery.event))} → ${safeText(redactUrl(delivery.url))} ${c.yellow("dropped (--drop-rate)")}`,
      );
    },
    onWebhookDeleted: (deleted) =>
      io.out(
        `${prefix}${c.dim(clock())} ${c.red(`deleted ${deleted.kind} ${safeText(deleted.id)}`)} → ${safeText(redactUrl(deleted.url))} after ${deleted.failedDeliveries.length} failed deliveries in a row (--delete-webhook-after)`,
      ),
    onRequest: (request) => {
      const status = request.status < 400 ? c.green(String(request.status)) : c.red(String(request.status));
      io.out(
        `${prefix}${c.dim(clock())} ${safeText(request.method)} ${safeText(request.path)} ${status}${request.error ? ` ${safeText(request.error)}` : ""}`,
      );
    },
    onAttempt: (attempt, delivery) => io.out(attemptLine(attempt, delivery, c, { prefix })),
  };
}

/** `--count n`: n suppliers, each with its own key, until Ctrl-C. */
async function runMany(options: MockSupplierCliOptions, io: Io): Promise<void> {
  if (options.apiKey !== undefined)
    throw new CliError("--api-key and --count do not go together: each supplier has its own key");
  const { c } = io;
  const ids = Array.from({ length: options.count }, (_, i) => `mock-${i + 1}`);
  const mocks = await startMockSuppliers({
    ids,
    port: options.port,
    host: options.host,
    each: (id) => shared(options, io, `${c.magenta(id)} `),
  }).catch(cannotListen(`${options.host}:${options.port}+`));
  io.out(`${mocks.suppliers.length} mock OCTO suppliers:`);
  for (const s of mocks.suppliers) io.out(`  ${c.bold(s.id)}  ${s.url}  api key ${s.apiKey}`);
  io.out(c.dim("  Ctrl-C stops."));
  await untilStopped();
  await mocks.close();
}

/**
 * The line `mock-supplier` and `dev` print for a delivery attempt: time, outcome, delivery, event, URL
 * (credentials hidden), the answer (and how long it took, with `took`), what the event says.
 */
export function attemptLine(
  attempt: DeliveryAttempt,
  delivery: Delivery,
  c: Colors,
  { prefix = "", took = false }: { prefix?: string; took?: boolean } = {},
): string {
  const ok = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
  const answer =
    attempt.status !== undefined ? String(attempt.status) : safeText(attempt.error ?? "no answer");
  const mark = ok ? c.green("✓") : c.red("✗");
  const duration = took ? ` ${attempt.durationMs} ms` : "";
  return `${prefix}${c.dim(clock())} ${mark} ${delivery.id} #${attempt.attempt} ${c.cyan(safeText(delivery.event))} → ${safeText(redactUrl(delivery.url))} ${ok ? c.green(answer) : c.red(answer)}${duration}  ${describeEvent(delivery.event, delivery.body, c)}`;
}
