// NestJS as the suite and the fuzz tests start it: OctoWebhooksModule.forRoot(options) as the app's root
// module, on the Express and on the Fastify platform, created with each body-parsing setting Nest apps
// use (`bodyParser: false` as `none`, the default JSON parser, `rawBody: true`). The receiver is mounted ahead of
// Nest's parsing, so every setting keeps the raw body. The app's own OTHER_PATH routes are Nest routes of
// the platform, added before the app initialises.
import "reflect-metadata";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { INestApplication } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { ExpressAdapter } from "@nestjs/platform-express";
import { FastifyAdapter } from "@nestjs/platform-fastify";
import { OctoWebhooksModule } from "@octo-webhooks/nestjs";
import { type FrameworkUnderTest, OTHER_PATH, type ParserTraits, type Setup, type Started } from "../app.ts";
import { forkedApart } from "../fork-server.ts";

/** The app's settings, by parser name. */
const settings: Record<string, { bodyParser?: boolean; rawBody?: boolean }> = {
  none: { bodyParser: false },
  "default body parser": {},
  "rawBody: true": { rawBody: true },
};
const parsers: { none: ParserTraits } & Record<string, ParserTraits> = {
  // `bodyParser: false`
  none: { keepsRawBody: true },
  // not `common` (fuzzed): the receiver runs before Nest's parser, so the fuzz tests would send the
  // same requests through the same code again
  "default body parser": { keepsRawBody: true },
  "rawBody: true": { keepsRawBody: true },
};

async function textOf(body: unknown, stream: IncomingMessage): Promise<string> {
  if (typeof body === "string") return body;
  if (stream.readableEnded) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Creates, routes and starts the Nest app (with `prefix` as its global prefix); rejects with the module's
 * own error when it refuses its options.
 */
export async function startNest(
  platform: "express" | "fastify",
  { options, parser, prefix }: Setup,
): Promise<Started> {
  const adapter = platform === "express" ? new ExpressAdapter() : new FastifyAdapter();
  const app: INestApplication = await NestFactory.create(
    OctoWebhooksModule.forRoot({ ...options, path: options.path ?? "/webhooks/octo" }),
    adapter,
    { ...settings[parser], logger: false, abortOnError: false },
  );
  if (prefix !== undefined) app.setGlobalPrefix(prefix);
  const http = app.getHttpAdapter();
  const other =
    (method: string) =>
    async (req: { body?: unknown; raw?: IncomingMessage } & IncomingMessage, res: ServerResponse) => {
      const text = method === "GET" ? "other" : `other:${await textOf(req.body, req.raw ?? req)}`;
      http.reply(res, text, 200);
    };
  http.get(OTHER_PATH, other("GET"));
  http.post(OTHER_PATH, other("POST"));
  await app.listen(0, "127.0.0.1");
  const origin = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  // Nest's close() runs the module's shutdown hook, which drains the receiver (ack-first work)
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      app.getHttpServer().closeAllConnections();
      await app.close();
    })();
    return closing;
  };
  return { origin, fetch: (path, init) => fetch(new URL(path, origin), init), close, drain: close };
}

const NO_MOUNT =
  "the module mounts the receiver on the platform ahead of Nest's routing: Nest's global prefix does not apply to `path`";

/** NestJS on the Express and on the Fastify platform, each with every body-parsing setting. */
export const nestjsFrameworks: FrameworkUnderTest[] = [
  {
    name: "nestjs (express)",
    transport: "http",
    parsers,
    mounts: ["app"],
    mountPrefix: NO_MOUNT,
    packageName: "@octo-webhooks/nestjs",
    serveApart: forkedApart("nestjs (express)"),
    isContext: (value) => typeof value === "object" && value !== null && "res" in value && "app" in value,
    start: (setup) => startNest("express", setup),
  },
  {
    name: "nestjs (fastify)",
    transport: "http",
    parsers,
    mounts: ["app"],
    mountPrefix: NO_MOUNT,
    packageName: "@octo-webhooks/nestjs",
    serveApart: forkedApart("nestjs (fastify)"),
    isContext: (value) => typeof value === "object" && value !== null && "raw" in value && "server" in value,
    start: (setup) => startNest("fastify", setup),
  },
];
