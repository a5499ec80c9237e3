// A body in tiny chunks (issue 24: a 1 MB body in 1-byte chunks cost ~200x its size, and 4 such requests
// at once +1.2 GB of resident memory). Every adapter, in a process of its own, takes valid 1 MB deliveries
// sent one byte per chunk (chunked encoding: one `data` event per byte), two 256 KB ones at a time (kept
// small: parsing a million chunks takes the server seconds): each is answered 200 and handled once, and
// the resident memory it holds while reading them stays within 32 MB (before: ~50 MB of heap each). The 1 MB case
// for every adapter is bench/src/memory-chunks.ts.
import { once } from "node:events";
import { connect } from "node:net";
import { PATH } from "@octo-webhooks/conformance";
import { forkServer } from "@octo-webhooks/conformance/fork-server";
import { describe, expect, it } from "vitest";

const MB = 1024 * 1024;
const CLIENTS = 2;
const BODY_BYTES = 256 * 1024;

/** A valid booking_update of `bytes` bytes, each byte framed as its own chunk (`1\r\nX\r\n`), then the end. */
function inTinyChunks(bytes: number): Buffer {
  const head = '{"booking":{"uuid":"tiny-chunks","status":"CONFIRMED","notes":"';
  const tail = '"}}';
  const body = Buffer.from(head + "x".repeat(bytes - head.length - tail.length) + tail);
  const framed = Buffer.alloc(body.byteLength * 6 + 5);
  for (let i = 0; i < body.byteLength; i++) {
    framed.write("1\r\n", i * 6, "latin1");
    framed[i * 6 + 3] = body[i] as number;
    framed.write("\r\n", i * 6 + 4, "latin1");
  }
  framed.write("0\r\n\r\n", body.byteLength * 6, "latin1");
  return framed;
}

/** POSTs `framed` over a raw socket (64 KB writes) and resolves with the answer's status line. */
async function send(origin: string, framed: Buffer): Promise<string> {
  const url = new URL(origin);
  const socket = connect(Number(url.port), url.hostname);
  await once(socket, "connect");
  let answer = "";
  socket.on("data", (data: Buffer) => {
    answer += data.toString("latin1");
  });
  socket.write(
    `POST ${PATH} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`,
  );
  for (let at = 0; at < framed.byteLength; at += 64 * 1024) {
    if (!socket.write(framed.subarray(at, at + 64 * 1024))) await once(socket, "drain");
  }
  while (!answer.includes("\r\n")) await once(socket, "data");
  socket.destroy();
  return answer.slice(0, answer.indexOf("\r\n"));
}

describe("a body in tiny chunks costs O(body) on every adapter", () => {
  const framed = inTinyChunks(BODY_BYTES);
  // one at a time: servers side by side on two cores would measure the machine's load
  it.each(["express", "fastify", "hono (node-server)", "koa"])(
    `%s reads ${CLIENTS} 256 KB deliveries in 1-byte chunks at a time, holding a few MB per request`,
    async (name) => {
      const server = await forkServer(name, "none", 60_000);
      try {
        const round = () => Promise.all(Array.from({ length: CLIENTS }, () => send(server.origin, framed)));
        await round(); // warm up: what the first requests allocate for good is not growth
        const baseline = await server.settle();
        const held: number[] = [];
        let done = false;
        const reading = round().finally(() => {
          done = true;
        });
        // the first sample at once, then every 250 ms while the requests are read: a round can end within
        // the first 500 ms on a fast machine (CI once took none with a first sample at 500 ms)
        const sampling = (async () => {
          do {
            held.push(await server.measure());
            await new Promise((resolve) => setTimeout(resolve, 250));
          } while (!done);
        })();
        const statuses = await reading;
        await sampling;
        const report = await server.report();
        const heldMb = (Math.max(baseline, ...held) - baseline) / MB;
        console.log(
          `${name}: ${statuses.join(", ")}; held while reading +${heldMb.toFixed(1)} MB (${held.length} samples)`,
        );
        expect(statuses).toEqual(Array.from({ length: CLIENTS }, () => "HTTP/1.1 200 OK"));
        expect(report.handled).toBe(2 * CLIENTS);
        expect(report.problems).toEqual([]);
        expect(held.length).toBeGreaterThan(0);
        // resident memory, after a full collection: the heap is under 5 MB per request (bench/src/memory-
        // chunks.ts measures it), the rest is the allocator's and the sockets'; before: ~50 MB per request
        expect(heldMb).toBeLessThan(32);
      } finally {
        await server.stop();
      }
    },
    180_000,
  );
});
