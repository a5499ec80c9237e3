import { describe, expect, it } from "vitest";
import { createOctoWebhooks, NonRetryableError, OctoWebhooksError } from "../src/index.ts";
import { bookingBody, capturingLogger, post } from "./helpers.ts";

const errorOf = (body: string) => JSON.parse(body).error as { code: string; message: string };

describe("the status table", () => {
  it("200 {ok:true} when every handler resolved", async () => {
    const webhooks = createOctoWebhooks({ onBookingUpdate: async () => {} });
    const response = await webhooks.handle(post(bookingBody()));
    expect(response).toMatchObject({ status: 200, body: '{"ok":true}' });
    // one header: a POST's answer is never stored without explicit freshness, so no cache-control
    expect(response.headers).toEqual({ "content-type": "application/json; charset=utf-8" });
  });

  it("200 and onUnknownEvent for an event this version does not model", async () => {
    const seen: string[] = [];
    const webhooks = createOctoWebhooks({ onUnknownEvent: (_p, c) => void seen.push(c.event) });
    const response = await webhooks.handle(
      post({ webhook: { event: "transfer_update" }, transfer: { id: "t" } }),
    );
    expect(response.status).toBe(200);
    expect(seen).toEqual(["transfer_update"]);
  });

  it("422 for an unknown event when unknownEvents is 'reject'; no handler runs", async () => {
    let ran = false;
    const webhooks = createOctoWebhooks({ unknownEvents: "reject", onAny: () => void (ran = true) });
    const response = await webhooks.handle(post({ webhook: { event: "transfer_update" }, transfer: {} }));
    expect(response.status).toBe(422);
    expect(errorOf(response.body).code).toBe("UNKNOWN_EVENT");
    expect(ran).toBe(false);
  });

  it.each([
    ["malformed JSON", '{"webhook": ', "MALFORMED_JSON"],
    ["an empty body", "", "EMPTY_BODY"],
    ["whitespace only", "  \n ", "EMPTY_BODY"],
    ["a JSON array", "[1,2]", "INVALID_BODY"],
    ["a JSON string", '"booking"', "INVALID_BODY"],
    ["null", "null", "INVALID_BODY"],
    ["an object without a resource", '{"webhook":{}}', "INVALID_BODY"],
    ["a booking that is not an object", '{"booking":"x"}', "INVALID_BODY"],
    ["a booking without uuid", '{"booking":{"status":"CONFIRMED"}}', "INVALID_BODY"],
    ["a numeric status", '{"booking":{"uuid":"u","status":5}}', "INVALID_BODY"],
    ["an availability without id", '{"availability":{"status":"AVAILABLE"}}', "INVALID_BODY"],
    [
      "booking_update with no booking",
      '{"webhook":{"event":"booking_update"},"availability":null}',
      "INVALID_BODY",
    ],
  ])("400 for %s, with a clear message", async (_name, body, code) => {
    const webhooks = createOctoWebhooks({ onAny: () => {} });
    const response = await webhooks.handle(post(body));
    expect(response.status).toBe(400);
    const error = errorOf(response.body);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^\[@octo-webhooks\/core\] /);
  });

  it("400 lists the failing paths without echoing values", async () => {
    const webhooks = createOctoWebhooks();
    const response = await webhooks.handle(post({ booking: { uuid: 42, status: "s3cr3t-value" } }));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error.issues).toEqual([
      { path: "booking.uuid", message: "expected string" },
    ]);
    expect(response.body).not.toContain("42");
  });

  it("400 for a body that is not UTF-8", async () => {
    const webhooks = createOctoWebhooks();
    const response = await webhooks.handle(post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])));
    expect(response.status).toBe(400);
    expect(errorOf(response.body).code).toBe("INVALID_ENCODING");
  });

  it("401 with WWW-Authenticate for missing or wrong credentials", async () => {
    const webhooks = createOctoWebhooks({ auth: { basic: { username: "octo", password: "pw" } } });
    const response = await webhooks.handle(post(bookingBody()));
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toBe('Basic realm="octo-webhooks", charset="UTF-8"');
  });

  it.each(["GET", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"])(
    "405 with Allow: POST for %s",
    async (method) => {
      const webhooks = createOctoWebhooks();
      const response = await webhooks.handle({ method, headers: {}, body: undefined });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe("POST");
      // a 405 is cacheable by default (RFC 9110 section 15.5.6): refusals say never to store them
      expect(response.headers["cache-control"]).toBe("no-store");
    },
  );

  it("413 when Content-Length says the body is over the limit, before reading it", async () => {
    const webhooks = createOctoWebhooks({ maxBodyBytes: 100 });
    let read = false;
    const body = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          read = true;
          return { done: true as const, value: undefined };
        },
      }),
    };
    const response = await webhooks.handle({ method: "POST", headers: { "content-length": "101" }, body });
    expect(response.status).toBe(413);
    expect(read).toBe(false);
  });

  it("413 for a string or bytes body over the limit", async () => {
    const webhooks = createOctoWebhooks({ maxBodyBytes: 10 });
    expect((await webhooks.handle(post("x".repeat(11)))).status).toBe(413);
    expect((await webhooks.handle(post(new Uint8Array(11)))).status).toBe(413);
    // 4 characters, 12 bytes in UTF-8
    expect((await webhooks.handle(post("€€€€"))).status).toBe(413);
  });

  it.each([
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
  ])("415 for %s", async (type) => {
    const webhooks = createOctoWebhooks();
    const response = await webhooks.handle(post(bookingBody(), { "content-type": type }));
    expect(response.status).toBe(415);
  });

  it.each([
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON",
    "application/vnd.octo+json",
  ])("accepts %s", async (type) => {
    const webhooks = createOctoWebhooks();
    expect((await webhooks.handle(post(bookingBody(), { "content-type": type }))).status).toBe(200);
  });

  it("accepts a delivery without a content type (senders that omit it)", async () => {
    const webhooks = createOctoWebhooks();
    const response = await webhooks.handle({
      method: "POST",
      headers: {},
      body: JSON.stringify(bookingBody()),
    });
    expect(response.status).toBe(200);
  });

  it("500 without the handler's message when a handler throws, and onError sees it", async () => {
    const logger = capturingLogger();
    const errors: unknown[] = [];
    const webhooks = createOctoWebhooks({
      logger,
      onBookingUpdate: () => {
        throw new Error("database password is hunter2");
      },
      onError: (error) => void errors.push(error),
    });
    const response = await webhooks.handle(post(bookingBody()));
    expect(response.status).toBe(500);
    expect(response.body).not.toContain("hunter2");
    expect(errorOf(response.body).code).toBe("HANDLER_FAILED");
    expect(errors).toHaveLength(1);
  });

  it("the NonRetryableError's 4xx when a handler refuses a delivery on purpose", async () => {
    const webhooks = createOctoWebhooks({
      logger: capturingLogger(),
      onBookingUpdate: () => {
        throw new NonRetryableError("we do not sell this product", { status: 409 });
      },
    });
    const response = await webhooks.handle(post(bookingBody()));
    expect(response.status).toBe(409);
    expect(errorOf(response.body)).toEqual({ code: "NON_RETRYABLE", message: "we do not sell this product" });
  });

  it("500 when a NonRetryableError and an ordinary error are thrown together (retry wins)", async () => {
    const webhooks = createOctoWebhooks({
      logger: capturingLogger(),
      onBookingUpdate: [
        () => {
          throw new NonRetryableError("no");
        },
        () => {
          throw new Error("transient");
        },
      ],
    });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(500);
  });

  it("503 + Retry-After when every handler failed with an OctoWebhooksError meaning unavailable (a queue down)", async () => {
    const errors: unknown[] = [];
    const webhooks = createOctoWebhooks({
      logger: capturingLogger(),
      onAny: () => Promise.reject(new OctoWebhooksError("STORE_UNAVAILABLE", "redis at 10.0.0.7 is down")),
      onError: (error) => void errors.push(error),
    });
    const response = await webhooks.handle(post(bookingBody()));
    expect(response.status).toBe(503);
    expect(response.headers["retry-after"]).toBe("5");
    expect(errorOf(response.body).code).toBe("STORE_UNAVAILABLE");
    expect(response.body).not.toContain("10.0.0.7");
    expect(errors).toHaveLength(1);
  });

  it("500 when an unavailable error and an ordinary error are thrown together", async () => {
    const webhooks = createOctoWebhooks({
      logger: capturingLogger(),
      onBookingUpdate: [
        () => {
          throw new OctoWebhooksError("OVERLOADED", "busy");
        },
        () => {
          throw new Error("bug");
        },
      ],
    });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(500);
  });

  it("408 when the body does not arrive within bodyTimeoutMs", async () => {
    const webhooks = createOctoWebhooks({ bodyTimeoutMs: 50 });
    const stalled = new ReadableStream<Uint8Array>({ start() {} });
    const response = await webhooks.handle({ method: "POST", headers: {}, body: stalled });
    expect(response.status).toBe(408);
    expect(errorOf(response.body).code).toBe("BODY_TIMEOUT");
  });
});
