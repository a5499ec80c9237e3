import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type MockSupplier, type MockSupplierOptions, startMockSupplier } from "@octo-webhooks/testing";
import { afterEach } from "vitest";
import { type ClientLogger, createOctoClient, type OctoClientOptions } from "../src/index.ts";

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

export const API_KEY = "sk_test_5f2b9c0e7d";

/** A mock supplier closed after the test. */
export async function supplier(options: MockSupplierOptions = {}): Promise<MockSupplier> {
  const started = await startMockSupplier({ apiKey: API_KEY, retrySchedule: [5, 5], ...options });
  cleanup.push(() => started.close());
  return started;
}

/** A client of `baseUrl` with fast retries and a logger that keeps every line (`lines`: warnings). */
export function client(baseUrl: string, options: Partial<OctoClientOptions> = {}) {
  const lines: string[] = [];
  const debugLines: string[] = [];
  const logger: ClientLogger = { debug: (m) => void debugLines.push(m), warn: (m) => void lines.push(m) };
  const octo = createOctoClient({
    baseUrl,
    apiKey: API_KEY,
    retries: { limit: 3, minDelayMs: 1, maxDelayMs: 50 },
    logger,
    ...options,
  });
  return Object.assign(octo, { lines, debugLines });
}

/** A bare server answering with `handler`, for answers the mock supplier never gives. */
export async function rawServer(handler: (req: IncomingMessage, res: ServerResponse, count: number) => void) {
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    req.resume();
    handler(req, res, count);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  cleanup.push(close);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/octo`,
    get count() {
      return count;
    },
  };
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Registers `close` to run after the test. */
export function onCleanup(close: () => Promise<void>): void {
  cleanup.push(close);
}
