import { PATH, testFramework } from "@octo-webhooks/conformance";
import { honoFrameworks } from "@octo-webhooks/conformance/frameworks/hono";
import { createOctoWebhooks, type OctoRequest } from "@octo-webhooks/core";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { octoWebhooks } from "../src/index.ts";

for (const framework of honoFrameworks) testFramework(framework);

// Hono's own ways to a prefix beyond the suite's basePath case: `app.route()`, and `path` written out in full.
describe("hono: path under a base path", () => {
  const delivery = () => ({
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      webhook: { event: "booking_update" },
      booking: { uuid: "b-1", status: "CONFIRMED" },
    }),
  });
  const receiver = (seen: string[]) =>
    octoWebhooks({
      path: "/webhooks/octo",
      auth: "none",
      onBookingUpdate: ({ booking }) => void seen.push(booking.uuid),
    });

  it("basePath('/api'): /api/webhooks/octo is ours, /webhooks/octo is the app's", async () => {
    const seen: string[] = [];
    const app = new Hono().basePath("/api");
    app.use(receiver(seen));
    app.post("/other", (c) => c.text("other"));
    expect((await app.request("/api/webhooks/octo", delivery())).status).toBe(200);
    expect(seen).toEqual(["b-1"]);
    expect((await app.request("/api/other", delivery())).status).toBe(200);
    expect(await (await app.request("/api/other", delivery())).text()).toBe("other");
    expect((await app.request("/webhooks/octo", delivery())).status).toBe(404);
    expect(seen).toEqual(["b-1"]);
  });

  it("app.route('/api', sub): relative to the sub-app's mount", async () => {
    const seen: string[] = [];
    const sub = new Hono();
    sub.use(receiver(seen));
    const app = new Hono().route("/api", sub);
    expect((await app.request("/api/webhooks/octo/", delivery())).status).toBe(200);
    expect(seen).toEqual(["b-1"]);
  });

  it("the full path still matches (an app that wrote it out)", async () => {
    const seen: string[] = [];
    const app = new Hono().basePath("/api");
    app.use(
      octoWebhooks({ path: "/api/webhooks/octo", auth: "none", onBookingUpdate: () => void seen.push("x") }),
    );
    expect((await app.request("/api/webhooks/octo", delivery())).status).toBe(200);
    expect(seen).toEqual(["x"]);
  });

  it("without a base path, only the path itself", async () => {
    const seen: string[] = [];
    const app = new Hono();
    app.use(receiver(seen));
    expect((await app.request("/api/webhooks/octo", delivery())).status).toBe(404);
    expect((await app.request("/webhooks/octo", delivery())).status).toBe(200);
    expect(seen).toEqual(["b-1"]);
  });
});

it("hono: c.executionCtx.waitUntil reaches handle() where there is one (Workers), and nothing breaks without (Node)", async () => {
  const receiver = createOctoWebhooks();
  const given: OctoRequest["waitUntil"][] = [];
  const webhooks = {
    ...receiver,
    handle: (request: OctoRequest, c?: unknown) => {
      given.push(request.waitUntil);
      return receiver.handle(request, c);
    },
  };
  const app = new Hono();
  app.post(PATH, octoWebhooks({ webhooks }));
  const init = {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ booking: { uuid: "b-1" } }),
  };
  const kept: Promise<unknown>[] = [];
  const executionCtx = {
    waitUntil: (p: Promise<unknown>) => void kept.push(p),
    passThroughOnException: () => {},
    props: {},
  };
  expect((await app.request(PATH, init, {}, executionCtx)).status).toBe(200);
  given[0]?.(Promise.resolve());
  expect(kept).toHaveLength(1);
  expect((await app.request(PATH, init)).status).toBe(200);
  expect(given).toHaveLength(2);
  expect(given[1]).toBeUndefined();
});
