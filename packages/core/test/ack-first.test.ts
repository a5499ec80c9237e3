import { serve as serveListener } from "@octo-webhooks/test-helpers";
import { closeAfterEach } from "@octo-webhooks/test-helpers/vitest";
import { describe, expect, it, vi } from "vitest";
import { createOctoWebhooks, NonRetryableError, OctoHandlerError, type OctoWebhooks } from "../src/index.ts";
import { bookingBody, capturingLogger, post } from "./helpers.ts";

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

const onCleanup = closeAfterEach();

/** A real node:http server that hands every request to `handle()`. */
async function serve(webhooks: OctoWebhooks): Promise<string> {
  const server = await serveListener(async (req, res) => {
    const answer = await webhooks.handle({ method: req.method ?? "", headers: req.headers, body: req });
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  onCleanup(server.close);
  return `${server.origin}/`;
}

describe("ackFirst", () => {
  it("answers 200 over real HTTP before the handler finishes; drain() waits for it", async () => {
    const release = gate();
    const done: string[] = [];
    const webhooks = createOctoWebhooks({
      ackFirst: true,
      onBookingUpdate: async ({ booking }) => {
        await release.promise;
        done.push(booking.uuid);
      },
    });
    const url = await serve(webhooks);
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(bookingBody()),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(done).toEqual([]);
    let drained = false;
    const draining = webhooks.drain().then(() => (drained = true));
    await tick();
    expect(drained).toBe(false);
    release.open();
    await draining;
    expect(done).toEqual(["b-1"]);
  });

  it("runs not even a synchronous handler before the answer is given", async () => {
    let ran = false;
    const webhooks = createOctoWebhooks({ ackFirst: true, onBookingUpdate: () => void (ran = true) });
    const kept: Array<Promise<unknown>> = [];
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(200);
    expect(
      (await webhooks.handle({ ...post(bookingBody({ uuid: "b-2" })), waitUntil: (p) => void kept.push(p) }))
        .status,
    ).toBe(200);
    expect(ran).toBe(false);
    await webhooks.drain();
    expect(ran).toBe(true);
  });

  it("still refuses what validation refuses, before answering", async () => {
    const webhooks = createOctoWebhooks({ ackFirst: true, onBookingUpdate: () => {} });
    expect((await webhooks.handle(post('{"booking":{}}'))).status).toBe(400);
  });

  it("runs at most `concurrency` deliveries at once", async () => {
    const release = gate();
    let running = 0;
    let most = 0;
    const webhooks = createOctoWebhooks({
      ackFirst: { concurrency: 2 },
      onBookingUpdate: async () => {
        running++;
        most = Math.max(most, running);
        await release.promise;
        running--;
      },
    });
    for (let i = 0; i < 6; i++) {
      expect((await webhooks.handle(post(bookingBody({ uuid: `b-${i}` })))).status).toBe(200);
    }
    await vi.waitFor(() => expect(running).toBe(2));
    await tick();
    expect(running).toBe(2);
    release.open();
    await webhooks.drain();
    expect(most).toBe(2);
    expect(running).toBe(0);
  });

  it("runs a long backlog in arrival order, every delivery once", async () => {
    const ran: number[] = [];
    const webhooks = createOctoWebhooks({
      ackFirst: { concurrency: 3, maxQueued: 5000 },
      onBookingUpdate: async ({ booking }) => {
        await Promise.resolve();
        ran.push(Number(booking.uuid));
      },
    });
    for (let i = 0; i < 3000; i++) await webhooks.handle(post(bookingBody({ uuid: String(i) })));
    await webhooks.drain();
    expect(ran).toHaveLength(3000);
    expect(new Set(ran).size).toBe(3000);
    // started in arrival order; with 3 at once they may finish up to 2 places apart
    expect(ran.filter((n, i) => Math.abs(n - i) > 2)).toEqual([]);
  });

  it("answers 503 + Retry-After once `maxQueued` deliveries wait, and releases the claim for the retry", async () => {
    const release = gate();
    const ran: string[] = [];
    const webhooks = createOctoWebhooks({
      ackFirst: { concurrency: 1, maxQueued: 1 },
      dedupe: true,
      logger: {},
      onBookingUpdate: async ({ booking }) => {
        await release.promise;
        ran.push(booking.uuid);
      },
    });
    expect((await webhooks.handle(post(bookingBody({ uuid: "running" })))).status).toBe(200);
    expect((await webhooks.handle(post(bookingBody({ uuid: "waiting" })))).status).toBe(200);
    const full = await webhooks.handle(post(bookingBody({ uuid: "refused" })));
    expect(full.status).toBe(503);
    expect(full.headers["retry-after"]).toBe("5");
    expect(JSON.parse(full.body).error.code).toBe("OVERLOADED");
    release.open();
    await webhooks.drain();
    // the sender's retry of the refused one is processed, not taken for a duplicate
    expect((await webhooks.handle(post(bookingBody({ uuid: "refused" })))).body).toBe('{"ok":true}');
    await webhooks.drain();
    expect(ran).toEqual(["running", "waiting", "refused"]);
  });

  it("a handler failure reaches onError and releases the claim, so a retry runs again", async () => {
    let attempts = 0;
    const errors: unknown[] = [];
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({
      ackFirst: true,
      dedupe: true,
      logger,
      onBookingUpdate: () => {
        attempts++;
        if (attempts === 1) throw new Error("boom");
      },
      onError: (error, context) => void errors.push([error, context?.deliveryKey]),
    });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(200);
    await webhooks.drain();
    expect(errors).toHaveLength(1);
    const [error, key] = errors[0] as [OctoHandlerError, string];
    expect(error).toBeInstanceOf(OctoHandlerError);
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(logger.lines.some((l) => l.startsWith("error") && l.includes("boom"))).toBe(true);
    expect((await webhooks.handle(post(bookingBody()))).body).toBe('{"ok":true}');
    await webhooks.drain();
    expect(attempts).toBe(2);
    expect((await webhooks.handle(post(bookingBody()))).body).toBe('{"ok":true,"duplicate":true}');
  });

  it("a NonRetryableError after the answer reaches onError as a warning", async () => {
    const errors: unknown[] = [];
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({
      ackFirst: true,
      auth: "none",
      logger,
      onBookingUpdate: () => {
        throw new NonRetryableError("unknown product");
      },
      onError: (error) => void errors.push(error),
    });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(200);
    await webhooks.drain();
    expect(errors).toHaveLength(1);
    expect(logger.lines.filter((l) => l.startsWith("warn"))).toHaveLength(1);
  });

  it("hands the work to the platform's waitUntil when the request has one", async () => {
    const kept: Array<Promise<unknown>> = [];
    const release = gate();
    let done = false;
    const webhooks = createOctoWebhooks({
      ackFirst: { concurrency: 1, maxQueued: 1 },
      onBookingUpdate: async () => {
        await release.promise;
        done = true;
      },
    });
    // more than concurrency + maxQueued: waitUntil work is not bounded by the in-process queue
    for (let i = 0; i < 4; i++) {
      const response = await webhooks.handle({
        ...post(bookingBody({ uuid: `b-${i}` })),
        waitUntil: (promise) => void kept.push(promise),
      });
      expect(response.status).toBe(200);
    }
    expect(kept).toHaveLength(4);
    expect(done).toBe(false);
    release.open();
    await Promise.all(kept);
    expect(done).toBe(true);
    await webhooks.drain();
  });

  it("fetch() lends the Workers execution context's waitUntil", async () => {
    const kept: Array<Promise<unknown>> = [];
    let ran = false;
    const webhooks = createOctoWebhooks<{ PASS: string }>({
      ackFirst: true,
      onBookingUpdate: async () => {
        await tick(1);
        ran = true;
      },
    });
    const request = new Request("https://example.test/webhooks/octo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(bookingBody()),
    });
    const response = await webhooks.fetch(request, { PASS: "x" }, { waitUntil: (p) => void kept.push(p) });
    expect(response.status).toBe(200);
    expect(kept).toHaveLength(1);
    await Promise.all(kept);
    expect(ran).toBe(true);
  });

  it("drain() resolves at once when nothing is pending", async () => {
    await expect(createOctoWebhooks().drain()).resolves.toBeUndefined();
    await expect(createOctoWebhooks({ ackFirst: true }).drain()).resolves.toBeUndefined();
  });

  it.each([
    [{ ackFirst: { concurrency: 0 } }, /ackFirst.concurrency/],
    [{ ackFirst: { maxQueued: 1.5 } }, /ackFirst.maxQueued/],
    [{ ackFirst: 1 }, /ackFirst/],
  ])("refuses bad options at construction: %o", (options, message) => {
    expect(() => createOctoWebhooks(options as never)).toThrow(message);
  });
});
