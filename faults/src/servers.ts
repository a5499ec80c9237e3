// A receiver's HTTP server in each adapter: node:http with core's handle(), Express, Fastify, Hono (on
// @hono/node-server) and Koa, each given the same receiver (`webhooks:`), so that a scenario can run
// against every one of them.
import { createServer, type Server } from "node:http";
import type { OctoWebhooks } from "@octo-webhooks/core";
import { lingerBeforeClose, matchesPath } from "@octo-webhooks/core/adapter";

/** The adapters a scenario can run against. */
export const ADAPTERS = ["node", "express", "fastify", "hono", "koa"] as const;
export type Adapter = (typeof ADAPTERS)[number];

const PATH = "/webhooks/octo";

/** A Node server (not yet listening) that hands deliveries on PATH to `webhooks` through `adapter`. */
export async function serverFor(adapter: Adapter, webhooks: OctoWebhooks<unknown>): Promise<Server> {
  switch (adapter) {
    case "express": {
      const { default: express } = await import("express");
      const { octoWebhooks } = await import("@octo-webhooks/express");
      const app = express();
      app.use(octoWebhooks({ path: PATH, webhooks }));
      return createServer(app);
    }
    case "fastify": {
      const { default: Fastify } = await import("fastify");
      const { octoWebhooks } = await import("@octo-webhooks/fastify");
      const app = Fastify();
      await app.register(octoWebhooks, { path: PATH, webhooks });
      await app.ready();
      return app.server;
    }
    case "hono": {
      const { Hono } = await import("hono");
      const { createAdaptorServer } = await import("@hono/node-server");
      const { octoWebhooks } = await import("@octo-webhooks/hono");
      const app = new Hono();
      app.post(PATH, octoWebhooks({ webhooks }));
      return createAdaptorServer({ fetch: app.fetch }) as Server;
    }
    case "koa": {
      const { default: Koa } = await import("koa");
      const { octoWebhooks } = await import("@octo-webhooks/koa");
      const app = new Koa();
      app.use(octoWebhooks({ path: PATH, webhooks }));
      return createServer(app.callback());
    }
    default:
      return createServer(async (req, res) => {
        if (!matchesPath(req.url ?? "/", PATH)) {
          res.writeHead(404).end();
          return;
        }
        const answer = await webhooks.handle({ method: req.method ?? "", headers: req.headers, body: req });
        // as core's documentation shows a plain server doing it (and the adapters do): a 413 or 408 left
        // part of the body unread, so the connection closes in stages rather than being reset
        lingerBeforeClose(req, answer);
        res.writeHead(answer.status, answer.headers).end(answer.body);
      });
  }
}
