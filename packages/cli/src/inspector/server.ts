import { randomBytes } from "node:crypto";
import { request, type ServerResponse } from "node:http";
import { createOctoClient } from "@octo-webhooks/client";
import {
  type Delivery,
  type DeliveryAttempt,
  type ManagementRequest,
  type MockSupplier,
  startMockSupplier,
} from "@octo-webhooks/testing";
import { type ApiContext, answerApi, errorAnswer, type InspectedSupplier } from "./api.ts";
import { sendJson } from "./http.ts";
import { closePage, listenPage, pageServer } from "./page-server.ts";
import { deliveryView } from "./view.ts";

// The inspector: mock suppliers (from @octo-webhooks/testing, one unless `count` says more) and, on one
// port, its web page, its JSON API (/api/...), a live stream of deliveries (/api/stream, server-sent
// events), and each supplier's OCTO endpoint itself (/octo/... for the first, /<id>/octo/... for each,
// passed through to it). Every request, whatever its route, is first checked for a loopback Host (and
// the page's Origin when it changes something): a page whose DNS name was rebound to 127.0.0.1 gets a
// 403 and nothing else. Each run gets API keys of its own, so that no other page or program can guess one.

/** Options of {@link startInspector}; every one has a default. */
export interface InspectorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `127.0.0.1` (loopback). */
  host?: string;
  /** The supplier's API key (default: a random one per run, printed once and shown on the page). */
  apiKey?: string;
  /** How many mock suppliers (`mock-1`...), each with its own random key (default 1). */
  count?: number;
  /** The supplier's waits before each retry, in ms (default `[1000, 5000, 30000]`). */
  retrySchedule?: readonly number[];
  /** Called after every delivery attempt (the CLI prints a line); `supplier` is the supplier's id. */
  onAttempt?: (attempt: DeliveryAttempt, delivery: Delivery, supplier: string) => void;
  /** Called after every management request. */
  onRequest?: (request: ManagementRequest) => void;
}

/** One mock supplier of an inspector. */
export interface InspectorSupplier {
  /** `mock-1`, `mock-2`... */
  readonly id: string;
  /** Its OCTO endpoint through the inspector's port: `/octo` for the first, `/<id>/octo` for each. */
  readonly url: string;
  readonly supplier: MockSupplier;
}

/** A running inspector, from {@link startInspector}. */
export interface Inspector {
  /** The page: `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** The first supplier's OCTO endpoint on the same port: `http://127.0.0.1:<port>/octo`. */
  readonly supplierUrl: string;
  /** The (first) mock supplier behind it. */
  readonly supplier: MockSupplier;
  /** Every mock supplier, in order. */
  readonly suppliers: readonly InspectorSupplier[];
  /** Stops the page, the streams and the suppliers. */
  close(): Promise<void>;
}

/** A key nobody can guess, new for every run. */
export const randomApiKey = (): string => `octo-dev-${randomBytes(16).toString("hex")}`;

/**
 * Starts mock OCTO suppliers with their web inspector on one port: every delivery live, replay, a form
 * to send events, the subscriptions.
 *
 * @example
 * ```ts
 * const inspector = await startInspector({ port: 4010, retrySchedule: [1000, 5000] });
 * console.log(`open ${inspector.url}; OCTO endpoint ${inspector.supplierUrl}, key ${inspector.supplier.apiKey}`);
 * await inspector.close();
 * ```
 */
export async function startInspector(options: InspectorOptions = {}): Promise<Inspector> {
  const host = options.host ?? "127.0.0.1";
  const count = options.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 20) {
    throw new TypeError("`count` must be a whole number from 1 to 20");
  }
  if (count > 1 && options.apiKey !== undefined) {
    throw new TypeError("`apiKey` and `count` do not go together: each supplier gets its own key");
  }
  const retrySchedule = [...(options.retrySchedule ?? [1000, 5000, 30_000])];
  const streams = new Set<ServerResponse>();
  // the order deliveries were created in, across suppliers (each numbers its own d1, d2...)
  const order = new WeakMap<Delivery, number>();
  let created = 0;
  const ids = Array.from({ length: count }, (_, i) => `mock-${i + 1}`);
  const mocks: Array<{ id: string; supplier: MockSupplier }> = [];
  let context: ApiContext | undefined;
  const broadcast = (id: string, delivery: Delivery) => {
    if (context === undefined) return;
    const data = JSON.stringify(context.view(id, delivery));
    for (const stream of streams) stream.write(`event: delivery\ndata: ${data}\n\n`);
  };
  try {
    for (const id of ids) {
      const supplier = await startMockSupplier({
        seed: count === 1 ? "mock" : id,
        apiKey: options.apiKey ?? randomApiKey(),
        retrySchedule,
        onRequest: (entry) => options.onRequest?.(entry),
        onDelivery: (delivery) => {
          order.set(delivery, ++created);
          broadcast(id, delivery);
        },
        onAttempt: (attempt, delivery) => {
          options.onAttempt?.(attempt, delivery, id);
          // the delivery's state is set right after this call: show it with the state
          setImmediate(() => broadcast(id, delivery));
        },
      });
      mocks.push({ id, supplier });
    }
  } catch (error) {
    await Promise.all(mocks.map((m) => m.supplier.close()));
    throw error;
  }

  /** The supplier and its path of a request to `/octo/...` or `/<id>/octo/...`, or `undefined`. */
  const passThrough = (path: string): { port: number; path: string } | undefined => {
    const octo = (rest: string) => rest === "/octo" || rest.startsWith("/octo/");
    const first = mocks[0] as { supplier: MockSupplier };
    if (octo(path)) return { port: first.supplier.port, path: "" };
    const slash = path.indexOf("/", 1);
    const mock = slash === -1 ? undefined : mocks.find((m) => m.id === path.slice(1, slash));
    if (mock === undefined || !octo(path.slice(slash))) return undefined;
    return { port: mock.supplier.port, path: `/${mock.id}` };
  };

  const server = pageServer(host, "mock", (req, res, url) => {
    const path = url.pathname;
    const target = passThrough(path);
    if (target !== undefined) {
      // the supplier's own endpoint, passed through as it is (its Bearer auth applies)
      const upstream = request(
        {
          host: "127.0.0.1",
          port: target.port,
          method: req.method,
          path: (req.url ?? "/").slice(target.path.length),
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => sendJson(res, 502, { error: "the mock supplier did not answer" }));
      req.pipe(upstream);
      return;
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
    answerApi(context as ApiContext, req, path, url).then(
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

  let origin: string;
  try {
    origin = await listenPage(server, options.port ?? 0, host);
  } catch (error) {
    clearInterval(keepAlive);
    await Promise.all(mocks.map((m) => m.supplier.close()));
    throw error;
  }
  const suppliers: InspectedSupplier[] = mocks.map(({ id, supplier }, i) => ({
    id,
    url: i === 0 ? `${origin}/octo` : `${origin}/${id}/octo`,
    supplier,
    client: createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey, retries: 0 }),
  }));
  context = {
    suppliers,
    retrySchedule,
    // a key of this run is shown on the page; one the user chose stays theirs
    showKeys: options.apiKey === undefined,
    view: (id, delivery) =>
      deliveryView(delivery, retrySchedule, {
        supplier: id,
        id: count === 1 ? delivery.id : `${id}.${delivery.id}`,
        seq: order.get(delivery) ?? 0,
      }),
  };
  return {
    url: `${origin}/`,
    supplierUrl: `${origin}/octo`,
    supplier: (mocks[0] as { supplier: MockSupplier }).supplier,
    suppliers: suppliers.map(({ id, url, supplier }) => ({ id, url, supplier })),
    async close() {
      clearInterval(keepAlive);
      for (const stream of streams) stream.end();
      streams.clear();
      await closePage(server);
      await Promise.all(mocks.map((m) => m.supplier.close()));
    },
  };
}
