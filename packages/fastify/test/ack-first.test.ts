import Fastify from "fastify";
import { expect, it } from "vitest";
import { heldBookingHandler } from "../../../conformance/index.ts";
import { octoWebhooks } from "../src/index.ts";

it("ack-first: answers before the handler finishes, and app.close() waits for it", async () => {
  const { done, release, onBookingUpdate } = heldBookingHandler();
  const app = Fastify();
  await app.register(octoWebhooks, {
    path: "/webhooks/octo",
    ackFirst: true,
    onBookingUpdate,
  });
  const answer = await app.inject({
    method: "POST",
    url: "/webhooks/octo",
    headers: { "content-type": "application/json" },
    payload: JSON.stringify({ booking: { uuid: "b-1", status: "CONFIRMED" } }),
  });
  expect(answer.statusCode).toBe(200);
  expect(done).toEqual([]);
  const closed = app.close();
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(done).toEqual([]);
  release();
  await closed;
  expect(done).toEqual(["b-1"]);
});
