// Bun and Deno as the suite starts them: each `start()` runs runtimes/runtime-server.ts in a `bun` or
// `deno` process (both from npm, devDependencies of this package) serving core's `fetch` or the Hono
// adapter with `Bun.serve` / `Deno.serve`, and answers that process's calls of the suite's functions
// (handlers, logger, auth, store, a receiver given as `webhooks`) from a local HTTP endpoint. The
// receiver, the body reading and the answers are the runtime's; only the suite's own callbacks run here.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { NonRetryableError } from "@octo-webhooks/core";
import {
  type FrameworkUnderTest,
  PATH,
  type ParserTraits,
  type ServedApart,
  type Setup,
  type Started,
} from "../app.ts";
import { fromWire, type Revivers, toWire } from "../runtimes/wire.ts";

const here = new URL("..", import.meta.url).pathname;
/** The JavaScript runtimes, by the command of their npm package. */
export type Runtime = "bun" | "deno";

/** The runtime's own binary (its npm package's postinstall puts it there), else the package's bin shim. */
const binary = (runtime: Runtime) => {
  const installed = runtime === "bun" ? "node_modules/bun-npm/bin/bun.exe" : "node_modules/deno-npm/deno";
  return existsSync(`${here}${installed}`) ? `${here}${installed}` : `${here}node_modules/.bin/${runtime}`;
};

const command = (runtime: Runtime, script: string): [string, string[]] => {
  const conditions = "--conditions=@octo-webhooks/source";
  return runtime === "bun"
    ? [binary(runtime), [conditions, script]]
    : [binary(runtime), ["run", "-A", "--no-lock", "--node-modules-dir=manual", conditions, script]];
};

/** The suite's side of the calls: its functions and receivers by id, and an endpoint that runs them. */
async function callbackServer() {
  const targets: unknown[] = [];
  /** The runtime's origin, once it listens: where a raw body it lent is read. */
  const runtime = { origin: "" };
  const register = (_kind: string, target: unknown) => {
    const known = targets.indexOf(target);
    if (known >= 0) return known;
    targets.push(target);
    return targets.length - 1;
  };
  const revivers: Revivers = {
    fn: (id) => () => {
      throw new Error(`the runtime handed back a function of its own (${id}); the suite never asks for one`);
    },
    error: ({ name, message, status, nonRetryable, code, supplier, stack, cause }) => {
      if (nonRetryable) return new NonRetryableError(message, status === undefined ? {} : { status });
      const error = Object.assign(new Error(message, { cause }), { name, code, status, supplier });
      error.stack = stack;
      return error;
    },
    rawBody: async (id) => {
      const answer = await fetch(new URL(`/__conformance/raw-body/${id}`, runtime.origin));
      if (answer.ok) return new Uint8Array(await answer.arrayBuffer());
      throw fromWire(((await answer.json()) as { thrown: unknown }).thrown, revivers);
    },
  };
  const run = async (call: { fn?: number; receiver?: number; method?: string; args: unknown[] }) => {
    const args = call.args.map((arg) => fromWire(arg, { ...revivers, fn: (id) => targets[id] as never }));
    if (call.fn !== undefined) return (targets[call.fn] as (...a: unknown[]) => unknown)(...args);
    const receiver = targets[call.receiver as number] as Record<string, (...a: unknown[]) => unknown>;
    return receiver[call.method as string]?.(...args);
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const call = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    let answer: unknown;
    try {
      answer = { value: toWire(await run(call), register) };
    } catch (error) {
      answer = { thrown: toWire(error) };
    }
    res.setHeader("content-type", "application/json").end(JSON.stringify(answer));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, register, server, runtime };
}

/**
 * Starts `kind` ("fetch": `createOctoWebhooks(options).fetch`, "hono": the Hono adapter) in `runtime`
 * with `setup`; rejects with the app's own message when it refused its options.
 */
export async function startInRuntime(
  runtime: Runtime,
  kind: "fetch" | "hono",
  setup: Setup,
): Promise<Started & ServedApart> {
  const callbacks = await callbackServer();
  const options = toWire(setup.options, callbacks.register);
  const [bin, args] = command(runtime, `${here}runtimes/runtime-server.ts`);
  const child: ChildProcess = spawn(bin, args, {
    cwd: here,
    env: {
      ...process.env,
      OCTO_RPC: callbacks.origin,
      OCTO_SETUP: JSON.stringify({
        kind,
        parser: setup.parser,
        mount: setup.mount,
        prefix: setup.prefix,
        options,
      }),
      DENO_NO_UPDATE_CHECK: "1",
      NO_COLOR: "1",
    },
    stdio: ["ignore", "pipe", "inherit"],
    // its own process group: a bin shim's child goes with it
    detached: true,
  });
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, "exit");
      process.kill(-(child.pid as number), "SIGKILL");
      await exited;
    }
    callbacks.server.closeAllConnections();
    await new Promise<void>((resolve) => callbacks.server.close(() => resolve()));
  };
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<{ origin?: string; error?: string }>((resolve, reject) => {
    lines.once("line", (line) => resolve(JSON.parse(line)));
    child.once("exit", (code) => reject(new Error(`${runtime} exited (${code}) before it listened`)));
  }).catch(async (error) => {
    await close();
    throw error;
  });
  // what the app prints later (console.log in handlers) is passed on
  lines.on("line", (line) => console.log(`[${runtime}] ${line}`));
  if (first.error !== undefined) {
    await close();
    throw new Error(first.error);
  }
  const origin = first.origin as string;
  callbacks.runtime.origin = origin;
  const drain = async () => {
    // runtime-server.ts drains its receiver on this path of its own
    const answer = await fetch(new URL("/__conformance/drain", origin), { method: "POST" });
    if (!answer.ok) throw new Error(`${runtime}: drain answered ${answer.status}`);
  };
  return { origin, fetch: (path, init) => fetch(new URL(path, origin), init), close, drain };
}

const honoParsers: { none: ParserTraits } & Record<string, ParserTraits> = {
  none: { keepsRawBody: true },
  "c.req.json()": { keepsRawBody: true, common: true, readsBodyFirst: true },
};
/** What `fetch(request, server)` / `Deno.serve`'s `(request, info)` hand core's `fetch` second: Bun's server, Deno's info. */
const isFetchContext = (runtime: Runtime) => (value: unknown) => {
  if (typeof value !== "object" || value === null) return false;
  const keys = (value as { $keys?: string[] }).$keys ?? Object.keys(value);
  return runtime === "bun"
    ? keys.includes("requestIP")
    : (value as { $instance?: string }).$instance === "ServeHandlerInfo";
};
const isHonoContext = (value: unknown) =>
  typeof value === "object" &&
  value !== null &&
  (value as { $instance?: string }).$instance === "Context" &&
  ((value as { $keys?: string[] }).$keys ?? []).includes("env");

const OUT_OF_PROCESS =
  "the app runs in a Bun or Deno process: its spans never reach the test process's in-memory exporter";
/** `serveApart`: the runtime's process is one of its own already. */
const apart = (runtime: Runtime, kind: "fetch" | "hono") => async () =>
  startInRuntime(runtime, kind, {
    options: { path: PATH, bodyTimeoutMs: 500, logger: {} },
    parser: "none",
    mount: "app",
  });

/** Core's `fetch` and the Hono adapter under Bun and under Deno, on their own servers. */
export function runtimeFrameworks(runtime: Runtime): FrameworkUnderTest[] {
  const server = runtime === "bun" ? "Bun.serve" : "Deno.serve";
  const resets =
    runtime === "bun"
      ? {
          resetsUnreadBody:
            "Bun.serve resets a connection whose body is still arriving once the answer is written: a client still sending may see the reset before the 413",
        }
      : {};
  return [
    {
      name: `${runtime} (core fetch on ${server})`,
      transport: "http",
      parsers: { none: { keepsRawBody: true } },
      mounts: ["app"],
      isContext: isFetchContext(runtime),
      noTelemetry: OUT_OF_PROCESS,
      mountPrefix: "core's `fetch` is the whole app here: no framework mounts it under a prefix",
      packageName: "@octo-webhooks/core",
      serveApart: apart(runtime, "fetch"),
      ...resets,
      start: (setup) => startInRuntime(runtime, "fetch", setup),
    },
    {
      name: `${runtime} (hono on ${server})`,
      transport: "http",
      parsers: honoParsers,
      mounts: ["app", "route"],
      isContext: isHonoContext,
      noTelemetry: OUT_OF_PROCESS,
      mountPrefix: true,
      packageName: "@octo-webhooks/hono",
      serveApart: apart(runtime, "hono"),
      ...resets,
      start: (setup) => startInRuntime(runtime, "hono", setup),
    },
  ];
}
