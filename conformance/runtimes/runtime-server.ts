// An app under test served by Bun (`Bun.serve`) or Deno (`Deno.serve`), started by runtimes.ts: core's
// `fetch`, or the Hono adapter, as users run them there. The suite's options arrive as JSON; their
// functions (handlers, logger, `auth`, `verify`, a store...) and a receiver given as `webhooks` stay in
// the suite's process and are called back over HTTP (`OCTO_RPC`), so that the suite sees every call as
// it does in-process. Each answer waits for the calls its request made (`onError`, log lines) to land.
// Prints `{"origin"}` on its first line once it listens, or `{"error"}` when the app refused to start.
import { AsyncLocalStorage } from "node:async_hooks";
import { createOctoWebhooks, NonRetryableError, type OctoWebhooks } from "@octo-webhooks/core";
import { adapterWebhooks, matchesPath } from "@octo-webhooks/core/adapter";
import { OTHER_PATH } from "../app.ts";
import { buildHonoApp } from "../frameworks/hono.ts";
import { base64, fromWire, type Revivers, toWire } from "./wire.ts";

interface RuntimeSetup {
  kind: "fetch" | "hono";
  parser: string;
  mount: "app" | "route";
  prefix?: string;
  options: unknown;
}

const env = (name: string) =>
  (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env[name];
const rpcOrigin = env("OCTO_RPC") as string;
const setup = JSON.parse(env("OCTO_SETUP") as string) as RuntimeSetup;

/** The calls in flight; an answer is sent once those its request made have landed. */
const pending = new Set<Promise<unknown>>();

async function call(body: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(`${rpcOrigin}/call`, { method: "POST", body: JSON.stringify(body) });
  const answer = (await response.json()) as { value?: unknown; thrown?: unknown };
  if ("thrown" in answer) throw fromWire(answer.thrown, revivers);
  return fromWire(answer.value, revivers);
}
const track = <T>(promise: Promise<T>): Promise<T> => {
  pending.add(promise);
  const done = () => void pending.delete(promise);
  promise.then(done, done);
  return promise;
};
const settle = async () => {
  while (pending.size > 0) await Promise.allSettled([...pending]);
};

/**
 * The request being served: its headers, what a `verify` or resolver's request (`header(name)`) is sent
 * as, and the ids of the raw bodies its `AuthRequest`s lent the suite.
 */
const current = new AsyncLocalStorage<{ headers: Headers; rawBodies: number[] }>();
/** The `rawBody()` of each `AuthRequest` sent to the suite, by id, while its request is served. */
const rawBodies = new Map<number, () => Promise<Uint8Array>>();
let rawBodyIds = 0;
const argument = (value: unknown) => {
  const auth = value as {
    method?: unknown;
    header?: unknown;
    rawBody?: unknown;
    remoteAddress?: unknown;
  } | null;
  if (
    typeof auth === "object" &&
    auth !== null &&
    typeof auth.header === "function" &&
    typeof auth.method === "string"
  ) {
    const served = current.getStore();
    const rawBody = typeof auth.rawBody === "function" ? rawBodyIds++ : undefined;
    if (rawBody !== undefined) {
      rawBodies.set(rawBody, auth.rawBody as () => Promise<Uint8Array>);
      served?.rawBodies.push(rawBody);
    }
    const { remoteAddress } = auth;
    const headers = [...(served?.headers ?? new Headers())];
    return { $authRequest: { method: auth.method, headers, remoteAddress, rawBody } };
  }
  return toWire(value, register);
};

/** Where the suite reads a raw body it was lent (`rawBody()` of an `AuthRequest`): its bytes, or what it threw. */
const RAW_BODY_PATH = "/__conformance/raw-body/";
async function lentRawBody(id: number): Promise<Response> {
  const read = rawBodies.get(id);
  if (read === undefined) return new Response("no such raw body", { status: 404 });
  try {
    return new Response(new Uint8Array(await read()));
  } catch (error) {
    return Response.json({ thrown: toWire(error) }, { status: 500 });
  }
}

const stubIds = new WeakMap<object, number>();
const revivers: Revivers = {
  fn(id) {
    const stub = (...args: unknown[]) => track(call({ fn: id, args: args.map(argument) }));
    stubIds.set(stub, id);
    return stub;
  },
  receiver: (id) => remoteReceiver(id),
  error({ name, message, status, nonRetryable, cause }) {
    const error = nonRetryable
      ? new NonRetryableError(message, status === undefined ? {} : { status })
      : new Error(message, { cause });
    if (!nonRetryable) error.name = name;
    return error;
  },
};

// a function of this process inside a value sent to the suite (a method of a plain object): it travels as
// a negative id, which the suite never calls (it has no way back); the suite's own stubs keep their ids
const local = new Map<number, (...args: unknown[]) => unknown>();
const register = (_kind: "$fn" | "$receiver", target: unknown) => {
  const known = stubIds.get(target as object);
  if (known !== undefined) return known;
  const id = -(local.size + 1);
  local.set(id, target as (...args: unknown[]) => unknown);
  return id;
};

/** Reads a body of any shape core takes to bytes. */
async function bytesOf(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  const chunks: Uint8Array[] = [];
  if (typeof (body as ReadableStream).getReader === "function") {
    // only `getReader()` is promised (the Hono adapter hands over an object with just that)
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
  } else for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer());
}

/**
 * A receiver the suite made, given as `webhooks`: `handle()` runs there, on the request as read here;
 * handlers given beside it are registered there.
 */
function remoteReceiver(id: number): OctoWebhooks<unknown> {
  const handle = async (
    request: { method: string; headers?: unknown; body?: unknown },
    context?: unknown,
  ) => {
    const headers = new Headers(request.headers as HeadersInit);
    const body = await bytesOf(request.body);
    return (await track(
      call({
        receiver: id,
        method: "handle",
        args: [
          { method: request.method, headers: toWire(headers), body: { $bytes: base64(body) } },
          toWire(context, register),
        ],
      }),
    )) as { status: number; headers: Record<string, string>; body: string };
  };
  return new Proxy({} as OctoWebhooks<unknown>, {
    get(_target, key) {
      if (key === "handle") return handle;
      if (key === "fetch")
        return async (request: Request, context?: unknown) => {
          const answer = await handle(
            { method: request.method, headers: request.headers, body: request.body },
            context,
          );
          return new Response(answer.body, { status: answer.status, headers: answer.headers });
        };
      if (typeof key === "string" && /^on[A-Z]/.test(key))
        return (handler: unknown) => {
          void track(call({ receiver: id, method: key, args: [toWire(handler, register)] }));
          return () => {};
        };
      return undefined;
    },
  });
}

const other = async (request: Request) =>
  new Response(request.method === "GET" ? "other" : `other:${await request.text()}`);

/** The app: core's fetch mounted app-wide (a path of the app's own beside it), or Hono's app. */
/** The suite's `drain()`: the test process asks the app to drain its receiver (ack-first work). */
const DRAIN_PATH = "/__conformance/drain";
const drained = async (drain: () => Promise<void>) => {
  await drain();
  return new Response("drained");
};

function build(options: Record<string, unknown>): (request: Request, context: unknown) => Promise<Response> {
  if (setup.kind === "hono") {
    const { app, drain } = buildHonoApp({ ...setup, options });
    // as Bun and Deno call it: their server or connection info second, which Hono gives as `c.env`
    return async (request, context) =>
      new URL(request.url).pathname === DRAIN_PATH ? drained(drain) : app.fetch(request, context);
  }
  // as a Worker/Bun/Deno user writes it: core's fetch() given the `path` (which routes, and reads the
  // `:supplier` segment); only the suite's own paths are answered before it. A receiver the suite made
  // (`webhooks`) lives in the test process: the path is matched here, as an adapter does.
  const given = options.webhooks !== undefined ? adapterWebhooks(options, "@octo-webhooks/core") : undefined;
  const webhooks = given?.webhooks ?? createOctoWebhooks(options);
  return async (request, context) => {
    const url = new URL(request.url);
    if (url.pathname === DRAIN_PATH) return drained(() => webhooks.drain());
    if (url.pathname === OTHER_PATH) return other(request);
    if (given?.path !== undefined && !matchesPath(url.pathname, given.path))
      return new Response("Not Found", { status: 404 });
    return webhooks.fetch(request, context);
  };
}

const print = (line: unknown) => console.log(JSON.stringify(line));
let app: ReturnType<typeof build>;
try {
  app = build(fromWire(setup.options, revivers) as Record<string, unknown>);
  await settle();
} catch (error) {
  print({ error: error instanceof Error ? error.message : String(error) });
  (globalThis as { process?: { exit(code: number): never } }).process?.exit(1);
}

const serveRequest = async (request: Request, context: unknown) => {
  // the suite reading a raw body while the request it belongs to waits for its `verify`: not settled
  const { pathname } = new URL(request.url);
  if (pathname.startsWith(RAW_BODY_PATH)) return lentRawBody(Number(pathname.slice(RAW_BODY_PATH.length)));
  const served = { headers: request.headers, rawBodies: [] as number[] };
  try {
    const response = await current.run(served, () => app(request, context));
    await settle();
    return response;
  } finally {
    for (const id of served.rawBodies) rawBodies.delete(id);
  }
};

const runtime = globalThis as {
  Bun?: { serve(options: object): { port: number } };
  Deno?: {
    serve(
      options: object,
      handler: (request: Request, info: unknown) => Promise<Response>,
    ): { addr: { port: number } };
  };
};
if (runtime.Bun) {
  const server = runtime.Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: serveRequest });
  print({ origin: `http://127.0.0.1:${server.port}` });
} else if (runtime.Deno) {
  const server = runtime.Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, serveRequest);
  print({ origin: `http://127.0.0.1:${server.addr.port}` });
} else {
  print({ error: "run this file with bun or deno" });
}
