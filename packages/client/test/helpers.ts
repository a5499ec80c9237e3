import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { closeServer, listen } from "@octo-webhooks/test-helpers";
import { closeAfterEach } from "@octo-webhooks/test-helpers/vitest";
import { type MockSupplier, type MockSupplierOptions, startMockSupplier } from "@octo-webhooks/testing";
import { type ClientLogger, createOctoClient, type OctoClientOptions } from "../src/index.ts";

export { closedPort } from "@octo-webhooks/test-helpers";

/** Registers `close` to run after the test. */
export const onCleanup = closeAfterEach();

export const API_KEY = "sk_test_5f2b9c0e7d";

/** A mock supplier closed after the test. */
export async function supplier(options: MockSupplierOptions = {}): Promise<MockSupplier> {
  const started = await startMockSupplier({ apiKey: API_KEY, retrySchedule: [5, 5], ...options });
  onCleanup(() => started.close());
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
  const port = await listen(server);
  onCleanup(() => closeServer(server));
  return {
    url: `http://127.0.0.1:${port}/octo`,
    get count() {
      return count;
    },
  };
}
