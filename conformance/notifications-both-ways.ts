// One handler set, two ways in: a booking's life delivered by the mock supplier as webhooks, then as thin
// notifications hydrated with the client's `hydrator()`; the handlers must see the same calls. Runs on
// every adapter (a target without a real server is reached through a local bridge).
import { createServer } from "node:http";
import { createOctoClient, webhookUrl } from "@octo-webhooks/client";
import type { AdapterOptions } from "@octo-webhooks/core";
import { closeServer, listen } from "@octo-webhooks/test-helpers";
import { startMockSupplier } from "@octo-webhooks/testing";
import { describe, expect, it } from "vitest";
import { type FrameworkUnderTest, PATH, type Target } from "./app.ts";

const USER = { username: "octo", password: "both-ways-pass-9d2e" };

/** A URL the mock supplier can POST to: the target's own server, or a bridge to its `fetch`. */
async function reachable(target: Target): Promise<{ url: string; close(): Promise<void> }> {
  if (target.origin !== undefined) return { url: `${target.origin}${PATH}`, close: async () => {} };
  const bridge = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const headers = Object.entries(req.headers).flatMap(([k, v]) =>
        typeof v === "string" ? [[k, v]] : [],
      );
      const answer = await target.fetch(req.url ?? PATH, {
        method: req.method ?? "POST",
        headers: Object.fromEntries(headers),
        body: Buffer.concat(chunks),
      });
      res
        .writeHead(answer.status, Object.fromEntries(answer.headers))
        .end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  const port = await listen(bridge);
  return { url: `http://127.0.0.1:${port}${PATH}`, close: () => closeServer(bridge) };
}

/** What the shared handlers saw, in order. */
function handlers() {
  const calls: string[] = [];
  const options: AdapterOptions<unknown> = {
    onBookingUpdate: ({ booking }) =>
      void calls.push(
        `update ${booking.uuid} ${booking.status} ${booking.unitItems?.length} ${booking.notes ?? "-"}`,
      ),
    onBookingCancelled: ({ booking }) => void calls.push(`cancelled ${booking.uuid}`),
  };
  return { calls, options };
}

/** A booking's life through `framework`, by webhooks or by notifications; the handlers' calls. */
async function lifeThrough(
  framework: FrameworkUnderTest,
  way: "webhooks" | "notifications",
): Promise<string[]> {
  const supplier = await startMockSupplier({ seed: "both-ways", retrySchedule: [5, 10, 20] });
  const client = createOctoClient({ baseUrl: supplier.url, apiKey: supplier.apiKey, retries: 0 });
  const { calls, options } = handlers();
  const target = await framework.start({
    options: {
      ...options,
      path: PATH,
      auth: { basic: USER },
      logger: {},
      ...(way === "notifications" ? { hydrate: client.hydrator() } : {}),
    },
    parser: "none",
    mount: "app",
  });
  const bridge = await reachable(target);
  try {
    const url = webhookUrl(bridge.url, USER);
    if (way === "webhooks") await client.webhooks.create({ event: "booking_update", url });
    else await client.notifications.create({ url, notificationTypes: ["BOOKING_UPDATE"] });
    const deliveries = await supplier.simulate.bookingLifecycle();
    expect(deliveries.map((d) => [d.state, d.attempts.at(-1)?.status])).toEqual(
      Array(4).fill(["delivered", 200]),
    );
    expect(deliveries.every((d) => (way === "notifications") === (d.body.type === "BOOKING_UPDATE"))).toBe(
      true,
    );
    return calls;
  } finally {
    await bridge.close();
    await target.close();
    await supplier.close();
  }
}

/**
 * The same `onBookingUpdate` and `booking.cancelled` handlers receive a booking's life from the mock
 * supplier as webhooks and as notifications hydrated with `client.hydrator()`, with the same calls.
 *
 * @example
 * ```ts
 * testBothWays(expressFrameworks[0]);
 * ```
 */
export function testBothWays(framework: FrameworkUnderTest): void {
  describe(`${framework.name}: one handler set, webhooks and hydrated notifications`, () => {
    it("receives a booking's life both ways with the same calls", async () => {
      const byWebhooks = await lifeThrough(framework, "webhooks");
      const byNotifications = await lifeThrough(framework, "notifications");
      expect(byWebhooks).toHaveLength(5);
      expect(
        byWebhooks.map((c) =>
          c
            .split(" ")
            .slice(0, 3)
            .join(" ")
            .replace(/ [0-9a-f-]{36}/, ""),
        ),
      ).toEqual(["update ON_HOLD", "update CONFIRMED", "update CONFIRMED", "update CANCELLED", "cancelled"]);
      expect(byNotifications).toEqual(byWebhooks);
    });
  });
}
