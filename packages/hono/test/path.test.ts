// `path` as the app routes it: relative to basePath() and app.route(), the full path also matching.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { testPathUnderPrefix } from "../../../conformance/path.ts";
import { octoWebhooks } from "../src/index.ts";

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

describe("path under a base path", () => {
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

testPathUnderPrefix("hono");
