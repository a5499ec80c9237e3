import { createOctoWebhooks } from "@octo-webhooks/core";
import { closeAfterEach } from "@octo-webhooks/test-helpers/vitest";
import { describe, expect, it } from "vitest";
import { availabilityUpdate, bookingUpdate, sendWebhook, startReceiver } from "../src/index.ts";
import { closedPort, recordingServer } from "./helpers.ts";

const onCleanup = closeAfterEach();

async function receiver(options: Parameters<typeof createOctoWebhooks>[0] = {}) {
  const seen: string[] = [];
  const webhooks = createOctoWebhooks({
    logger: {},
    onBookingUpdate: ({ booking }) => void seen.push(`booking ${booking.status}`),
    onAvailabilityUpdate: ({ availability }) => void seen.push(`availability ${availability.status}`),
    ...options,
  });
  const started = await startReceiver(webhooks);
  onCleanup(started.close);
  return { ...started, seen };
}

describe("sendWebhook + startReceiver", () => {
  it("delivers to a core receiver with Basic credentials given as options or in the URL", async () => {
    const password = "p@ss:w/rd?#% é€";
    const r = await receiver({ auth: { basic: { username: "octo", password } } });
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/octo$/);

    const answer = await sendWebhook(r.url, bookingUpdate({ status: "CANCELLED" }), {
      username: "octo",
      password,
    });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ ok: true });

    const inUrl = r.url.replace("http://", `http://octo:${encodeURIComponent(password)}@`);
    expect((await sendWebhook(inUrl, availabilityUpdate())).status).toBe(200);
    expect(r.seen).toEqual(["booking CANCELLED", "availability AVAILABLE"]);

    const refused = await sendWebhook(r.url, bookingUpdate(), { username: "octo", password: "wrong" });
    expect(refused.status).toBe(401);
    expect(refused.headers["www-authenticate"]).toContain("Basic");
    expect(r.seen).toHaveLength(2);
  });

  it("sends custom headers and raw bodies as given", async () => {
    const r = await receiver({ auth: { header: { name: "x-api-key", value: "k-1" } } });
    expect((await sendWebhook(r.url, bookingUpdate(), { headers: { "X-Api-Key": "k-1" } })).status).toBe(200);
    const malformed = await sendWebhook(r.url, "{not json", { headers: { "x-api-key": "k-1" } });
    expect(malformed.status).toBe(400);
    expect(malformed.json<{ error: { code: string } }>().error.code).toBe("MALFORMED_JSON");
    const typed = await sendWebhook(r.url, bookingUpdate(), {
      headers: { "x-api-key": "k-1", "content-type": "text/plain" },
    });
    expect(typed.status).toBe(415);
  });

  it("sends what a supplier sends and nothing surprising", async () => {
    const target = await recordingServer();
    onCleanup(target.close);
    await sendWebhook(`${target.url}/in`, { a: 1 }, { username: "u", password: "p" });
    expect(target.requests[0]).toMatchObject({
      method: "POST",
      url: "/in",
      body: '{"a":1}',
      headers: expect.objectContaining({
        authorization: `Basic ${Buffer.from("u:p").toString("base64")}`,
        "content-type": "application/json",
        "content-length": "7",
        "user-agent": "octo-webhooks-testing",
      }),
    });
  });

  it("answers 404 off the path and lets core answer the rest (405 for GET)", async () => {
    const r = await receiver();
    const other = await fetch(r.url.replace("/webhooks/octo", "/elsewhere"), { method: "POST", body: "{}" });
    expect(other.status).toBe(404);
    const get = await fetch(r.url);
    expect([get.status, get.headers.get("allow")]).toEqual([405, "POST"]);
    const trailing = await fetch(`${r.url}/?x=1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(bookingUpdate()),
    });
    expect(trailing.status).toBe(200);
    expect(r.seen).toEqual(["booking CONFIRMED"]);
  });

  it("never leaves a request hanging, even when `handle` itself throws", async () => {
    const broken = await startReceiver({
      handle: async () => {
        throw new Error("broken");
      },
    });
    onCleanup(broken.close);
    expect((await sendWebhook(broken.url, bookingUpdate())).status).toBe(500);
  });

  it("rejects on network errors and timeouts, and on URLs that cannot receive webhooks", async () => {
    const port = await closedPort();
    await expect(sendWebhook(`http://127.0.0.1:${port}/x`, {})).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
    await expect(sendWebhook("ftp://host/x", {})).rejects.toThrow(/http\(s\)/);
    await expect(sendWebhook("not a url", {})).rejects.toThrow();
  });
});
