import { createServer, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createOctoClient } from "@octo-webhooks/client";
import {
  type Delivery,
  type DeliveryAttempt,
  type ManagementRequest,
  type MockSupplier,
  startMockSupplier,
} from "@octo-webhooks/testing";
import { answerApi, errorAnswer } from "./api.ts";
import { findAssetsDir, PAGE_POLICY, pageHtml, readAsset } from "./assets.ts";
import { allowed, sendJson } from "./http.ts";
import { deliveryView } from "./view.ts";

// The inspector: a mock supplier (from @octo-webhooks/testing) and, on the same port, its web page, its
// JSON API (/api/...), a live stream of deliveries (/api/stream, server-sent events), and the supplier's
// OCTO endpoint itself (/octo/..., passed through to it).

/** Options of {@link startInspector}; every one has a default. */
export interface InspectorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `127.0.0.1` (loopback). */
  host?: string;
  /** The supplier's API key (default `mock-api-key`). */
  apiKey?: string;
  /** The supplier's waits before each retry, in ms (default `[1000, 5000, 30000]`). */
  retrySchedule?: readonly number[];
  /** Called after every delivery attempt (the CLI prints a line). */
  onAttempt?: (attempt: DeliveryAttempt, delivery: Delivery) => void;
  /** Called after every management request. */
  onRequest?: (request: ManagementRequest) => void;
}

/** A running inspector, from {@link startInspector}. */
export interface Inspector {
  /** The page: `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** The supplier's OCTO endpoint on the same port: `http://127.0.0.1:<port>/octo`. */
  readonly supplierUrl: string;
  /** The mock supplier behind it. */
  readonly supplier: MockSupplier;
  /** Stops the page, the streams and the supplier. */
  close(): Promise<void>;
}

const DEFAULT_KEY = "mock-api-key";

/**
 * Starts a mock OCTO supplier with its web inspector on one port: every delivery live, replay, a form
 * to send events, the subscriptions.
 *
 * @example
 * ```ts
 * const inspector = await startInspector({ port: 4010, retrySchedule: [1000, 5000] });
 * console.log(`open ${inspector.url}; OCTO endpoint ${inspector.supplierUrl}`);
 * await inspector.close();
 * ```
 */
export async function startInspector(options: InspectorOptions = {}): Promise<Inspector> {
  const host = options.host ?? "127.0.0.1";
  const retrySchedule = [...(options.retrySchedule ?? [1000, 5000, 30_000])];
  const streams = new Set<ServerResponse>();
  const broadcast = (delivery: Delivery) => {
    const data = JSON.stringify(deliveryView(delivery, retrySchedule));
    for (const stream of streams) stream.write(`event: delivery\ndata: ${data}\n\n`);
  };
  const supplier = await startMockSupplier({
    apiKey: options.apiKey ?? DEFAULT_KEY,
    retrySchedule,
    onRequest: (entry) => options.onRequest?.(entry),
    onDelivery: broadcast,
    onAttempt: (attempt, delivery) => {
      options.onAttempt?.(attempt, delivery);
      // the delivery's state is set right after this call: show it with the state
      setImmediate(() => broadcast(delivery));
    },
  });
  const supplierPort = supplier.port;
  const assets = findAssetsDir();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://inspector");
    const path = url.pathname;
    if (path === "/octo" || path.startsWith("/octo/")) {
      // the supplier's own endpoint, passed through as it is (its Bearer auth applies)
      const upstream = request(
        { host: "127.0.0.1", port: supplierPort, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => sendJson(res, 502, { error: "the mock supplier did not answer" }));
      req.pipe(upstream);
      return;
    }
    if (!allowed(req, host)) {
      req.resume();
      return sendJson(res, 403, { error: "refused: not from the inspector's page" });
    }
    if (req.method === "GET" && path === "/") {
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": PAGE_POLICY,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cache-control": "no-store",
      });
      return void res.end(pageHtml(assets !== undefined));
    }
    if (req.method === "GET" && path.startsWith("/assets/")) {
      const asset = readAsset(assets, path.slice("/assets/".length));
      if (asset === undefined) return sendJson(res, 404, { error: "no such asset" });
      res.writeHead(200, { "content-type": asset.type, "x-content-type-options": "nosniff" });
      return void res.end(asset.data);
    }
    if (req.method === "GET" && path === "/api/stream") {
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
      });
      res.write("retry: 1000\n\n");
      streams.add(res);
      req.on("close", () => streams.delete(res));
      return;
    }
    answerApi(context, req, path, url).then(
      (value) => {
        if (value === undefined) sendJson(res, 404, { error: `no route ${req.method} ${path}` });
        else sendJson(res, req.method === "POST" ? 202 : 200, value);
      },
      (error: unknown) => {
        const { status, message } = errorAnswer(error);
        req.resume();
        sendJson(res, status, { error: message });
      },
    );
  });
  const keepAlive = setInterval(() => {
    for (const stream of streams) stream.write(": keep-alive\n\n");
  }, 15_000);
  keepAlive.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (error) {
    clearInterval(keepAlive);
    await supplier.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : address.address;
  const origin = `http://${address.family === "IPv6" && shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${address.port}`;
  const context = {
    supplier,
    supplierUrl: `${origin}/octo`,
    retrySchedule,
    defaultKey: (options.apiKey ?? DEFAULT_KEY) === DEFAULT_KEY,
    client: createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey, retries: 0 }),
  };

  return {
    url: `${origin}/`,
    supplierUrl: context.supplierUrl,
    supplier,
    async close() {
      clearInterval(keepAlive);
      for (const stream of streams) stream.end();
      streams.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await supplier.close();
    },
  };
}
