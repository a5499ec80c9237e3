// A Node request whose body has all arrived is read at once (readBodyNow), on a real HTTP server.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { readBodyNow } from "../src/http/read-body.ts";
import { createOctoWebhooks } from "../src/index.ts";
import { bookingBody } from "./helpers.ts";

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server whose route waits until the body has arrived, then gives the request to `route`. */
async function serve(route: (request: IncomingMessage) => { status: number; body: string }) {
  server = createServer((request, response) => {
    const answer = () => {
      const { status, body } = route(request);
      response.writeHead(status, { "content-type": "application/json" }).end(body);
    };
    const waitForBody = () => (request.complete ? answer() : setTimeout(waitForBody, 1));
    waitForBody();
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** Requests over one keep-alive connection, one after the other. */
async function postAll(port: number, bodies: (string | Uint8Array)[]) {
  const agent = new (await import("node:http")).Agent({ keepAlive: true, maxSockets: 1 });
  const answers: { status: number; body: string; socket: unknown }[] = [];
  for (const body of bodies) {
    answers.push(
      await new Promise((resolve, reject) => {
        const req = httpRequest(
          { port, host: "127.0.0.1", method: "POST", agent, headers: { "content-type": "application/json" } },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (text += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, socket: req.socket }));
          },
        );
        req.on("error", reject);
        req.end(body);
      }),
    );
  }
  agent.destroy();
  return answers;
}

describe("a Node request whose body has arrived", () => {
  it("is read at once, without a promise, and the connection carries the next request", async () => {
    const seen: string[] = [];
    const port = await serve((request) => {
      const read = readBodyNow(request, 1024);
      seen.push(read?.text ?? "not read at once");
      return { status: 200, body: "{}" };
    });
    const [first, second] = await postAll(port, ['{"a":"é"}', '{"b":2}']);
    expect(seen).toEqual(['{"a":"é"}', '{"b":2}']);
    expect([first?.status, second?.status]).toEqual([200, 200]);
    expect(second?.socket).toBe(first?.socket);
  });

  it.each([
    [
      "over the limit: PAYLOAD_TOO_LARGE before anything is read",
      8,
      '{"much":"more than eight bytes"}',
      "PAYLOAD_TOO_LARGE",
    ],
    [
      "not UTF-8: INVALID_ENCODING, as for a body read chunk by chunk",
      1024,
      new Uint8Array([0x7b, 0xff, 0x7d]),
      "INVALID_ENCODING",
    ],
  ])("%s", async (_name, limit, body, code) => {
    const errors: unknown[] = [];
    const port = await serve((request) => {
      try {
        readBodyNow(request, limit);
      } catch (error) {
        errors.push(error);
      }
      return { status: 200, body: "{}" };
    });
    await postAll(port, [body]);
    expect(errors).toMatchObject([{ code }]);
  });

  it("a request someone already started reading is left to the streaming path", async () => {
    const results: unknown[] = [];
    const port = await serve((request) => {
      request.read(1);
      results.push(readBodyNow(request, 1024));
      return { status: 200, body: "{}" };
    });
    await postAll(port, ['{"x":1}']);
    expect(results).toEqual([undefined]);
  });

  it("handle() answers a delivery whose body has arrived, its handler seeing the body", async () => {
    const uuids: string[] = [];
    const webhooks = createOctoWebhooks({ onBookingUpdate: ({ booking }) => void uuids.push(booking.uuid) });
    server = createServer((request, response) => {
      const run = async () => {
        const answer = await webhooks.handle({ method: "POST", headers: request.headers, body: request });
        response.writeHead(answer.status, answer.headers).end(answer.body);
      };
      const waitForBody = () => (request.complete ? void run() : setTimeout(waitForBody, 1));
      waitForBody();
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const answers = await postAll(port, [
      JSON.stringify(bookingBody({ uuid: "first" })),
      JSON.stringify(bookingBody({ uuid: "second" })),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(uuids).toEqual(["first", "second"]);
  });
});
