import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createDelivery, type Delivery, type DeliveryAttempt, runDelivery } from "../deliver.ts";
import { type AvailabilityUpdateOptions, availabilityUpdate } from "../factories/availability.ts";
import {
  type BookingLifecycleOptions,
  type BookingUpdateOptions,
  bookingLifecycle,
  bookingUpdate,
} from "../factories/booking.ts";
import { createRandom, type Seed } from "../factories/random.ts";
import type { FactoryOptions } from "../factories/shared.ts";
import { listen, shutdown } from "../serve.ts";
import {
  type MockWebhook,
  OctoError,
  parseCapabilities,
  publicWebhook,
  readWebhookFields,
} from "./management.ts";

/** Options of {@link startMockSupplier}; every one has a default. */
export interface MockSupplierOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** The Bearer key(s) the management API accepts (default `"mock-api-key"`). */
  apiKey?: string | readonly string[];
  /** Waits before each retry of a failed delivery, in ms (default `[100, 500, 2000]`: 4 attempts). */
  retrySchedule?: readonly number[];
  /** How long a receiver may take to answer a delivery, in ms (default 5 000). */
  deliveryTimeoutMs?: number;
  /** Whether `PATCH /webhooks/:id` exists (default `true`); `false` answers 404 like an older supplier. */
  supportsPatch?: boolean;
  /** Events `POST /webhooks` accepts (default `booking_update`, `availability_update`). */
  events?: readonly string[];
  /** Sent as `user-agent` with every delivery. */
  userAgent?: string;
  /** Seed of webhook ids and simulated events (default `"mock"`). */
  seed?: Seed;
  /** Called after every delivery attempt (to print it, as the CLI does). */
  onAttempt?: (attempt: DeliveryAttempt, delivery: Delivery) => void;
  /** Called after every management request. */
  onRequest?: (request: ManagementRequest) => void;
}

/** A management API call as the mock supplier saw it (the key is never recorded). */
export interface ManagementRequest {
  method: string;
  path: string;
  status: number;
  /** The OCTO error code when it failed. */
  error: string | undefined;
  /** `Octo-Capabilities`, split. */
  capabilities: string[];
  /** `Octo-Env`. */
  env: string | undefined;
}

/** Makes the next management calls fail, to test a client's retries. */
export interface FailureOptions {
  /** Default 503. */
  status?: number;
  /** Sent as `Retry-After`. */
  retryAfterSeconds?: number;
  /** A body to send instead of the OCTO error (sent as `text/html`), e.g. a proxy's error page. */
  body?: string;
}

/** A running mock supplier, from {@link startMockSupplier}. */
export interface MockSupplier {
  /** The OCTO endpoint to give a client as `baseUrl`: `http://127.0.0.1:<port>/octo`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The first accepted API key. */
  readonly apiKey: string;
  /** The registered webhooks (copies), as `GET /webhooks` returns them. */
  readonly webhooks: ReturnType<typeof publicWebhook>[];
  /** Every delivery, in creation order, each with every attempt and its answer. */
  readonly deliveries: readonly Delivery[];
  /** Every management API call. */
  readonly requests: readonly ManagementRequest[];
  /**
   * Sends events to the registered webhooks of their kind, each with the webhook's capabilities.
   * Each resolves when its deliveries are finished (delivered, or out of attempts).
   */
  readonly simulate: {
    /** ON_HOLD -> CONFIRMED -> amended -> CANCELLED, in order, to every `booking_update` webhook. */
    bookingLifecycle(options?: BookingLifecycleOptions): Promise<Delivery[]>;
    /** One `booking_update` (`bookingUpdate(options)`) to every `booking_update` webhook. */
    bookingUpdate(options?: BookingUpdateOptions): Promise<Delivery[]>;
    /** One `availability_update` (`availabilityUpdate(options)`) to every `availability_update` webhook. */
    availabilityChange(options?: AvailabilityUpdateOptions): Promise<Delivery[]>;
    /** Any body, to the webhooks of `event`; a `webhook` echo is added unless the body has one. */
    event(event: string, body: Record<string, unknown>): Promise<Delivery[]>;
  };
  /** The next `count` management calls answer `status` (default 503) before anything else is checked. */
  failNext(count: number, failure?: FailureOptions): void;
  /** Resolves when no delivery is pending (retries included). */
  idle(): Promise<void>;
  /** Stops the server, cancels pending retries and in-flight deliveries; leaves no timer behind. */
  close(): Promise<void>;
}

const BASE_PATH = "/octo";
const MAX_BODY_BYTES = 100 * 1024;
const JSON_TYPE = "application/json; charset=utf-8";

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        reject(new OctoError(413, "PAYLOAD_TOO_LARGE", `the body must be under ${MAX_BODY_BYTES} bytes`));
        req.resume();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  try {
    return text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new OctoError(400, "BAD_REQUEST", "the body is not valid JSON");
  }
}

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
  const events = options.events ?? ["booking_update", "availability_update"];
  const seed = options.seed ?? "mock";
  const ids = createRandom(`${seed}:webhooks`);
  const userAgent = options.userAgent ?? "octo-webhooks-mock-supplier/1.0";
  const lifetime = new AbortController();
  const policy = {
    retrySchedule,
    timeoutMs: options.deliveryTimeoutMs ?? 5000,
    userAgent,
    signal: lifetime.signal,
    onAttempt: options.onAttempt,
  };

  const store = new Map<string, MockWebhook>();
  const deliveries: Delivery[] = [];
  const requests: ManagementRequest[] = [];
  const pending = new Set<Promise<unknown>>();
  const failures: FailureOptions[] = [];
  let simulations = 0;

  const authorized = (header: string | undefined) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
    return match !== null && keys.includes(match[1] as string);
  };

  const manage = async (req: IncomingMessage, path: string, capabilities: string[]): Promise<unknown> => {
    if (!authorized(req.headers.authorization)) {
      throw new OctoError(
        401,
        "UNAUTHORIZED",
        "missing or invalid API key; send Authorization: Bearer <key>",
      );
    }
    const env = req.headers["octo-env"];
    if (env !== undefined && env !== "test" && env !== "live") {
      throw new OctoError(400, "BAD_REQUEST", 'Octo-Env must be "test" or "live"');
    }
    if (path.startsWith("/_mock/")) return control(req, path);
    if (!capabilities.includes("octo/webhooks")) {
      throw new OctoError(
        400,
        "BAD_REQUEST",
        "add octo/webhooks to the Octo-Capabilities header to use webhooks",
      );
    }
    const method = req.method ?? "";
    if (path === "/webhooks") {
      if (method === "GET") return [...store.values()].map(publicWebhook);
      if (method === "POST") {
        const fields = readWebhookFields(await readJson(req), events, false);
        const webhook: MockWebhook = {
          id: ids.uuid(),
          event: fields.event as string,
          url: fields.url as string,
          retryOnError: fields.retryOnError ?? true,
          useContactLanguage: fields.useContactLanguage ?? false,
          headers: fields.headers ?? {},
          capabilities: capabilities.filter((c) => c !== "octo/webhooks"),
          env: env as MockWebhook["env"],
        };
        store.set(webhook.id, webhook);
        return publicWebhook(webhook);
      }
      throw new OctoError(
        405,
        "METHOD_NOT_ALLOWED",
        `${method} is not allowed on /webhooks; use GET or POST`,
      );
    }
    const match = /^\/webhooks\/([^/]+)$/.exec(path);
    if (match) {
      let id: string;
      try {
        id = decodeURIComponent(match[1] as string);
      } catch {
        throw new OctoError(400, "BAD_REQUEST", "the webhook id in the path is not valid percent-encoding");
      }
      if (method === "PATCH" && options.supportsPatch === false) {
        throw new OctoError(404, "NOT_FOUND", `no route PATCH ${BASE_PATH}/webhooks/:id`);
      }
      if (method !== "PATCH" && method !== "DELETE") {
        throw new OctoError(
          405,
          "METHOD_NOT_ALLOWED",
          `${method} is not allowed on /webhooks/:id; use PATCH or DELETE`,
        );
      }
      const webhook = store.get(id);
      if (webhook === undefined) {
        throw new OctoError(404, "INVALID_WEBHOOK_ID", "no webhook has this id", {
          webhookId: id.slice(0, 100),
        });
      }
      if (method === "DELETE") {
        store.delete(id);
        return publicWebhook(webhook);
      }
      Object.assign(webhook, readWebhookFields(await readJson(req), events, true));
      return publicWebhook(webhook);
    }
    throw new OctoError(404, "NOT_FOUND", `no route ${method} ${BASE_PATH}${path}`);
  };

  const control = async (req: IncomingMessage, path: string): Promise<unknown> => {
    if (req.method === "GET" && path === "/_mock/deliveries") return deliveries;
    if (req.method !== "POST") throw new OctoError(405, "METHOD_NOT_ALLOWED", "control routes take POST");
    const input = await readJson(req);
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      throw new OctoError(400, "BAD_REQUEST", "the body must be a JSON object of options");
    }
    const options = input as Record<string, unknown>;
    const before = deliveries.length;
    let run: Promise<Delivery[]>;
    if (path === "/_mock/simulate/booking-lifecycle") run = simulate.bookingLifecycle(options);
    else if (path === "/_mock/simulate/booking-update") run = simulate.bookingUpdate(options);
    else if (path === "/_mock/simulate/availability-change") run = simulate.availabilityChange(options);
    else if (path === "/_mock/simulate/event") {
      if (typeof options.event !== "string" || typeof options.body !== "object" || options.body === null) {
        throw new OctoError(400, "BAD_REQUEST", 'send { "event": "booking_update", "body": { ... } }');
      }
      run = simulate.event(options.event, options.body as Record<string, unknown>);
    } else throw new OctoError(404, "NOT_FOUND", `no control route ${path}`);
    // the deliveries are created at once and sent in the background (GET /octo/_mock/deliveries shows them)
    await Promise.race([run, Promise.resolve()]).catch((error: unknown) => {
      throw new OctoError(400, "BAD_REQUEST", error instanceof Error ? error.message : "invalid options");
    });
    return { deliveries: deliveries.slice(before).map((d) => d.id) };
  };

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
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
        payload = new OctoError(status, "SERVICE_UNAVAILABLE", "simulated failure (failNext)").body();
      }
      error = "SIMULATED_FAILURE";
      req.resume();
    } else {
      try {
        if (path === undefined) {
          throw new OctoError(
            404,
            "NOT_FOUND",
            `no route here; the OCTO endpoint is ${BASE_PATH} (e.g. GET ${BASE_PATH}/webhooks)`,
          );
        }
        payload = JSON.stringify(await manage(req, path, capabilities));
        if (isControl && req.method === "POST") status = 202;
      } catch (thrown) {
        const octo =
          thrown instanceof OctoError
            ? thrown
            : new OctoError(500, "INTERNAL_SERVER_ERROR", "the mock supplier failed");
        status = octo.status;
        payload = octo.body();
        error = octo.error;
        if (status === 405) headers.allow = path?.startsWith("/webhooks/") ? "PATCH, DELETE" : "GET, POST";
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

  /** Delivers each webhook's bodies in order (one after the other), webhooks in parallel. */
  const dispatch = (event: string, bodiesFor: (webhook: MockWebhook) => Record<string, unknown>[]) => {
    const chains: Promise<Delivery[]>[] = [];
    for (const webhook of store.values()) {
      if (webhook.event !== event) continue;
      const target = {
        webhookId: webhook.id,
        event,
        url: webhook.url,
        headers: webhook.headers,
        retryOnError: webhook.retryOnError,
      };
      const queued = bodiesFor(webhook).map((body) => {
        const delivery = createDelivery(`d${deliveries.length + 1}`, target, body, userAgent);
        deliveries.push(delivery);
        return delivery;
      });
      const chain = (async () => {
        for (const delivery of queued) await runDelivery(delivery, target, policy);
        return queued;
      })();
      pending.add(chain);
      void chain.finally(() => pending.delete(chain));
      chains.push(chain);
    }
    return Promise.all(chains).then((lists) => lists.flat());
  };

  /** The factory options that make a body look like it came from this webhook. */
  const from = (webhook: MockWebhook, simulation: string, given: FactoryOptions) => {
    const echo = new URL(webhook.url);
    echo.username = "";
    echo.password = "";
    return {
      seed: simulation,
      ...given,
      capabilities: webhook.capabilities,
      webhook: {
        id: webhook.id,
        event: webhook.event,
        url: echo.href,
        retryOnError: webhook.retryOnError,
        useContactLanguage: webhook.useContactLanguage,
        capabilities: webhook.capabilities,
      },
    };
  };
  // one seed per simulation: every webhook gets the same booking, each simulation a new one
  const nextSimulation = () => `${seed}:${++simulations}`;
  const asBooking = (
    webhook: MockWebhook,
    simulation: string,
    given: BookingUpdateOptions,
  ): BookingUpdateOptions => ({
    ...from(webhook, simulation, given),
    booking: { testMode: webhook.env !== "live", ...given.booking },
  });

  // async, so that bad options reject; the deliveries are still created before the first await
  const simulate: MockSupplier["simulate"] = {
    bookingLifecycle: async (given = {}) => {
      const simulation = nextSimulation();
      return dispatch("booking_update", (webhook) => bookingLifecycle(asBooking(webhook, simulation, given)));
    },
    bookingUpdate: async (given = {}) => {
      const simulation = nextSimulation();
      return dispatch("booking_update", (webhook) => [bookingUpdate(asBooking(webhook, simulation, given))]);
    },
    availabilityChange: async (given = {}) => {
      const simulation = nextSimulation();
      return dispatch("availability_update", (webhook) => [
        availabilityUpdate(from(webhook, simulation, given)),
      ]);
    },
    event: async (event, body) => {
      const simulation = nextSimulation();
      return dispatch(event, (webhook) => [{ webhook: from(webhook, simulation, {}).webhook, ...body }]);
    },
  };

  const server = createServer((req, res) => {
    void handler(req, res);
  });
  const { origin, port } = await listen(server, options.port, options.host);

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
    deliveries,
    requests,
    simulate,
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
