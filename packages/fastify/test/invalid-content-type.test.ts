// Regression (found by the fuzz tests): Fastify answers a Content-Type header it cannot parse
// ("application/json, text/plain", ";;;", "/") with its own 415 before any content-type parser runs,
// so the plugin's answer (401 first for a stranger, our JSON error, onError) was skipped.
import type { OctoWebhooksError } from "@octo-webhooks/core";
import Fastify from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { octoWebhooks } from "../src/index.ts";

const authorization = `Basic ${btoa("octo:content-type-pass")}`;
const refused: OctoWebhooksError[] = [];
const app = Fastify();
let origin = "";
beforeAll(async () => {
  await app.register(octoWebhooks, {
    path: "/webhooks/octo",
    auth: { basic: { username: "octo", password: "content-type-pass" } },
    onError: (error) => void refused.push(error),
  });
  app.post("/other", async () => "other");
  await app.listen({ port: 0, host: "127.0.0.1" });
  origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());

const send = (contentType: string, headers: Record<string, string> = {}, path = "/webhooks/octo") =>
  fetch(new URL(path, origin), {
    method: "POST",
    headers: { "content-type": contentType, ...headers },
    body: JSON.stringify({ booking: { uuid: "b-1" } }),
  });

it.each(["application/json, text/plain", ";;;", "/"])(
  "Content-Type %j gets core's answers: 401 to a stranger, then our 415",
  async (contentType) => {
    refused.length = 0;
    const stranger = await send(contentType);
    expect(stranger.status).toBe(401);
    expect(stranger.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    const delivery = await send(contentType, { authorization });
    expect(delivery.status).toBe(415);
    expect((await delivery.json()).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(refused.map((e) => e.code)).toEqual(["UNAUTHORIZED", "UNSUPPORTED_MEDIA_TYPE"]);
  },
);

it("the app's own routes keep Fastify's answer to such a Content-Type", async () => {
  const response = await send(";;;", {}, "/other");
  expect(response.status).toBe(415);
  expect((await response.json()).code).toBe("FST_ERR_CTP_INVALID_MEDIA_TYPE");
});
