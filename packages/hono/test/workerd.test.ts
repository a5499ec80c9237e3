import { build } from "esbuild";
import { Miniflare, type RequestInit } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const auth = (user: string, pass: string) => `Basic ${btoa(`${user}:${pass}`)}`;
const delivery = (uuid: string, headers: Record<string, string>, body?: string): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body:
    body ?? JSON.stringify({ webhook: { event: "booking_update" }, booking: { uuid, status: "CONFIRMED" } }),
});

describe("the Hono adapter inside workerd (miniflare), credentials from env bindings", () => {
  let mf: Miniflare;
  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [new URL("./workerd/worker.ts", import.meta.url).pathname],
      bundle: true,
      write: false,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      conditions: ["@octo-webhooks/source", "workerd", "worker", "browser", "import"],
      mainFields: ["module", "main"],
      logLevel: "silent",
    });
    mf = new Miniflare({
      modules: true,
      script: bundle.outputFiles[0]!.text,
      compatibilityDate: "2026-04-01",
      bindings: { OCTO_USER: "octo", OCTO_PASS: "pass-from-binding-5e1d" },
    });
    await mf.ready;
  });
  afterAll(() => mf?.dispose());

  it("200 with the credentials of the bindings, and the handler ran", async () => {
    const response = await mf.dispatchFetch(
      "http://worker.test/webhooks/octo",
      delivery("b-workerd", { authorization: auth("octo", "pass-from-binding-5e1d") }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(await (await mf.dispatchFetch("http://worker.test/handled")).json()).toEqual(["b-workerd"]);
  });

  it("401 with WWW-Authenticate for other credentials, which are not echoed", async () => {
    const response = await mf.dispatchFetch(
      "http://worker.test/webhooks/octo",
      delivery("b-refused", { authorization: auth("octo", "wrong-pass-77") }),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    expect(await response.text()).not.toMatch(/wrong-pass-77|pass-from-binding/);
  });

  it("OCTO notifications hydrated inside workerd: booking.cancelled once, slots fan out, 503 + Retry-After, 404 path", async () => {
    const notify = (body: unknown) =>
      mf.dispatchFetch("http://worker.test/notifications/octo", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: auth("octo", "pass-from-binding-5e1d"),
        },
        body: JSON.stringify(body),
      });
    for (let i = 0; i < 2; i++) {
      expect((await notify({ type: "BOOKING_UPDATE", data: { uuid: "b-cancelled" } })).status).toBe(200);
    }
    const slots = await notify({
      type: "availability_update",
      data: { product_id: "p-1", localDateStart: "2026-04-01", localDateEnd: "2026-04-01" },
    });
    expect(slots.status).toBe(200);
    const failing = await notify({ type: "BOOKING_UPDATE", data: { uuid: "b-unreachable" } });
    expect(failing.status).toBe(503);
    expect(failing.headers.get("retry-after")).toBe("5");
    expect(await failing.text()).not.toContain("502");
    const missing = await notify({ type: "BOOKING_UPDATE", data: { uuid: "b-unknown" } });
    expect(await missing.json()).toEqual({ ok: true, notFound: true });
    expect(await (await mf.dispatchFetch("http://worker.test/notified")).json()).toEqual([
      "notification:BOOKING_UPDATE",
      "booking_update:b-cancelled:notification",
      "booking.cancelled:b-cancelled",
      "notification:BOOKING_UPDATE",
      "notification:AVAILABILITY_UPDATE",
      "availability_update:2026-04-01T09:00:00+02:00",
      "availability_update:2026-04-01T11:00:00+02:00",
      "error:HYDRATION_FAILED",
      "notification:BOOKING_UPDATE",
      "error:RESOURCE_NOT_FOUND",
    ]);
  });

  it("allowFrom reads Cloudflare's cf-connecting-ip: loopback allowed (200), 203.0.113.0/24 refused (403) before verify", async () => {
    const allowed = await mf.dispatchFetch("http://worker.test/loopback/octo", delivery("b-loopback", {}));
    expect(allowed.status).toBe(200);
    const refused = await mf.dispatchFetch("http://worker.test/elsewhere/octo", delivery("b-elsewhere", {}));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
    expect(await (await mf.dispatchFetch("http://worker.test/addressed")).json()).toEqual({
      verified: ["127.0.0.1"],
      handled: ["b-loopback"],
    });
  });

  // (An unfinished streamed upload is covered by the conformance suite: miniflare's local HTTP loop resets
  // any upload the worker answers early, whatever the worker does, so it cannot be observed here.)
  it("413 for a body over maxBodyBytes; no handler runs", async () => {
    const response = await mf.dispatchFetch(
      "http://worker.test/webhooks/octo",
      delivery("b-large", { authorization: auth("octo", "pass-from-binding-5e1d") }, " ".repeat(100 * 1024)),
    );
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await (await mf.dispatchFetch("http://worker.test/handled")).json()).toEqual(["b-workerd"]);
  });
});
