// A receiver with traces and metrics (OpenTelemetry, printed to the console) and structured logs (pino,
// JSON lines on stdout with the delivery's event, key, status and trace id). `--demo` starts a mock
// supplier, registers this receiver there, has it send one booking update and replay it (a duplicate),
// prints the metrics and exits.
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { openTelemetry } from "@octo-webhooks/core/otel";
import { type Logger, octoWebhooks } from "@octo-webhooks/express";
import express from "express";
import { pino } from "pino";
import { startTelemetry } from "./telemetry.ts";

/** Core's logger over pino: pino takes the fields first, then the message. */
export function pinoLogger(log: pino.Logger): Logger {
  return {
    debug: (message, fields) => log.debug(fields, message),
    info: (message, fields) => log.info(fields, message),
    warn: (message, fields) => log.warn(fields, message),
    error: (message, fields) => log.error(fields, message),
  };
}

/** The app: one receiver at /webhooks/octo, with Basic credentials from `env`. */
export function createApp(log: pino.Logger, env: NodeJS.ProcessEnv = process.env) {
  const app = express();
  app.use(
    octoWebhooks({
      path: "/webhooks/octo",
      auth: {
        basic: { username: env.OCTO_HOOK_USER ?? "octo", password: env.OCTO_HOOK_PASS ?? "change-me" },
      },
      telemetry: openTelemetry(),
      dedupe: true,
      logger: pinoLogger(log),
      onBookingUpdate: ({ booking }, { deliveryKey }) =>
        log.info({ event: "booking_update", deliveryKey }, `booking ${booking.uuid} is ${booking.status}`),
    }),
  );
  return app;
}

async function demo(origin: string, env: NodeJS.ProcessEnv) {
  const { startMockSupplier } = await import("@octo-webhooks/testing");
  const { createOctoClient } = await import("@octo-webhooks/client");
  const supplier = await startMockSupplier({ retrySchedule: [] });
  try {
    const client = createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey });
    const url = new URL("/webhooks/octo", origin);
    url.username = env.OCTO_HOOK_USER ?? "octo";
    url.password = env.OCTO_HOOK_PASS ?? "change-me";
    await client.webhooks.create({ event: "booking_update", url: url.href });
    const [delivery] = await supplier.simulate.bookingUpdate();
    console.info(`delivered with traceparent ${delivery?.headers.traceparent}: ${delivery?.state}`);
    // the same body again: a duplicate, which core logs (info) with the fields of that delivery
    const again = await supplier.replay(delivery?.id ?? "");
    console.info(`replayed with traceparent ${again.headers.traceparent}: ${again.state}`);
  } finally {
    await supplier.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const telemetry = startTelemetry();
  const log = pino({ level: "debug", serializers: { error: pino.stdSerializers.err } });
  const server = createApp(log).listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    console.info(`listening on ${origin}/webhooks/octo`);
    if (!process.argv.includes("--demo")) return;
    void demo(origin, process.env)
      .then(() => telemetry.shutdown())
      .finally(() => server.close());
  });
}
