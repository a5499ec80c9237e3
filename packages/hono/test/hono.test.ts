import { PATH, testFramework } from "@octo-webhooks/conformance";
import { honoFrameworks } from "@octo-webhooks/conformance/frameworks/hono";
import { createOctoWebhooks, type OctoRequest } from "@octo-webhooks/core";
import { Hono } from "hono";
import { expect, it } from "vitest";
import { octoWebhooks } from "../src/index.ts";

for (const framework of honoFrameworks) testFramework(framework);

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
