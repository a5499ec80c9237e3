// The "with octoWebhooks" servers: basic auth on, lenient validation, one handler, mounted the way
// each adapter's README shows it, with no body parser in front (the adapter reads the stream).
import type { Server } from "node:http";
import { createServer } from "node:http";
import { PASS, PATH, USER } from "./constants.ts";
import type { Start } from "./start.ts";

const options = { auth: { basic: { username: USER, password: PASS } }, onBookingUpdate: () => {} };

export const octo: Record<string, Start> = {};

octo.express = async () => {
  const { default: express } = await import("express");
  const { octoWebhooks } = await import("@octo-webhooks/express");
  const app = express();
  app.use(octoWebhooks({ path: PATH, ...options }));
  return createServer(app);
};

octo.fastify = async () => {
  const { default: Fastify } = await import("fastify");
  const { octoWebhooks } = await import("@octo-webhooks/fastify");
  const app = Fastify();
  await app.register(octoWebhooks, { path: PATH, ...options });
  await app.ready();
  return app.server;
};

octo.hono = async () => {
  const { Hono } = await import("hono");
  const { createAdaptorServer } = await import("@hono/node-server");
  const { octoWebhooks } = await import("@octo-webhooks/hono");
  const app = new Hono();
  app.post(PATH, octoWebhooks(options));
  return createAdaptorServer({ fetch: app.fetch }) as Server;
};

octo.koa = async () => {
  const { default: Koa } = await import("koa");
  const { octoWebhooks } = await import("@octo-webhooks/koa");
  const app = new Koa();
  app.use(octoWebhooks({ path: PATH, ...options }));
  return createServer(app.callback());
};
