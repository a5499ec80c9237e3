import { setMaxListeners } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Delivery } from "../deliver.ts";
import { createRandom } from "../factories/random.ts";
import { listen, shutdown } from "../serve.ts";
import { controlMock } from "./control-routes.ts";
import { createDispatch } from "./dispatch.ts";
import { createFaults } from "./faults.ts";
import type {
  FailureOptions,
  ManagementRequest,
  MockSupplier,
  MockSupplierOptions,
} from "./mock-supplier.ts";
import { OctoErrorBody } from "./octo-error-body.ts";
import { createReplay } from "./replay.ts";
import { createResourceStore } from "./resource-store.ts";
import { createResources } from "./resources.ts";
import { createSimulator } from "./simulate.ts";
import {
  isSubscriptionPath,
  type MockSubscription,
  manageSubscriptions,
  publicSubscription,
} from "./subscriptions.ts";
import { type MockWebhook, manageWebhooks, publicWebhook } from "./webhooks.ts";

// The mock supplier's server: options, Bearer auth, simulated failures, routing to the management
// routes (webhooks.ts, subscriptions.ts, the read API of resources.ts) and the control routes
// (control-routes.ts), the request log; its deliveries' failure modes are faults.ts's.

const BASE_PATH = "/octo";
const JSON_TYPE = "application/json; charset=utf-8";
/** Loopback: with the default (public) key, `GET /octo/_mock/deliveries` must not face a network. */
const DEFAULT_HOST = "127.0.0.1";

/** `Octo-Capabilities: octo/webhooks, octo/pricing` -> `["octo/webhooks", "octo/pricing"]`. */
function parseCapabilities(header: string | undefined): string[] {
  return (header ?? "")
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "");
}

/** The `allow` header of a 405 on `path`; `read` for a path of the read API. */
const allowOf = (path: string, read: boolean) =>
  read
    ? path === "/availability"
      ? "POST"
      : "GET"
    : path.startsWith("/webhooks/")
      ? "PATCH, DELETE"
      : /^\/notifications\/[^/]+\/[^/]+$/.test(path)
        ? "GET, PATCH, DELETE"
        : "GET, POST";

/**
 * Starts a mock OCTO supplier: a real HTTP server implementing the webhook management API
 * (`POST/GET /webhooks`, `PATCH/DELETE /webhooks/:id`, Bearer auth, OCTO error bodies) that really
 * delivers simulated events to the registered URLs, with Basic credentials from the URL, the webhook's
 * headers, and retries on `retrySchedule`. Also reachable over HTTP at `/octo/_mock/*` (see the README).
 *
 * @example
 * ```ts
 * import { startMockSupplier } from "@octo-webhooks/testing";
 * import { createOctoClient } from "@octo-webhooks/client";
 *
 * const supplier = await startMockSupplier({ retrySchedule: [10, 50] });
 * const client = createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey });
 * await client.webhooks.create({ event: "booking_update", url: "http://octo:secret@127.0.0.1:3000/hooks" });
 * await supplier.simulate.bookingLifecycle();
 * console.log(supplier.deliveries.map((d) => d.attempts.map((a) => a.status)));
 * await supplier.close();
 * ```
 */
export async function startMockSupplier(options: MockSupplierOptions = {}): Promise<MockSupplier> {
  const keys =
    typeof options.apiKey === "string" ? [options.apiKey] : [...(options.apiKey ?? ["mock-api-key"])];
  if (keys.length === 0 || !keys.every((k) => typeof k === "string" && /^[\x21-\x7e]+$/.test(k))) {
    throw new TypeError("[@octo-webhooks/testing] `apiKey` must be printable ASCII without spaces");
  }
  const retrySchedule = [...(options.retrySchedule ?? [100, 500, 2000])];
  if (!retrySchedule.every((ms) => Number.isFinite(ms) && ms >= 0)) {
    throw new TypeError("[@octo-webhooks/testing] `retrySchedule` must be a list of delays in ms");
  }
  const seed = options.seed ?? "mock";
  const ids = createRandom(`${seed}:webhooks`);
  const lifetime = new AbortController();
  // every delivery in flight or waiting for a retry listens to it: hundreds at once are expected
  setMaxListeners(0, lifetime.signal);
  const store = new Map<string, MockWebhook>();
  const subscriptions = new Map<string, MockSubscription>();
  const resources = createResourceStore();
  const reads = createResources(
    seed,
    { failureRate: options.readFailureRate ?? 0, latencyMs: options.readLatencyMs ?? 0 },
    resources,
  );
  const faults = createFaults(
    seed,
    {
      ...(options.giveUpAfter === undefined ? {} : { giveUpAfter: options.giveUpAfter }),
      ...(options.deleteWebhookAfter === undefined ? {} : { deleteWebhookAfter: options.deleteWebhookAfter }),
      ...(options.dropRate === undefined ? {} : { dropRate: options.dropRate }),
    },
    { store, subscriptions },
    options.onWebhookDeleted,
  );
  const deliveries: Delivery[] = [];
  const requests: ManagementRequest[] = [];
  const pending = new Set<Promise<unknown>>();
  const failures: FailureOptions[] = [];
  const webhookState = {
    store,
    events: options.events ?? ["booking_update", "availability_update", "order_update", "product_update"],
    newId: () => ids.uuid(),
    supportsPatch: options.supportsPatch !== false,
    basePath: BASE_PATH,
  };
  const dispatch = createDispatch({
    deliveries,
    faults,
    onDelivery: options.onDelivery,
    policy: {
      retrySchedule,
      timeoutMs: options.deliveryTimeoutMs ?? 5000,
      userAgent: options.userAgent ?? "octo-webhooks-mock-supplier/1.0",
      signal: lifetime.signal,
      onAttempt: options.onAttempt,
    },
  });
  const simulation = { store, subscriptions, resources, deliveries, pending, seed, dispatch };
  const simulate = createSimulator(simulation);
  const subscriptionState = { ...webhookState, subscriptions };

  const authorized = (header: string | undefined) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
    return match !== null && keys.includes(match[1] as string);
  };

  /** Auth and `Octo-Env` first, then the control or management route of `path`. */
  const answer = async (req: IncomingMessage, path: string, capabilities: string[]): Promise<unknown> => {
    if (!authorized(req.headers.authorization)) {
      throw new OctoErrorBody(
        401,
        "UNAUTHORIZED",
        "missing or invalid API key; send Authorization: Bearer <key>",
      );
    }
    const env = req.headers["octo-env"];
    if (env !== undefined && env !== "test" && env !== "live") {
      throw new OctoErrorBody(400, "BAD_REQUEST", 'Octo-Env must be "test" or "live"');
    }
    if (path.startsWith("/_mock/")) return controlMock(req, path, { deliveries, simulate, reads, faults });
    if (isSubscriptionPath(path)) return manageSubscriptions(subscriptionState, req, path, capabilities);
    if (reads.isReadPath(path)) return reads.read(req, path);
    return manageWebhooks(webhookState, req, path, capabilities, env);
  };

  const routeRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? "/", "http://mock").pathname;
    const capabilities = parseCapabilities(req.headers["octo-capabilities"] as string | undefined);
    const path = pathname.startsWith(`${BASE_PATH}/`) ? pathname.slice(BASE_PATH.length) : undefined;
    const isControl = path?.startsWith("/_mock/") ?? false;
    let status = 200;
    let payload: string;
    let error: string | undefined;
    const headers: Record<string, string> = { "content-type": JSON_TYPE };
    const failure = isControl ? undefined : failures.shift();
    if (failure !== undefined) {
      status = failure.status ?? 503;
      if (failure.retryAfterSeconds !== undefined) headers["retry-after"] = String(failure.retryAfterSeconds);
      if (failure.body !== undefined) {
        headers["content-type"] = "text/html; charset=utf-8";
        payload = failure.body;
      } else {
        payload = new OctoErrorBody(status, "SERVICE_UNAVAILABLE", "simulated failure (failNext)").body();
      }
      error = "SIMULATED_FAILURE";
      req.resume();
    } else {
      try {
        if (path === undefined) {
          throw new OctoErrorBody(
            404,
            "NOT_FOUND",
            `no route here; the OCTO endpoint is ${BASE_PATH} (e.g. GET ${BASE_PATH}/webhooks)`,
          );
        }
        payload = JSON.stringify(await answer(req, path, capabilities));
        if (isControl && req.method === "POST") status = 202;
      } catch (thrown) {
        const octo =
          thrown instanceof OctoErrorBody
            ? thrown
            : new OctoErrorBody(500, "INTERNAL_SERVER_ERROR", "the mock supplier failed");
        status = octo.status;
        payload = octo.body();
        error = octo.error;
        if (status === 405) headers.allow = allowOf(path ?? "", reads.isReadPath(path ?? ""));
        req.resume();
      }
    }
    res.writeHead(status, headers).end(payload);
    if (!isControl) {
      const env = req.headers["octo-env"];
      const entry: ManagementRequest = {
        method: req.method ?? "",
        path: pathname,
        status,
        error,
        capabilities,
        env: typeof env === "string" ? env : undefined,
      };
      requests.push(entry);
      options.onRequest?.(entry);
    }
  };

  const server = createServer((req, res) => {
    void routeRequest(req, res);
  });
  const { origin, port } = await listen(server, options.port, options.host ?? DEFAULT_HOST);

  const idle = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };

  return {
    url: `${origin}${BASE_PATH}`,
    port,
    apiKey: keys[0] as string,
    get webhooks() {
      return [...store.values()].map(publicWebhook);
    },
    get subscriptions() {
      return [...subscriptions.values()].map(publicSubscription);
    },
    get bookings() {
      return resources.bookings();
    },
    get orders() {
      return resources.orders();
    },
    get products() {
      return resources.products();
    },
    reads: { stats: reads.stats, configure: reads.configure, reset: reads.reset },
    faults: { settings: faults.settings, configure: faults.configure },
    deletedWebhooks: faults.deleted,
    deliveries,
    requests,
    simulate,
    replay: createReplay(simulation),
    failNext(count, failure = {}) {
      if (!Number.isInteger(count) || count < 0)
        throw new TypeError("[@octo-webhooks/testing] `count` must be a non-negative integer");
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    idle,
    async close() {
      lifetime.abort();
      const closed = shutdown(server);
      await idle();
      await closed;
    },
  };
}
