// What an app under test is and how one is served: shared by the conformance suite, the fuzz tests and
// the child-process servers of the memory tests (so this file imports no test runner).
import {
  type AdapterOptions,
  createOctoWebhooks,
  type OctoRequest,
  type OctoWebhooksOptions,
} from "@octo-webhooks/core";

/** The path the receiver answers. */
export const PATH = "/webhooks/octo";
/** The prefix the path-under-prefix case mounts the adapter under (`Setup.prefix`). */
export const PREFIX = "/api";
/** A path of the app's own, answered `other` (GET) or `other:<body text>` (POST): proof that `next()` ran. */
export const OTHER_PATH = "/other";

/**
 * A receiver that counts the requests reaching it (`reached()`), to pass as the adapter's `webhooks`:
 * shows whether a parser in front answered or held a request before our middleware ran.
 */
export function countingReceiver(options: OctoWebhooksOptions) {
  const receiver = createOctoWebhooks(options);
  let reached = 0;
  const webhooks = {
    ...receiver,
    handle: (request: OctoRequest, context?: unknown) => {
      reached++;
      return receiver.handle(request, context);
    },
  };
  return { webhooks, reached: () => reached };
}

/** A running app. */
export interface Target {
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The origin of a real server (`http://127.0.0.1:port`); enables the raw-client cases. */
  origin?: string;
  close(): Promise<void>;
}

/** A running app under test. */
export interface Started extends Target {
  /**
   * What this app does on shutdown for its receiver: resolves once every handler still running after an
   * ack-first answer has finished (the middleware's `webhooks.drain()`, Fastify's `app.close()`).
   */
  drain(): Promise<void>;
}

/** How one app under test is built. */
export interface Setup {
  /** The adapter's options (`path` included for the app-wide mount). */
  options: AdapterOptions<unknown>;
  /** A key of `FrameworkUnderTest.parsers`: which body parser runs app-wide before everything. */
  parser: string;
  /**
   * `"app"`: mounted app-wide with `options.path`. `"route"`: mounted on the framework's own
   * `POST PATH` route, without `path`.
   */
  mount: "app" | "route";
  /**
   * A prefix of the app's own: the app-wide mount goes under it where the framework mounts one
   * (`FrameworkUnderTest.mountPrefix`); NestJS gives it to `setGlobalPrefix()`.
   */
  prefix?: string;
}

/** An app served from a process of its own (see `FrameworkUnderTest.serveApart`). */
export interface ServedApart {
  /** `http://127.0.0.1:port` */
  origin: string;
  close(): Promise<void>;
}

export interface ParserTraits {
  /** Whether handlers still get the exact text (`context.rawBody`) behind this parser. */
  keepsRawBody: boolean;
  /** The parser's own body limit in bytes, when it reads JSON bodies with one (express.json(): 100 KB). */
  limitBytes?: number;
  /**
   * Statuses this parser answers by itself, before the adapter runs (express.json(): 400 for malformed
   * JSON, 413 over its limit, 415 for a charset it cannot decode). The fuzz tests allow them besides ours.
   */
  ownStatuses?: readonly number[];
  /** The parser most apps of this framework put in front: fuzzed besides `none`. */
  common?: boolean;
  /**
   * Whether it reads a JSON delivery's whole body before the adapter runs. Then a body that never ends
   * is the parser's to time out (most never do), not `bodyTimeoutMs`'s: see the slow-body tests.
   */
  readsBodyFirst?: boolean;
  /**
   * Whether a body whose Content-Encoding does not decode leaves the connection stuck (co-body: the
   * request is left paused and never drained after zlib's error, so the next request sent on that
   * keep-alive connection waits for Node's 5 s keep-alive timeout, then gets a reset). A bug of the
   * parser, before the adapter runs: the fuzz tests send such targets no Content-Encoding.
   */
  stallsOnBadContentCoding?: boolean;
}

export interface FrameworkUnderTest {
  name: string;
  /** `"http"`: `start()` runs a real server (with `origin`), which adds the raw-client cases. */
  transport: "http" | "app.request";
  /** The body-parser combinations of this framework; `none` (nothing before the adapter) is required. */
  parsers: { none: ParserTraits } & Record<string, ParserTraits>;
  /** Which mounts the framework has (`"app"` always). */
  mounts: readonly Setup["mount"][];
  /**
   * Why this server resets a connection whose body it stopped reading (Bun after a 413 to a body still
   * arriving): then the streamed and endless over-limit cases accept a reset in place of the 413, and
   * still require that the body was not read to its end and that no handler ran.
   */
  resetsUnreadBody?: string;
  /**
   * `true` where `start()` mounts the adapter under `Setup.prefix` as the framework does (Express
   * `app.use(prefix, …)`, Fastify's register `prefix`, Hono's `basePath`, koa-mount): `path` is then
   * relative to the mount. Else why nothing mounts it under a prefix (one line): `path` is then the whole
   * path the client sent, and the path case checks that instead.
   */
  mountPrefix?: true | string;
  /** The package that names the adapter's errors (`@octo-webhooks/express`); without, any `@octo-webhooks/…`. */
  packageName?: string;
  /**
   * Serves the app (`path: PATH`, no auth, `bodyTimeoutMs` 500, nothing in front of the adapter) from a
   * process of its own, for the cases of clients still sending while the server answers and closes
   * (refusals-close.ts, answer-before-reset.ts): with client and server on one event loop, that race
   * cannot happen. The `http` frameworks of `frameworks/` fork child-server.ts; Bun and Deno serve from
   * their own process anyway. A `http` target without it skips those cases; an `app.request` target
   * has no socket, and runs what holds there instead.
   */
  serveApart?(): Promise<ServedApart>;
  /** Whether a value is what this framework's adapter gives the `auth` resolver (its request or context). */
  isContext(value: unknown): boolean;
  /**
   * `false` where the runtime freezes after the answer (AWS Lambda), so the adapter refuses `ackFirst`
   * at construction: the ack-first case then checks that refusal instead.
   */
  ackFirst?: boolean;
  /**
   * Why the telemetry case cannot run on this target, when it cannot: the app runs in another process
   * (Bun, Deno), whose spans the test process's in-memory exporter never sees.
   */
  noTelemetry?: string;
  /**
   * Why requests reach the adapter without the peer's address, where they do (Hono's `app.request`, a
   * Next.js App Router route module: no socket): the `allowFrom` case then checks that every request is
   * refused (403, its address unknown), and that with `trustProxy` the client X-Forwarded-For names is
   * checked instead. Elsewhere it checks the address of the real socket (on Lambda, the event's).
   */
  noPeerAddress?: string;
  /**
   * Builds and starts an app: the parser, then the adapter (mounted as asked), then the
   * {@link OTHER_PATH} route; with the app's way to {@link Started.drain | drain} its receiver.
   */
  start(setup: Setup): Promise<Started>;
}

/** Serves a Node request listener on a free port; `close()` also ends open connections. */
export { serve } from "@octo-webhooks/test-helpers";
