// Regression (found by the fuzz tests): on @hono/node-server, a delivery refused before its body was
// read (401, 405, 415) used to make the adapter create the body stream anyway; node-server cannot drain
// a body whose stream exists unread, and closed the connection 500 ms later, under whatever request
// the client had sent next on it ("other side closed" for a valid delivery).
import { getRequestListener } from "@hono/node-server";
import { PATH, serve, type Target } from "@octo-webhooks/conformance";
import { Hono } from "hono";
import { afterAll, beforeAll, expect, it } from "vitest";
import { octoWebhooks } from "../src/index.ts";

const authorization = `Basic ${btoa("octo:unread-body-pass")}`;
let target: Target;
beforeAll(async () => {
  const app = new Hono();
  app.post(PATH, octoWebhooks({ auth: { basic: { username: "octo", password: "unread-body-pass" } } }));
  app.put(PATH, octoWebhooks({}));
  target = await serve(getRequestListener(app.fetch));
});
afterAll(() => target.close());

const delivery = JSON.stringify({ booking: { uuid: "b-1", status: "CONFIRMED" } });

it.each([
  ["401 (no credentials)", "POST", { "content-type": "application/json" }],
  ["405 (PUT)", "PUT", { "content-type": "application/json" }],
  ["415 (text/plain)", "POST", { "content-type": "text/plain", authorization }],
])(
  "a large body refused with %s unread does not close the connection under the next deliveries",
  async (_name, method, headers) => {
    const refused = await target.fetch(PATH, { method, headers, body: " ".repeat(800_000) });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    await refused.arrayBuffer();
    // node-server gives up draining after 500 ms: deliveries on the same connection for longer than that
    const until = Date.now() + 800;
    let answered = 0;
    while (Date.now() < until) {
      const response = await target.fetch(PATH, {
        method: "POST",
        headers: { "content-type": "application/json", authorization },
        body: delivery,
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      answered++;
    }
    expect(answered).toBeGreaterThan(1);
  },
);
