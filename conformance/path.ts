// What `path` means under a mount prefix, in every adapter that can be mounted under one: the path as the
// app routes it, relative to the mount (Express `app.use(prefix)`, Fastify's register `prefix`, Hono's
// `basePath`). The root README's table says the same; each adapter's test calls `testPathUnderPrefix`.
import { octoWebhooks as expressWebhooks } from "@octo-webhooks/express";
import { octoWebhooks as fastifyWebhooks } from "@octo-webhooks/fastify";
import { octoWebhooks as honoWebhooks } from "@octo-webhooks/hono";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { PATH, serve, type Target } from "./app.ts";

const PREFIX = "/api";

/** Starts an app with the receiver mounted under `prefix`, answering `path`; `delivered` counts handler runs. */
type MountUnderPrefix = (
  prefix: string,
  options: { path: string; onBookingUpdate: () => void },
) => Promise<Target>;

export const PREFIX_MOUNTS: Record<"express" | "fastify" | "hono", MountUnderPrefix> = {
  express: (prefix, options) => {
    const app = express();
    app.use(prefix, expressWebhooks({ ...options, auth: "none", logger: {} }));
    return serve(app);
  },
  fastify: async (prefix, options) => {
    const app = Fastify();
    await app.register(fastifyWebhooks, { ...options, auth: "none", logger: {}, prefix });
    const origin = await app.listen({ port: 0, host: "127.0.0.1" });
    return { origin, fetch: (path, init) => fetch(new URL(path, origin), init), close: () => app.close() };
  },
  hono: async (prefix, options) => {
    const app = new Hono().basePath(prefix);
    app.use(honoWebhooks({ ...options, auth: "none", logger: {} }));
    return { fetch: async (path, init) => app.request(path, init), close: async () => undefined };
  },
};

const delivery = (): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    webhook: { event: "booking_update" },
    booking: { uuid: "b-1", status: "CONFIRMED" },
  }),
});

/** The conformance cases of `path` under a mount prefix, for one adapter. */
export function testPathUnderPrefix(name: keyof typeof PREFIX_MOUNTS): void {
  describe(`${name}: path under a mount prefix (${PREFIX})`, () => {
    let target: Target | undefined;
    afterEach(async () => {
      await target?.close();
      target = undefined;
    });

    it(`answers ${PREFIX}${PATH}: the path as the app routes it, relative to the mount`, async () => {
      let delivered = 0;
      target = await PREFIX_MOUNTS[name](PREFIX, { path: PATH, onBookingUpdate: () => void delivered++ });
      expect((await target.fetch(`${PREFIX}${PATH}`, delivery())).status).toBe(200);
      expect(delivered).toBe(1);
      expect((await target.fetch(PATH, delivery())).status).toBe(404);
      expect((await target.fetch(`${PREFIX}${PREFIX}${PATH}`, delivery())).status).toBe(404);
      expect(delivered).toBe(1);
    });
  });
}
