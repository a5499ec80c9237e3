// Regressions of the outside audit (issue 24): a body cut into tiny chunks must cost O(its size).
import { EventEmitter } from "node:events";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createOctoWebhooks } from "../src/index.ts";
import { bookingBody } from "./helpers.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
/** Heap and array buffers in use after a full collection: what the read keeps alive. */
const retained = () => {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

const BODY_BYTES = 512 * 1024;
const body = Buffer.from(JSON.stringify(bookingBody({ notes: "x".repeat(BODY_BYTES - 200) })));
const MB = 1024 * 1024;

describe("core: a body in tiny chunks costs O(body), not ~200x its size", () => {
  const webhooks = createOctoWebhooks({ maxBodyBytes: 1024 * 1024 });
  const request = (stream: unknown) => ({
    method: "POST",
    headers: { "content-type": "application/json" },
    body: stream as ReadableStream<Uint8Array>,
  });

  it("a Node request (data/end listeners) sent 1 byte per chunk", async () => {
    const stream = Object.assign(new EventEmitter(), { pause() {}, readableEnded: false });
    const answer = webhooks.handle(request(stream));
    await new Promise((resolve) => setImmediate(resolve)); // auth and checks done, the listeners on
    const before = retained();
    for (let i = 0; i < body.byteLength; i++) stream.emit("data", body.subarray(i, i + 1));
    const growth = retained() - before; // while the body is held, before it is decoded
    stream.readableEnded = true;
    stream.emit("end");
    expect((await answer).status).toBe(200);
    expect(growth).toBeLessThan(4 * MB);
  });

  it("a Web stream sent 1 byte per chunk", async () => {
    let at = 0;
    let growth = Number.NaN;
    let before = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at === 1) before = retained();
        if (at === body.byteLength) {
          growth = retained() - before;
          return controller.close();
        }
        controller.enqueue(body.subarray(at, at + 1));
        at++;
      },
    });
    expect((await webhooks.handle(request(stream))).status).toBe(200);
    expect(growth).toBeLessThan(4 * MB);
  });
});
