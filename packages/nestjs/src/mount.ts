// Mounts a receiver on the app's platform through the adapter of that platform, before Nest's own body
// parsing: on Express, first in the middleware stack (Nest adds its parsers when the app initialises,
// after the module's providers are made); on Fastify, as an encapsulated plugin with its own parser.
// Either way the receiver reads the body itself, whatever `bodyParser` and `rawBody` the app was given.
import type { HttpAdapterHost } from "@nestjs/core";
import type { OctoWebhooks } from "@octo-webhooks/core";
import { octoWebhooks as expressMiddleware } from "@octo-webhooks/express";
import { octoWebhooks as fastifyPlugin } from "@octo-webhooks/fastify";
import { PACKAGE } from "./options.ts";

/** Mounts `webhooks` at `path` on the app's Express or Fastify instance; returns the platform's name. */
export function mountReceiver(host: HttpAdapterHost, webhooks: OctoWebhooks<unknown>, path: string): string {
  const adapter = host.httpAdapter;
  if (adapter === undefined || adapter === null) {
    throw new Error(
      `[${PACKAGE}] no HTTP platform: OctoWebhooksModule needs an app made by NestFactory.create() (Express or Fastify), not a standalone application context`,
    );
  }
  const platform = adapter.getType();
  const instance = adapter.getInstance() as {
    use?: (middleware: unknown) => unknown;
    register?: (plugin: unknown, options: unknown) => unknown;
  };
  if (platform === "express" && typeof instance.use === "function") {
    instance.use(expressMiddleware({ webhooks: webhooks as OctoWebhooks<never>, path }));
  } else if (platform === "fastify" && typeof instance.register === "function") {
    instance.register(fastifyPlugin, { webhooks: webhooks as OctoWebhooks<never>, path });
  } else {
    throw new Error(
      `[${PACKAGE}] the "${platform}" platform is not supported; use @nestjs/platform-express or @nestjs/platform-fastify`,
    );
  }
  return platform;
}
