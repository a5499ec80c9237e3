import { heldBookingHandler } from "@octo-webhooks/conformance";
import { Hono } from "hono";
import { expect, it } from "vitest";
import { octoWebhooks } from "../src/index.ts";

const delivery = {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ booking: { uuid: "b-1", status: "CONFIRMED" } }),
};

it("ack-first on Workers: handlers run through executionCtx.waitUntil, after the answer", async () => {
  const { done, release, onBookingUpdate } = heldBookingHandler();
  const kept: Promise<unknown>[] = [];
  const app = new Hono();
  app.post(
    "/webhooks/octo",
    octoWebhooks({
      ackFirst: true,
      onBookingUpdate,
    }),
  );
  const executionCtx = {
    waitUntil: (promise: Promise<unknown>) => void kept.push(promise),
    passThroughOnException() {},
    props: {},
  };
  const answer = await app.request("/webhooks/octo", delivery, {}, executionCtx);
  expect(answer.status).toBe(200);
  expect(kept).toHaveLength(1);
  expect(done).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, 20));
  release();
  await Promise.all(kept);
  expect(done).toEqual(["b-1"]);
});
