// Hono's presets (`hono/tiny` for size, `hono/quick`) route differently from the default one: the
// middleware must work under each, mounted on a route or with `path` under a base path.
import { Hono as DefaultHono } from "hono";
import { Hono as QuickHono } from "hono/quick";
import { Hono as TinyHono } from "hono/tiny";
import { describe, expect, it } from "vitest";
import { octoWebhooks } from "../src/index.ts";

const credentials = { username: "octo", password: "s3cret" };
const delivery = (password = credentials.password) => ({
  method: "POST",
  headers: {
    "content-type": "application/json",
    authorization: `Basic ${btoa(`${credentials.username}:${password}`)}`,
  },
  body: JSON.stringify({
    webhook: { event: "booking_update" },
    booking: { uuid: "b-1", status: "CONFIRMED" },
  }),
});

describe.each([
  ["hono/tiny", TinyHono],
  ["hono/quick", QuickHono],
  ["hono", DefaultHono],
])("%s", (_preset, Hono) => {
  it("app.post(path, octoWebhooks()): 200 with the handler run, 401 for a wrong password", async () => {
    const seen: string[] = [];
    const app = new Hono();
    app.post(
      "/webhooks/octo",
      octoWebhooks({
        auth: { basic: credentials },
        onBookingUpdate: ({ booking }) => void seen.push(booking.uuid),
      }),
    );
    const ok = await app.request("/webhooks/octo", delivery());
    expect([ok.status, await ok.text(), ok.headers.get("content-type")]).toEqual([
      200,
      '{"ok":true}',
      "application/json; charset=utf-8",
    ]);
    const refused = await app.request("/webhooks/octo", delivery("wrong"));
    expect(refused.status).toBe(401);
    expect(refused.headers.get("cache-control")).toBe("no-store");
    expect(seen).toEqual(["b-1"]);
  });

  it("app.use(octoWebhooks({ path })) under basePath: the supplier looked up by the path's id, 405 for GET, others passed on", async () => {
    const asked: string[] = [];
    const seen: (string | undefined)[] = [];
    const app = new Hono().basePath("/api");
    app.use(
      octoWebhooks({
        path: "/webhooks/octo/:supplier",
        // a lookup needs the supplier's id from the path: under a base path too
        suppliers: (id) => {
          asked.push(id);
          return id === "acme" ? { auth: { basic: credentials } } : undefined;
        },
        onBookingUpdate: (_payload, context) => void seen.push(context.supplier),
      }),
    );
    app.get("/health", (c) => c.text("up"));
    expect((await app.request("/api/webhooks/octo/acme", delivery())).status).toBe(200);
    expect((await app.request("/api/webhooks/octo/other", delivery())).status).toBe(401);
    expect([asked, seen]).toEqual([["acme", "other"], ["acme"]]);
    expect((await app.request("/api/webhooks/octo/acme")).status).toBe(405);
    expect(await (await app.request("/api/health")).text()).toBe("up");
  });

  it("headers a middleware set with c.header() before ours stay on our answer", async () => {
    const app = new Hono();
    app.use(async (c, next) => {
      c.header("x-request-id", "r-1");
      await next();
    });
    app.post("/webhooks/octo", octoWebhooks({ auth: { basic: credentials }, onBookingUpdate: () => {} }));
    const ok = await app.request("/webhooks/octo", delivery());
    expect([ok.status, ok.headers.get("x-request-id"), ok.headers.get("content-type")]).toEqual([
      200,
      "r-1",
      "application/json; charset=utf-8",
    ]);
  });
});
