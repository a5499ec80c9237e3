// Auth you can extend: a `verify` that checks a signature over the raw body, reads every header and the
// client address; and `allowFrom`, the addresses deliveries may come from (403 for any other).
import { createHmac } from "node:crypto";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type AuthRequest, createOctoWebhooks, type OctoWebhooksError } from "../src/index.ts";
import { bookingBody, capturingLogger } from "./helpers.ts";

const SECRET = "whsec-4f1c9e";
const sign = (bytes: Uint8Array | string) => createHmac("sha256", SECRET).update(bytes).digest("hex");

/** An HMAC check over the raw bytes, as a supplier that signs its deliveries needs (constant time). */
const hmacVerify = async (request: AuthRequest) => {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(SECRET),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const given = request.header("x-signature") ?? "";
  const signature = Uint8Array.from(given.match(/../g) ?? [], (hex) => Number.parseInt(hex, 16));
  return crypto.subtle.verify("HMAC", key, signature, new Uint8Array(await request.rawBody()));
};

/** A body as a Node request would give it: a stream of chunks. */
const streamOf = (text: string) =>
  Readable.from([Buffer.from(text.slice(0, 10)), Buffer.from(text.slice(10))]);

describe("verify sees the raw body, every header and the client address", () => {
  it("an HMAC over the raw bytes: a signed delivery runs its handlers, a tampered one gets 401", async () => {
    const seen: string[] = [];
    const webhooks = createOctoWebhooks({
      logger: {},
      auth: { verify: hmacVerify },
      onBookingUpdate: ({ booking }) => void seen.push(booking.uuid),
    });
    // bytes the JSON parser would normalise: spacing and a non-ASCII note
    const text = `{ "booking": {"uuid":"b-1", "status": "CONFIRMED", "notes": "Zürich"} }`;
    const headers = { "content-type": "application/json", "x-signature": sign(text) };
    const signed = await webhooks.handle({ method: "POST", headers, body: streamOf(text) });
    expect(signed.status).toBe(200);
    const tampered = await webhooks.handle({
      method: "POST",
      headers,
      body: streamOf(text.replace("b-1", "b-2")),
    });
    expect(tampered.status).toBe(401);
    expect(seen).toEqual(["b-1"]);
  });

  it("the body verify read is the body the handlers get (read once), within maxBodyBytes (413 past it)", async () => {
    let reads = 0;
    const webhooks = createOctoWebhooks({
      logger: {},
      maxBodyBytes: 2048,
      auth: {
        verify: async (request) => {
          reads++;
          return (await request.rawBody()).byteLength > 0;
        },
      },
      onBookingUpdate: () => undefined,
    });
    const text = JSON.stringify(bookingBody());
    expect((await webhooks.handle({ method: "POST", headers: {}, body: streamOf(text) })).status).toBe(200);
    const large = JSON.stringify(bookingBody({ notes: "x".repeat(4000) }));
    const answer = await webhooks.handle({ method: "POST", headers: {}, body: streamOf(large) });
    expect(answer.status).toBe(413);
    expect(reads).toBe(2);
  });

  it("headers lists every header; remoteAddress is the peer's, IPv4-mapped addresses as IPv4", async () => {
    const seen: Array<[string | null, string | undefined]> = [];
    const webhooks = createOctoWebhooks({
      logger: {},
      auth: {
        verify: (request) => {
          seen.push([request.headers.get("x-supplier-tag"), request.remoteAddress]);
          return true;
        },
      },
    });
    await webhooks.handle({
      method: "POST",
      headers: { "x-supplier-tag": "peek" },
      body: JSON.stringify(bookingBody()),
      remoteAddress: "::ffff:192.0.2.7",
    });
    expect(seen).toEqual([["peek", "192.0.2.7"]]);
  });

  it("a body a parser already read cannot be verified: 500, logged, saying to mount before the parser", async () => {
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({ logger, auth: { verify: hmacVerify } });
    const answer = await webhooks.handle({
      method: "POST",
      headers: { "x-signature": "00" },
      body: bookingBody(),
    });
    expect(answer.status).toBe(500);
    expect(logger.lines.join("\n")).toContain("auth `verify` threw");
  });
});

describe("allowFrom", () => {
  const receiver = (options: Parameters<typeof createOctoWebhooks>[0]) => {
    const errors: OctoWebhooksError[] = [];
    let handled = 0;
    const webhooks = createOctoWebhooks({
      logger: {},
      auth: "none",
      onBookingUpdate: () => void handled++,
      onError: (error) => void errors.push(error),
      ...options,
    });
    const send = (remoteAddress: string | undefined, headers: Record<string, string> = {}) =>
      webhooks.handle({ method: "POST", headers, body: JSON.stringify(bookingBody()), remoteAddress });
    return { send, errors, handled: () => handled };
  };

  it.each([
    ["203.0.113.9", 200],
    ["203.0.114.1", 403],
    ["::ffff:203.0.113.200", 200],
    ["2001:db8::42", 200],
    ["2001:db9::1", 403],
    [undefined, 403],
  ])("allowFrom [203.0.113.0/24, 2001:db8::/32]: %s gets %i", async (address, status) => {
    const { send, errors, handled } = receiver({ allowFrom: ["203.0.113.0/24", "2001:db8::/32"] });
    const answer = await send(address);
    expect(answer.status).toBe(status);
    if (status === 403) {
      expect(errors.map((e) => e.code)).toEqual(["FORBIDDEN"]);
      expect(handled()).toBe(0);
    }
  });

  it("refuses before credentials are checked, and a single address is a /32", async () => {
    let verified = 0;
    const { send } = receiver({
      allowFrom: "198.51.100.4",
      auth: {
        verify: () => {
          verified++;
          return true;
        },
      },
    });
    expect((await send("198.51.100.5")).status).toBe(403);
    expect(verified).toBe(0);
    expect((await send("198.51.100.4")).status).toBe(200);
    expect(verified).toBe(1);
  });

  it("X-Forwarded-For counts only with trustProxy, and then only as many hops as trusted", async () => {
    const forged = { "x-forwarded-for": "203.0.113.9" };
    expect((await receiver({ allowFrom: "203.0.113.0/24" }).send("10.0.0.2", forged)).status).toBe(403);
    const behindOne = receiver({ allowFrom: "203.0.113.0/24", trustProxy: 1 });
    // the load balancer appended the client it saw; a forged first entry is not trusted
    expect((await behindOne.send("10.0.0.2", { "x-forwarded-for": "203.0.113.9" })).status).toBe(200);
    expect((await behindOne.send("10.0.0.2", { "x-forwarded-for": "203.0.113.9, 192.0.2.1" })).status).toBe(
      403,
    );
    const trustAll = receiver({ allowFrom: "203.0.113.0/24", trustProxy: true });
    expect((await trustAll.send("10.0.0.2", { "x-forwarded-for": "203.0.113.9, 192.0.2.1" })).status).toBe(
      200,
    );
  });

  it.each([["10.0.0.0/33"], ["not an address"], ["1.2.3"], ["2001:db8:::1"], [[]]])(
    "refuses %j at start",
    (allowFrom) => {
      expect(() => createOctoWebhooks({ allowFrom: allowFrom as string })).toThrow(/allowFrom/);
    },
  );
});
