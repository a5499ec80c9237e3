// What the client reads for the receiver (hydration's read calls now, reconciliation's later), from a
// supplier that answers badly on purpose: real local servers answering huge, slow, endless, malformed,
// redirected or hung answers. Each ends within the client's timeout, in bounded memory, with a clear
// error (or `null` where the answer is final). Error bodies (capped at 64 KB, scrubbed) are covered in
// untrusted-input.test.ts.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createOctoWebhooks } from "@octo-webhooks/core";
import { startReceiver } from "@octo-webhooks/testing";
import { describe, expect, it } from "vitest";
import { createOctoClient, OctoApiError, OctoClientError } from "../src/index.ts";
import { onCleanup } from "./helpers.ts";

const MiB = 1024 * 1024;

interface Hostile {
  url: string;
  origin: string;
  /** Requests received. */
  readonly requests: number;
  /** Bytes written to each answer when its connection closed (`undefined` while open). */
  readonly written: Array<number | undefined>;
}

/** A real local supplier answering every request with `answer`; counts what it managed to write. */
async function hostile(
  answer: (req: IncomingMessage, res: ServerResponse, count: (n: number) => void) => void,
) {
  let requests = 0;
  const written: Array<number | undefined> = [];
  const server = createServer((req, res) => {
    const index = requests++;
    let total = 0;
    written[index] = undefined;
    res.on("close", () => {
      written[index] = total;
    });
    req.resume();
    answer(req, res, (n) => {
      total += n;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/octo`,
    origin,
    get requests() {
      return requests;
    },
    written,
  } satisfies Hostile;
}

/** Writes `prefix`, then `filler` bytes as fast as the client reads them, up to `total` bytes (endless: Infinity). */
function pump(res: ServerResponse, count: (n: number) => void, prefix: string, total: number) {
  const chunk = Buffer.alloc(64 * 1024, "x");
  res.write(prefix);
  count(prefix.length);
  let sent = prefix.length;
  const more = () => {
    while (!res.destroyed && sent < total) {
      sent += chunk.byteLength;
      count(chunk.byteLength);
      if (!res.write(chunk)) return void res.once("drain", more);
    }
    if (!res.destroyed) res.end('"}');
  };
  more();
}

function octo(baseUrl: string, options: { timeoutMs?: number; warnings?: string[] } = {}) {
  return createOctoClient({
    baseUrl,
    apiKey: "sk_test_hostile",
    retries: 0,
    timeoutMs: options.timeoutMs ?? 5000,
    logger: { warn: (line) => void options.warnings?.push(line) },
  });
}

const signal = () => new AbortController().signal;
const booking = (uuid: string) => ({ type: "BOOKING_UPDATE" as const, data: { uuid } });

/** The outcome of `promise` and how long it took. */
async function timed<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await promise;
    return { value, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

describe("client.hydrator(): success bodies read with a limit", () => {
  it("two notifications answered with 150 MiB bookings reject RESPONSE_TOO_LARGE, neither body read whole", async () => {
    const supplier = await hostile((_req, res, count) => {
      res.writeHead(200, { "content-type": "application/json" });
      pump(res, count, '{"uuid":"b1","status":"CONFIRMED","notes":"', 150 * MiB);
    });
    const hydrate = octo(supplier.url).hydrator();
    const outcomes = await Promise.all([
      timed(hydrate(booking("b1"), { signal: signal() })),
      timed(hydrate(booking("b2"), { signal: signal() })),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.error).toBeInstanceOf(OctoClientError);
      expect(outcome.error).toMatchObject({ code: "RESPONSE_TOO_LARGE" });
      expect((outcome.error as Error).message).toMatch(
        /GET http:\/\/127\.0\.0\.1:\d+\/octo\/bookings\/b[12] answered 200 with a body over 4194304 bytes; the rest was not read/,
      );
    }
    await expect.poll(() => supplier.written.every((n) => n !== undefined)).toBe(true);
    // the 4 MiB limit plus what the sockets buffered, not 150 MiB
    for (const n of supplier.written) expect(n).toBeLessThan(16 * MiB);
  });

  it("a declared Content-Length over the limit is refused before its body is read", async () => {
    const supplier = await hostile((_req, res, count) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(200 * MiB) });
      pump(res, count, '{"uuid":"b1","notes":"', 200 * MiB);
    });
    const { error, ms } = await timed(octo(supplier.url).hydrator()(booking("b1"), { signal: signal() }));
    expect(error).toMatchObject({ code: "RESPONSE_TOO_LARGE" });
    expect(ms).toBeLessThan(4000);
    await expect.poll(() => supplier.written[0]).toBeDefined();
    expect(supplier.written[0]).toBeLessThan(16 * MiB);
  });

  it("an availability range is read up to 16 MiB (a 6 MiB list is fine, a 6 MiB booking is not)", async () => {
    const slot = (i: number) =>
      JSON.stringify({
        id: `2026-12-05T${String(i).padStart(8, "0")}`,
        status: "AVAILABLE",
        vacancies: 3,
        notes: "y".repeat(200),
      });
    const slots = `[${Array.from({ length: 24_000 }, (_, i) => slot(i)).join(",")}]`;
    expect(slots.length).toBeGreaterThan(6 * MiB);
    const supplier = await hostile((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(req.url?.includes("availability") ? slots : `{"uuid":"b1","notes":"${"z".repeat(6 * MiB)}"}`);
    });
    const hydrate = octo(supplier.url).hydrator();
    const range = await hydrate(
      {
        type: "AVAILABILITY_UPDATE",
        data: { productId: "p1", localDateStart: "2026-12-05", localDateEnd: "2026-12-05" },
      },
      { signal: signal() },
    );
    expect(range).toHaveLength(24_000);
    await expect(hydrate(booking("b1"), { signal: signal() })).rejects.toMatchObject({
      code: "RESPONSE_TOO_LARGE",
    });
  });
});

describe("client.hydrator(): identifiers no read can fetch are final", () => {
  it('".", "..", an empty segment or an id over 256 characters resolve null with a warning, nothing sent', async () => {
    const supplier = await hostile((_req, res) => res.writeHead(503).end());
    const warnings: string[] = [];
    const hydrate = octo(supplier.url, { warnings }).hydrator();
    const long = "a".repeat(257);
    const notifications = [
      booking("."),
      booking(".."),
      booking(long),
      { type: "PRODUCT_UPDATE" as const, data: { productId: ".." } },
      {
        type: "AVAILABILITY_UPDATE" as const,
        data: { productId: "p1", optionId: long, localDateStart: "2026-12-05", localDateEnd: "2026-12-05" },
      },
      {
        type: "AVAILABILITY_UPDATE" as const,
        data: { productId: "p1", localDateStart: "tomorrow", localDateEnd: "2026-12-05" },
      },
    ];
    for (const notification of notifications) {
      expect(await hydrate(notification, { signal: signal() })).toBeNull();
    }
    expect(supplier.requests).toBe(0);
    expect(warnings).toHaveLength(notifications.length);
    expect(warnings[0]).toBe(
      '[@octo-webhooks/client] a BOOKING_UPDATE notification names what no read can fetch (`uuid` must be a non-empty string (not "." or "..")); answered as not found, so that the supplier does not retry it',
    );
    expect(warnings[2]).toMatch(/`uuid` is longer than 256 characters/);
    expect(warnings.join("\n")).not.toContain(long);
    // an id that is fine is still read (and a 503 still rejects: retried)
    await expect(hydrate(booking("b1"), { signal: signal() })).rejects.toBeInstanceOf(OctoApiError);
    expect(supplier.requests).toBe(1);
  });

  it('a receiver hydrating with it answers a notification for ".." 200 (final), not 503 (retried forever)', async () => {
    const supplier = await hostile((_req, res) => res.writeHead(503).end());
    const errors: string[] = [];
    const webhooks = createOctoWebhooks({
      auth: "none",
      logger: {},
      hydrate: octo(supplier.url).hydrator(),
      onBookingUpdate: () => {},
      onError: (error) => void errors.push(error.code),
    });
    const receiver = await startReceiver(webhooks);
    onCleanup(() => receiver.close());
    const answer = await fetch(receiver.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "BOOKING_UPDATE", data: { uuid: ".." } }),
    });
    expect(answer.status).toBe(200);
    expect(errors).toEqual(["RESOURCE_NOT_FOUND"]);
    expect(supplier.requests).toBe(0);
  });
});

describe("a hostile supplier: every read ends within the client's timeout, with a clear error", () => {
  const TIMEOUT = 600;
  const read = (url: string, timeoutMs = TIMEOUT) => timed(octo(url, { timeoutMs }).bookings.get("b1"));

  it("a never-ending body: RESPONSE_TOO_LARGE at the limit, the connection dropped", async () => {
    const supplier = await hostile((_req, res, count) => {
      res.writeHead(200, { "content-type": "application/json" });
      pump(res, count, '{"uuid":"b1","notes":"', Number.POSITIVE_INFINITY);
    });
    // a timeout that the limit comes well before
    const { error, ms } = await read(supplier.url, 2000);
    expect(error).toMatchObject({ code: "RESPONSE_TOO_LARGE" });
    expect(ms).toBeLessThan(2000);
    await expect.poll(() => supplier.written[0]).toBeDefined();
    expect(supplier.written[0]).toBeLessThan(16 * MiB);
  });

  it("a body dripped a byte at a time, and a never-ending drip: TIMEOUT", async () => {
    for (const endless of [false, true]) {
      const supplier = await hostile((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        const body = `{"uuid":"b1","notes":"${"x".repeat(endless ? 1_000_000 : 200)}"}`;
        let at = 0;
        const timer = setInterval(() => {
          if (res.destroyed) return clearInterval(timer);
          res.write(body[at++] ?? "");
        }, 20);
        res.on("close", () => clearInterval(timer));
      });
      const { error, ms } = await read(supplier.url);
      expect(error).toBeInstanceOf(OctoClientError);
      expect(error).toMatchObject({ code: "TIMEOUT" });
      expect((error as Error).message).toMatch(/got no answer within 600 ms/);
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT - 50);
      expect(ms).toBeLessThan(TIMEOUT + 2000);
    }
  });

  it("a hung connection (no status line ever): TIMEOUT", async () => {
    const supplier = await hostile(() => {});
    const { error, ms } = await read(supplier.url);
    expect(error).toMatchObject({ code: "TIMEOUT" });
    expect(ms).toBeLessThan(TIMEOUT + 2000);
    expect(supplier.requests).toBe(1);
  });

  it("malformed JSON, an HTML page, a 200 carrying an error: INVALID_RESPONSE naming what came", async () => {
    const answers: Array<[string, string]> = [
      ["application/json", '{"uuid":"b1","status":'],
      ["text/html; charset=utf-8", "<html><body>Maintenance</body></html>"],
      ["application/json", '{"error":"INVALID_BOOKING_UUID","errorMessage":"no such booking"}'],
    ];
    let n = 0;
    const supplier = await hostile((_req, res) => {
      const [type, body] = answers[n++ % answers.length] as [string, string];
      res.writeHead(200, { "content-type": type }).end(body);
    });
    const malformed = await read(supplier.url);
    expect(malformed.error).toMatchObject({ code: "INVALID_RESPONSE" });
    expect((malformed.error as Error).message).toMatch(
      /answered 200 \(application\/json\) with a body that is not JSON: \{"uuid":"b1","status":/,
    );
    const html = await read(supplier.url);
    expect(html.error).toMatchObject({ code: "INVALID_RESPONSE" });
    expect((html.error as Error).message).toMatch(
      /200 \(text\/html\) with a body that is not JSON: <html><body>Maintenance/,
    );
    // an error shape with 200 is no booking; not "not found" either (that would drop the notification)
    const shape = await timed(
      octo(supplier.url, { timeoutMs: TIMEOUT }).hydrator()(booking("b1"), { signal: signal() }),
    );
    expect(shape.error).toMatchObject({ code: "INVALID_RESPONSE" });
    expect((shape.error as Error).message).toMatch(
      /GET \/bookings\/:uuid answered something that is not a booking/,
    );
  });

  it("a JSON booking sent with a wrong content type is read: the body decides, not the label", async () => {
    const supplier = await hostile((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" }).end('{"uuid":"b1","status":"CONFIRMED"}');
    });
    expect((await read(supplier.url)).value).toMatchObject({ uuid: "b1", status: "CONFIRMED" });
  });

  it("a redirect is refused, not followed: the other server sees nothing", async () => {
    const elsewhere = await hostile((_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end('{"uuid":"b1"}'),
    );
    const supplier = await hostile((_req, res) =>
      res.writeHead(302, { location: `${elsewhere.url}/bookings/b1` }).end(),
    );
    const { error } = await timed(
      octo(supplier.url, { timeoutMs: TIMEOUT }).hydrator()(booking("b1"), { signal: signal() }),
    );
    expect(error).toMatchObject({ status: 302, code: "REDIRECT_REFUSED" });
    expect(elsewhere.requests).toBe(0);
  });

  it("an endless error page ends at its 64 KB cap: the hydrator rejects (retried), quickly", async () => {
    const supplier = await hostile((_req, res, count) => {
      res.writeHead(500, { "content-type": "text/html" });
      pump(res, count, "<html>", Number.POSITIVE_INFINITY);
    });
    // a timeout long enough that only the cap can end it
    const { error, ms } = await timed(
      octo(supplier.url, { timeoutMs: 10_000 }).hydrator()(booking("b1"), { signal: signal() }),
    );
    expect(error).toBeInstanceOf(OctoApiError);
    expect(error).toMatchObject({ status: 500 });
    expect(ms).toBeLessThan(10_000);
  });
});
