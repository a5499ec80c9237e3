// The example for real: a mock supplier delivers a booking's life to the receiver, a real PostgreSQL holds
// the jobs, and the worker logs each update once, in order, and the cancellation.
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createOctoClient } from "@octo-webhooks/client";
import { dropSchemas } from "@octo-webhooks/test-helpers/postgres";
import type {} from "@octo-webhooks/test-helpers/postgres-setup";
import { startMockSupplier } from "@octo-webhooks/testing";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createReceiver, createWorker } from "../src/app.ts";

const postgresUrl = inject("postgresUrl");
const schema = `octo_example_${randomBytes(4).toString("hex")}`;
const env = {
  DATABASE_URL: postgresUrl,
  OCTO_HOOK_USER: "octo",
  OCTO_HOOK_PASS: "pg-example",
  OCTO_SCHEMA: schema,
};
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  if (postgresUrl !== "") await dropSchemas(postgresUrl, schema, `${schema}_jobs`);
});

describe.skipIf(postgresUrl === "")("the PostgreSQL example", () => {
  it("receives a booking's life and handles each update once, in order", async () => {
    const lines: string[] = [];
    const log = {
      info: (line: string) => void lines.push(line),
      warn: () => {},
      error: () => {},
      debug: () => {},
    };
    const { app, queue } = createReceiver(env, log);
    cleanups.push(() => queue.close());
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const worker = createWorker(env, log);
    cleanups.push(() => worker.close());

    const supplier = await startMockSupplier({ retrySchedule: [50, 200, 500] });
    cleanups.push(() => supplier.close());
    const client = createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey });
    const port = (server.address() as AddressInfo).port;
    await client.webhooks.create({
      event: "booking_update",
      url: `http://octo:pg-example@127.0.0.1:${port}/webhooks/octo`,
    });
    await supplier.simulate.bookingLifecycle();
    const deadline = Date.now() + 15_000;
    while (lines.filter((line) => line.startsWith("booking ")).length < 4 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const updates = lines.filter((line) => line.startsWith("booking ")).map((line) => line.split(" ")[2]);
    expect(updates).toEqual(["ON_HOLD", "CONFIRMED", "CONFIRMED", "CANCELLED"]);
    expect(lines.filter((line) => line.startsWith("release the seats"))).toHaveLength(1);
    expect(await queue.deadLetters()).toEqual([]);
  }, 30_000);
});
