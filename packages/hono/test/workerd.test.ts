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
