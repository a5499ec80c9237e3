import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createOctoWebhooks } from "../src/index.ts";
import { bookingBody, endlessStream, post } from "./helpers.ts";

const text = JSON.stringify(bookingBody());
const bytes = new TextEncoder().encode(text);

describe("bodies in every shape a platform has them", () => {
  const webhooks = createOctoWebhooks();

  it.each([
    ["a string", text],
    ["a Uint8Array", bytes],
    ["a Node Buffer", Buffer.from(text)],
    ["an ArrayBuffer", bytes.buffer.slice(0)],
    ["a UTF-8 BOM before the JSON", new Uint8Array([0xef, 0xbb, 0xbf, ...bytes])],
    ["a Web ReadableStream", new Blob([text]).stream()],
    [
      "an async iterable of Buffers (Node IncomingMessage)",
      (async function* () {
        yield Buffer.from(text.slice(0, 10));
        yield Buffer.from(text.slice(10));
      })(),
    ],
    [
      "an async iterable of strings",
      (async function* () {
        yield text;
      })(),
    ],
    ["an object a body parser produced", bookingBody()],
  ])("%s", async (_name, body) => {
    const response = await webhooks.handle({
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(response.status, response.body).toBe(200);
  });

  it("a multi-byte character split across chunks", async () => {
    const seen: unknown[] = [];
    const receiver = createOctoWebhooks({ onBookingUpdate: ({ booking }) => void seen.push(booking.notes) });
    const encoded = new TextEncoder().encode(JSON.stringify(bookingBody({ notes: "Zürich €" })));
    const split = encoded.indexOf(0xe2) + 1;
    const body = (async function* () {
      yield encoded.slice(0, split);
      yield encoded.slice(split);
    })();
    expect((await receiver.handle({ method: "POST", headers: {}, body })).status).toBe(200);
    expect(seen).toEqual(["Zürich €"]);
  });

  it("rawBody is undefined when the body arrived parsed", async () => {
    let raw: unknown = "unset";
    const receiver = createOctoWebhooks({ onBookingUpdate: (_p, c) => void (raw = c.rawBody) });
    await receiver.handle({ method: "POST", headers: {}, body: bookingBody() });
    expect(raw).toBeUndefined();
  });
});

describe("the body limit", () => {
  it("refuses an endless stream with 413 as soon as the limit is passed, without reading the rest", async () => {
    const webhooks = createOctoWebhooks({ maxBodyBytes: 64 * 1024 });
    const endless = endlessStream(new Uint8Array(16 * 1024).fill(0x20));
    const response = await webhooks.handle({ method: "POST", headers: {}, body: endless.stream });
    expect(response.status).toBe(413);
    expect(endless.cancelled).toBe(true);
    expect(endless.pulled).toBeLessThanOrEqual(64 * 1024 + 2 * 16 * 1024);
  });

  it("leaves an async iterator unfinished (a Node request stays writable for the 413)", async () => {
    const webhooks = createOctoWebhooks({ maxBodyBytes: 10 });
    let returned = false;
    let pulled = 0;
    const body = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          pulled++;
          return { done: false as const, value: new Uint8Array(8) };
        },
        return: async () => {
          returned = true;
          return { done: true as const, value: undefined };
        },
      }),
    };
    const response = await webhooks.handle({ method: "POST", headers: {}, body });
    expect(response.status).toBe(413);
    expect(pulled).toBe(2);
    expect(returned).toBe(false);
    expect(response.headers.connection).toBe("close");
  });

  it("accepts a body of exactly maxBodyBytes", async () => {
    const padded = text.padEnd(4096, " ");
    const webhooks = createOctoWebhooks({ maxBodyBytes: 4096 });
    expect((await webhooks.handle(post(padded))).status).toBe(200);
    expect((await webhooks.handle(post(`${padded} `))).status).toBe(413);
  });

  it("the default limit is 1 MB", async () => {
    const webhooks = createOctoWebhooks();
    const big = text.padEnd(1024 * 1024, " ");
    expect((await webhooks.handle(post(big))).status).toBe(200);
    expect((await webhooks.handle(post(`${big} `))).status).toBe(413);
  });
});

describe("Node streams (an IncomingMessage), read with data/end listeners", () => {
  it("reads a stream written in several chunks, a multi-byte character split between two", async () => {
    const seen: unknown[] = [];
    const webhooks = createOctoWebhooks({ onBookingUpdate: ({ booking }) => void seen.push(booking.notes) });
    const encoded = Buffer.from(JSON.stringify(bookingBody({ notes: "Zürich €" })));
    const split = encoded.indexOf(0xe2) + 1;
    const stream = new PassThrough();
    const answer = webhooks.handle({ method: "POST", headers: {}, body: stream });
    stream.write(encoded.subarray(0, split));
    setTimeout(() => stream.end(encoded.subarray(split)), 5);
    expect((await answer).status).toBe(200);
    expect(seen).toEqual(["Zürich €"]);
  });

  it("over the limit: 413 at once, the stream paused and not destroyed (the 413 must still be written)", async () => {
    const webhooks = createOctoWebhooks({ maxBodyBytes: 1000 });
    const stream = new PassThrough();
    const answer = webhooks.handle({ method: "POST", headers: {}, body: stream });
    stream.write(Buffer.alloc(600, 0x20));
    stream.write(Buffer.alloc(600, 0x20));
    expect((await answer).status).toBe(413);
    expect(stream.destroyed).toBe(false);
    expect(stream.listenerCount("data")).toBe(0);
  });

  it("a connection closed before the body ended: 400, nothing hangs", async () => {
    const webhooks = createOctoWebhooks();
    const stream = new PassThrough();
    const answer = webhooks.handle({ method: "POST", headers: {}, body: stream });
    stream.write("{");
    stream.destroy();
    expect((await answer).status).toBe(400);
  });

  it("a body that stops arriving: 408 after bodyTimeoutMs", async () => {
    const webhooks = createOctoWebhooks({ bodyTimeoutMs: 30 });
    const stream = new PassThrough();
    stream.write("{");
    const answer = await webhooks.handle({ method: "POST", headers: {}, body: stream });
    expect(answer.status).toBe(408);
    expect(stream.listenerCount("data")).toBe(0);
  });
});
