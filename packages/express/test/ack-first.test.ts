import express from "express";
import { expect, it } from "vitest";
import { heldBookingHandler, PATH, serve } from "../../../conformance/index.ts";
import { octoWebhooks } from "../src/index.ts";

it("ack-first: answers before the handler finishes; the middleware's receiver drains it on shutdown", async () => {
  const { done, release, onBookingUpdate } = heldBookingHandler();
  const middleware = octoWebhooks({
    path: PATH,
    ackFirst: true,
    onBookingUpdate,
  });
  const app = express();
  app.use(middleware);
  const target = await serve(app);
  const answer = await target.fetch(PATH, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ booking: { uuid: "b-1", status: "CONFIRMED" } }),
  });
  expect(answer.status).toBe(200);
  expect(done).toEqual([]);
  const drained = middleware.webhooks.drain();
  await new Promise((resolve) => setTimeout(resolve, 20));
  release();
  await drained;
  expect(done).toEqual(["b-1"]);
  await target.close();
});
