// The whole loop on one machine: the client registers a webhook on the mock supplier, which delivers a
// simulated booking lifecycle to a receiver built on core, over real HTTP.

import { createOctoWebhooks, type OctoWebhooksError } from "@octo-webhooks/core";
import { strictValidation } from "@octo-webhooks/core/schemas";
import { startReceiver } from "@octo-webhooks/testing";
import { describe, expect, it } from "vitest";
import { webhookUrl } from "../src/index.ts";
import { client, onCleanup, supplier } from "./helpers.ts";

async function receiver(failFirst = 0) {
  const handled: string[] = [];
  const errors: OctoWebhooksError[] = [];
  let calls = 0;
  const webhooks = createOctoWebhooks({
    auth: { basic: { username: "octo", password: "p@ss w/rd:é" } },
    validation: strictValidation,
    logger: {},
    onBookingUpdate: ({ booking, diff }) => {
      calls += 1;
      if (calls <= failFirst) throw new Error("database unavailable");
      const change = diff?.find((d) => d.path === "/status");
      handled.push(`${booking.uuid} ${booking.status}${change ? ` (was ${change.was})` : ""}`);
    },
    onError: (error) => void errors.push(error),
  });
  const started = await startReceiver(webhooks);
  onCleanup(started.close);
  return { ...started, handled, errors };
}

describe("client + mock supplier + core receiver", () => {
  it("delivers a booking lifecycle with the URL's credentials, every event handled once, in order", async () => {
    const s = await supplier();
    const r = await receiver();
    const octo = client(s.url);
    const url = webhookUrl(r.url, { username: "octo", password: "p@ss w/rd:é" });
    await octo.webhooks.sync([{ event: "booking_update", url }]);

    const deliveries = await s.simulate.bookingLifecycle();
    expect(deliveries.map((d) => d.attempts.map((a) => a.status))).toEqual([[200], [200], [200], [200]]);
    const uuid = (deliveries[0]?.body.booking as { uuid: string } | undefined)?.uuid;
    expect(r.handled).toEqual([
      `${uuid} ON_HOLD`,
      `${uuid} CONFIRMED (was ON_HOLD)`,
      `${uuid} CONFIRMED`,
      `${uuid} CANCELLED (was CONFIRMED)`,
    ]);
    expect(r.errors).toEqual([]);
  });

  it("a receiver that answers 500 once gets the delivery again", async () => {
    const s = await supplier({ retrySchedule: [10, 10] });
    const r = await receiver(1);
    await client(s.url).webhooks.create({
      event: "booking_update",
      url: webhookUrl(r.url, { username: "octo", password: "p@ss w/rd:é" }),
    });
    const [delivery] = await s.simulate.bookingUpdate({ status: "CONFIRMED" });
    expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 200]);
    expect(delivery?.attempts[0]?.answer).not.toContain("database unavailable");
    expect(r.handled).toHaveLength(1);
    expect(r.errors.map((e) => e.code)).toEqual(["HANDLER_FAILED"]);
  });

  it("a webhook registered with wrong credentials is refused 401 and retried until the schedule ends", async () => {
    const s = await supplier({ retrySchedule: [5] });
    const r = await receiver();
    await client(s.url).webhooks.create({
      event: "booking_update",
      url: webhookUrl(r.url, { username: "octo", password: "guess" }),
    });
    const [delivery] = await s.simulate.bookingUpdate();
    expect(delivery?.attempts.map((a) => a.status)).toEqual([401, 401]);
    expect(delivery?.state).toBe("failed");
    expect(r.handled).toEqual([]);
    expect(r.errors.map((e) => e.code)).toEqual(["UNAUTHORIZED", "UNAUTHORIZED"]);
  });
});
