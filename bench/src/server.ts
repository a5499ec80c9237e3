// One benchmark server per process: `node server.ts <framework> <bare|octo>`. Prints `PORT=<n>` when ready.
// "bare" is the same framework parsing the same JSON body and answering 200; "octo" mounts octoWebhooks
// with basic auth, lenient validation and one handler, the way the README shows it; "answer" (Fastify
// and Hono) is the bare route answering with our body and headers.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { PATH } from "./constants.ts";
import type { Start } from "./start.ts";

/** A Fastify app with one POST route (Fastify's own JSON parser in front). */
async function fastifyRoute(handler: import("fastify").RouteHandlerMethod): Promise<Server> {
  const { default: Fastify } = await import("fastify");
  const app = Fastify();
  app.post(PATH, handler);
  await app.ready();
  return app.server;
}

/** A Hono app with one POST route on @hono/node-server. */
async function honoRoute(handler: import("hono").Handler): Promise<Server> {
  const { Hono } = await import("hono");
  const { createAdaptorServer } = await import("@hono/node-server");
  const app = new Hono();
  app.post(PATH, handler);
  return createAdaptorServer({ fetch: app.fetch }) as Server;
}

const bare: Record<string, Start> = {
  "node:http": async () => {
    const { createServer } = await import("node:http");
    return createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        JSON.parse(Buffer.concat(chunks).toString("utf8"));
        res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      });
    });
  },
  express: async () => {
    const { default: express } = await import("express");
    const app = express();
    app.post(PATH, express.json({ limit: "1mb" }), (_req, res) => {
      res.json({ ok: true });
    });
    const { createServer } = await import("node:http");
    return createServer(app);
  },
  fastify: () => fastifyRoute(async () => ({ ok: true })),
  hono: () =>
    honoRoute(async (c) => {
      await c.req.json();
      return c.json({ ok: true });
    }),
  koa: async () => {
    const { default: Koa } = await import("koa");
    const { bodyParser } = await import("@koa/bodyparser");
    const app = new Koa();
    app.use(bodyParser());
    app.use((ctx) => {
      if (ctx.method === "POST" && ctx.path === PATH) ctx.body = { ok: true };
    });
    const { createServer } = await import("node:http");
    return createServer(app.callback());
  },
};

/** Our 200 as core answers it (asked of core itself, so that the experiment follows any change there). */
async function ourAnswer() {
  const { createOctoWebhooks } = await import("@octo-webhooks/core");
  const body = JSON.stringify({ booking: { uuid: "b-answer", status: "CONFIRMED" } });
  const answer = await createOctoWebhooks({ auth: "none", logger: {} }).handle({
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  if (answer.status !== 200) throw new Error(`core answered ${answer.status} to the answer probe`);
  return answer;
}

/**
 * The bare route answering as we do (the same body and headers), for the accounting
 * (instructions.ts): what of the gap is the framework's cost of that answer, not ours.
 */
const answer: Record<string, Start> = {
  fastify: async () => {
    const { body, headers } = await ourAnswer();
    return fastifyRoute(async (_request, reply) => reply.code(200).headers(headers).send(body));
  },
  hono: async () => {
    const { body, headers } = await ourAnswer();
    return honoRoute(async (c) => {
      await c.req.json();
      return c.body(body, 200, headers);
    });
  },
};

async function main() {
  const [framework, variant] = process.argv.slice(2);
  const { octo } = await import("./octo-servers.ts");
  const start = (variant === "octo" ? octo : variant === "answer" ? answer : bare)[framework ?? ""];
  if (!start) throw new Error(`no ${variant} server for ${framework}`);
  const server = await start();
  server.listen(0, "127.0.0.1", () => {
    console.log(`PORT=${(server.address() as AddressInfo).port}`);
  });
}

// exit through process.exit so that `--cpu-prof` writes its profile
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(0));
// the memory benchmark asks for the resident set size over IPC (after a GC when --expose-gc is on)
// and the frameworks benchmark for the CPU time spent so far
process.on("message", (message) => {
  if (message === "cpu") {
    process.send?.(process.cpuUsage());
    return;
  }
  // the gap accounting (profile-gap.ts) profiles the load only, after the warm-up: start, then stop
  if (message === "profile-start" || message === "profile-stop") {
    void profile(message).then((result) => process.send?.(result));
    return;
  }
  if (message === "heap") {
    // what the heap and array buffers hold (after a GC): a request in progress keeps its body there
    (globalThis as { gc?: () => void }).gc?.();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    process.send?.(heapUsed + arrayBuffers);
    return;
  }
  if (message !== "rss") return;
  (globalThis as { gc?: () => void }).gc?.();
  process.send?.(process.memoryUsage().rss);
});
let session: import("node:inspector/promises").Session | undefined;
async function profile(message: "profile-start" | "profile-stop"): Promise<unknown> {
  if (message === "profile-start") {
    const { Session } = await import("node:inspector/promises");
    session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    await session.post("Profiler.start");
    return "started";
  }
  const result = await session?.post("Profiler.stop");
  session?.disconnect();
  return JSON.stringify(result?.profile);
}

await main();
