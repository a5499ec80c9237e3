import { describe, expect, it } from "vitest";
import { adapterWebhooks } from "../src/adapter.ts";
import { createOctoWebhooks, OctoWebhooksError } from "../src/index.ts";
import { bookingBody, post } from "./helpers.ts";

describe("adapterWebhooks (what every framework adapter builds its receiver with)", () => {
  it("creates a receiver from core's options and returns the path apart", async () => {
    const seen: string[] = [];
    const { webhooks, path } = adapterWebhooks(
      { path: "/hooks", maxBodyBytes: 10, onBookingUpdate: ({ booking }) => void seen.push(booking.uuid) },
      "@octo-webhooks/test",
    );
    expect(path).toBe("/hooks");
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(413);
    expect(adapterWebhooks(undefined, "x").path).toBeUndefined();
  });

  it("registers the handlers given beside an existing receiver on it", async () => {
    const seen: string[] = [];
    const existing = createOctoWebhooks({ onBookingUpdate: () => void seen.push("own") });
    const { webhooks } = adapterWebhooks(
      { webhooks: existing, onBookingUpdate: [() => void seen.push("a"), () => void seen.push("b")] },
      "x",
    );
    expect(webhooks).toBe(existing);
    expect((await existing.handle(post(bookingBody()))).status).toBe(200);
    expect(seen.sort()).toEqual(["a", "b", "own"]);
  });

  it("registers lifecycle handlers and delivery hooks beside an existing receiver too", async () => {
    const seen: string[] = [];
    const existing = createOctoWebhooks({ staleGuard: true });
    adapterWebhooks(
      {
        webhooks: existing,
        onBookingConfirmed: () => void seen.push("confirmed"),
        onStale: () => void seen.push("stale"),
      },
      "x",
    );
    const newer = bookingBody({ utcUpdatedAt: "2026-11-20T10:00:00Z" });
    const older = bookingBody({ utcUpdatedAt: "2026-11-20T09:00:00Z" });
    expect((await existing.handle(post(newer))).status).toBe(200);
    expect((await existing.handle(post(older))).status).toBe(200);
    expect(seen).toEqual(["confirmed", "stale"]);
  });

  it.each([
    [{ path: "webhooks" }, /^\[@octo-webhooks\/express\] `path` must start with "\/"/],
    [
      { webhooks: {} },
      /^\[@octo-webhooks\/express\] `webhooks` must be a receiver made by createOctoWebhooks\(\)/,
    ],
    [
      { webhooks: createOctoWebhooks(), auth: { basic: { username: "u", password: "p" } }, realm: "r" },
      /^\[@octo-webhooks\/express\] `auth`, `realm` cannot be applied to an existing receiver; pass them to createOctoWebhooks\(\) instead$/,
    ],
  ])("refuses %o with a CONFIG_INVALID error naming the adapter", (options, message) => {
    const attempt = () => adapterWebhooks(options as never, "@octo-webhooks/express");
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(OctoWebhooksError);
  });
});
