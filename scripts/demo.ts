// `pnpm demo`: the whole loop on this machine, no network and no account. A mock OCTO supplier
// (@octo-webhooks/testing) really delivers webhooks over HTTP, with retries, to the Express example
// (examples/express); the webhooks are registered with @octo-webhooks/client, credentials in the URL.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createOctoClient, redactUrl, webhookUrl } from "@octo-webhooks/client";
import { type Delivery, type DeliveryAttempt, startMockSupplier } from "@octo-webhooks/testing";
import pc from "picocolors";
import { createApp } from "../examples/express/src/main.ts";
import { createApp as createNotificationsApp, subscribe } from "../examples/notifications/src/main.ts";

const started = Date.now();
// colour only on a terminal that has it (hasColors() also honours NO_COLOR, FORCE_COLOR and TERM=dumb)
const c = pc.createColors(process.stdout.isTTY === true && process.stdout.hasColors());
const RETRY_SCHEDULE = [200, 400]; // the supplier's waits before each retry: up to 3 attempts
const USER = "octo";
const PASSWORD = "demo-s3cret";

const print = (line = "") => console.log(line);
const step = (title: string) => print(`\n${c.bold(title)}`);
const row = (who: string, text: string) => print(`  ${c.dim(who.padEnd(8))} ${text}`);
const shorten = (line: string) => line.replace(/([0-9a-f]{8})-[0-9a-f-]{27}/g, "$1…");
const coreMessage = (message: string) => message.replaceAll("[@octo-webhooks/core] ", "");

// The handler fails once, on the confirmation's first delivery, as when the shop's database blips:
// core answers 500 (without the reason) and the supplier retries.
let failOnce = true;
const app = createApp(
  { OCTO_HOOK_USER: USER, OCTO_HOOK_PASS: PASSWORD },
  {
    info: (line) => {
      if (failOnce && line.includes("-> CONFIRMED")) {
        failOnce = false;
        throw new Error("could not save the booking: database timeout (simulated, once)");
      }
      row("handler", shorten(line));
    },
    error: (message) => row("handler", c.red(`✗ ${coreMessage(message)}; answered 500`)),
    debug: (message) => {
      if (message.includes("refused a delivery")) row("receiver", c.yellow(`✗ ${coreMessage(message)}`));
    },
  },
);

const onAttempt = (attempt: DeliveryAttempt, delivery: Delivery) => {
  const ok = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
  const answer = attempt.status === undefined ? `no answer (${attempt.error})` : String(attempt.status);
  const next = RETRY_SCHEDULE[attempt.attempt - 1];
  const outcome = ok ? "" : next === undefined ? ", gave up" : `, retrying in ${next} ms`;
  const text = `${delivery.id} ${delivery.event} attempt ${attempt.attempt}: ${answer}${outcome}`;
  row("supplier", ok ? c.green(text) : c.red(text));
};

const supplier = await startMockSupplier({ retrySchedule: RETRY_SCHEDULE, onAttempt });
const server = createServer(app);
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/octo`;
const watchdog = setTimeout(() => {
  console.error("demo: still running after 25 s; giving up");
  process.exit(1);
}, 25_000);

print(c.bold("octo-webhooks demo: a mock OCTO supplier delivers webhooks to the Express example"));
row("supplier", `${supplier.url}  (mock, from @octo-webhooks/testing)`);
row("receiver", `${receiverUrl}  (examples/express, Basic auth ${USER}:***)`);

step("1. Register webhooks with @octo-webhooks/client, credentials in the URL");
const client = createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey });
const good = webhookUrl(receiverUrl, { username: USER, password: PASSWORD });
const wrong = webhookUrl(receiverUrl, { username: USER, password: "not-the-password" });
await client.webhooks.create({ event: "booking_update", url: good });
await client.webhooks.create({ event: "availability_update", url: good });
await client.webhooks.create({ event: "order_update", url: good }); // created with octo/cart
const refusedHook = await client.webhooks.create({ event: "availability_update", url: wrong });
for (const webhook of await client.webhooks.list()) {
  const note = webhook.id === refusedHook.id ? c.yellow("  (wrong password, on purpose)") : "";
  row("client", `${webhook.event.padEnd(20)} ${redactUrl(webhook.url ?? "")}${note}`);
}

step("2. A booking's life: ON_HOLD -> CONFIRMED -> amended -> CANCELLED");
await supplier.simulate.bookingLifecycle();

step("3. Seats sell: an availability change, to both availability webhooks");
await supplier.simulate.availabilityChange({ vacancies: 3 });
await supplier.idle();

step("4. A cart order (octo/cart): confirmed with two bookings, then one of them cancelled inside it");
await supplier.simulate.orderLifecycle();
await supplier.idle();

step("5. OCTO notifications: a thin BOOKING_UPDATE, hydrated by the client into the same kind of handler");
const notifyEnv = {
  OCTO_BASE_URL: supplier.url,
  OCTO_API_KEY: supplier.apiKey,
  OCTO_HOOK_USER: USER,
  OCTO_HOOK_PASS: PASSWORD,
};
const notified = createNotificationsApp(notifyEnv, {
  info: (line) => row("handler", shorten(line)),
  warn: () => {},
  error: (message) => row("handler", c.red(`✗ ${coreMessage(message)}`)),
});
const notifyServer = createServer(notified.app);
await new Promise<void>((resolve) => notifyServer.listen(0, "127.0.0.1", resolve));
const notifyUrl = `http://127.0.0.1:${(notifyServer.address() as AddressInfo).port}/webhooks/octo`;
await subscribe(notified.client, notifyUrl, notifyEnv);
row(
  "client",
  `subscribed ${redactUrl(webhookUrl(notifyUrl, { username: USER, password: PASSWORD }))} to BOOKING_UPDATE, AVAILABILITY_UPDATE, PRODUCT_UPDATE`,
);
const [bookingUuid] = supplier.bookings.keys();
row(
  "supplier",
  `sends { type: "BOOKING_UPDATE", data: { uuid: "${shorten(String(bookingUuid))}" } }; the receiver reads GET /bookings/{uuid}`,
);
const [notification] = await supplier.simulate.notification("BOOKING_UPDATE", { uuid: String(bookingUuid) });
const reads = supplier.reads.stats().requests.bookings;
row("supplier", `${reads} booking read by the receiver; the booking as it is now (CANCELLED), not as it was`);

step("6. Summary, from the supplier's delivery records");
const describe = (delivery: Delivery) => {
  const body = delivery.body as {
    booking?: { status?: string };
    availability?: { status?: string };
    order?: { status?: string; bookings?: { status?: string }[] };
  };
  const diff = (delivery.body.diff ?? []) as { path: string }[];
  if (body.order) return `${body.order.status} (${body.order.bookings?.map((b) => b.status).join(", ")})`;
  if (body.booking) {
    const amended = diff.length > 0 && !diff.some((d) => d.path === "/status");
    return `${body.booking.status}${amended ? " (amended)" : ""}`;
  }
  return body.availability?.status ?? "?";
};
const webhookDeliveries = supplier.deliveries.filter((d) => d !== notification);
for (const delivery of webhookDeliveries) {
  const attempts = delivery.attempts.map((a) => a.status ?? "-").join(" ");
  const state = delivery.state === "delivered" ? c.green(delivery.state) : c.red(delivery.state);
  const note = delivery.webhookId === refusedHook.id ? c.dim("  wrong password") : "";
  print(
    `  ${delivery.id}  ${delivery.event.padEnd(20)} ${describe(delivery).padEnd(33)} ${state.padEnd(9 + state.length - delivery.state.length)}  ${attempts}${note}`,
  );
}

const deliveries = webhookDeliveries;
const attempts = deliveries.reduce((sum, d) => sum + d.attempts.length, 0);
const delivered = deliveries.filter((d) => d.state === "delivered").length;
const statuses = (d: Delivery | undefined) => d?.attempts.map((a) => a.status).join(",");
// the story above must have happened: one retried after the handler failed, one refused and given up
const expected =
  deliveries.length === 8 &&
  delivered === 7 &&
  statuses(deliveries[1]) === "500,200" &&
  deliveries
    .filter((d) => d.webhookId === refusedHook.id)
    .map(statuses)
    .join() === "401,401,401" &&
  notification?.state === "delivered" &&
  reads === 1;
print(
  `\n${deliveries.length} webhook deliveries, ${attempts} attempts: ${delivered} delivered, ${deliveries.length - delivered} given up; 1 notification ${notification?.state}. ${c.dim(`${((Date.now() - started) / 1000).toFixed(1)} s`)}`,
);

print(c.dim("The same receiver for Fastify, Hono (Node and Workers) and Koa: examples/. Tests: pnpm test."));

clearTimeout(watchdog);
await supplier.close();
server.closeAllConnections();
await new Promise((resolve) => server.close(resolve));
notifyServer.closeAllConnections();
await new Promise((resolve) => notifyServer.close(resolve));
if (!expected) {
  console.error("demo: the deliveries did not go as described above");
  process.exitCode = 1;
}
