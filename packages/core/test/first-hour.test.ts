// What a new user trips over in the first hour: misspelt names refused with a suggestion, refusals
// and an open endpoint reported at `warn`, messages that say what arrived.
import { describe, expect, it } from "vitest";
import { adapterWebhooks } from "../src/adapter.ts";
import { createOctoWebhooks, OctoRequestError, OctoWebhooksError } from "../src/index.ts";
import { editDistance, nearest } from "../src/known-names.ts";
import { createRefusalLog, REFUSAL_LOG_INTERVAL_MS } from "../src/refusal-log.ts";
import { basic, bookingBody, capturingLogger, post } from "./helpers.ts";

const silent = { auth: "none", logger: {} } as const;

describe("event names given to on()", () => {
  it.each([
    ["booking.cancelld", "booking.cancelled"],
    ["booking_updated", "booking_update"],
    ["Booking_Update", "booking_update"],
    ["availabilty_update", "availability_update"],
    ["booking.confirm", "booking.confirmed"],
  ])("refuses %s with a did-you-mean of %s", (typo, meant) => {
    const webhooks = createOctoWebhooks(silent);
    let caught: unknown;
    try {
      webhooks.on(typo, () => undefined);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OctoWebhooksError);
    expect((caught as OctoWebhooksError).code).toBe("CONFIG_INVALID");
    expect((caught as Error).message).toContain(`did you mean "${meant}"?`);
    expect((caught as Error).message).toMatch(/^\[@octo-webhooks\/core\] on\(/);
  });

  it("refuses a booking.* name that is no lifecycle event, listing them", () => {
    const webhooks = createOctoWebhooks(silent);
    expect(() => webhooks.on("booking.whatever_happened", () => undefined)).toThrow(
      /no such event; lifecycle events are booking\.on_hold, booking\.confirmed/,
    );
  });

  it("refuses a typo inside a list, registering none of the list", async () => {
    const seen: string[] = [];
    const webhooks = createOctoWebhooks(silent);
    expect(() => webhooks.on(["booking.confirmed", "booking.cancelld"], () => void seen.push("x"))).toThrow(
      /booking\.cancelled/,
    );
    await webhooks.handle(post(bookingBody()));
    expect(seen).toEqual([]);
  });

  it("registers known events, newer OCTO events, names far from any, and custom: names as given", async () => {
    const seen: string[] = [];
    const webhooks = createOctoWebhooks(silent);
    webhooks.on("booking.confirmed", () => void seen.push("lifecycle"));
    webhooks.on("order_update", () => void seen.push("order"));
    webhooks.on("gift_card_issued", () => void seen.push("gift"));
    webhooks.on("custom:booking_updated", () => void seen.push("custom"));
    await webhooks.handle(post(bookingBody()));
    await webhooks.handle(post({ webhook: { event: "order_update" }, order: { id: "o-1", bookings: [] } }));
    await webhooks.handle(post({ webhook: { event: "gift_card_issued" } }));
    await webhooks.handle(post({ webhook: { event: "booking_updated" } }));
    expect(seen).toEqual(["lifecycle", "order", "gift", "custom"]);
  });
});

describe("option names", () => {
  it.each([
    [{ onBookingUpdat: () => undefined }, "`onBookingUpdat`; did you mean `onBookingUpdate`?"],
    [{ onBookingCanceled: () => undefined }, "did you mean `onBookingCancelled`?"],
    [{ maxBodyByte: 10 }, "did you mean `maxBodyBytes`?"],
    [{ ackfirst: true }, "did you mean `ackFirst`?"],
  ])("createOctoWebhooks refuses %o", (options, message) => {
    expect(() => createOctoWebhooks({ ...silent, ...(options as object) })).toThrow(message);
  });

  it("refuses an on* option that is no handler, listing the handler options", () => {
    expect(() => createOctoWebhooks({ ...silent, onSomethingElse: () => undefined } as object)).toThrow(
      /unknown option `onSomethingElse`; the handler options are onBookingUpdate, onAvailabilityUpdate, onOrderUpdate, onProductUpdate, /,
    );
  });

  it("every adapter refuses a misspelt option in its own name, with or without an existing receiver", () => {
    const typo = { path: "/hooks", onBookingUpdat: () => undefined } as object;
    expect(() => adapterWebhooks(typo, "@octo-webhooks/express")).toThrow(
      /^\[@octo-webhooks\/express\] unknown option `onBookingUpdat`; did you mean `onBookingUpdate`\?$/,
    );
    const existing = createOctoWebhooks(silent);
    expect(() => adapterWebhooks({ ...typo, webhooks: existing }, "@octo-webhooks/koa")).toThrow(
      /^\[@octo-webhooks\/koa\] unknown option `onBookingUpdat`; did you mean `onBookingUpdate`\?$/,
    );
    expect(() => adapterWebhooks({ webhook: existing } as object, "@octo-webhooks/hono")).toThrow(
      "did you mean `webhooks`?",
    );
  });

  it("a handler given beside an existing receiver still registers on it", async () => {
    const seen: string[] = [];
    const existing = createOctoWebhooks(silent);
    adapterWebhooks({ webhooks: existing, onBookingConfirmed: () => void seen.push("c") }, "x");
    expect((await existing.handle(post(bookingBody()))).status).toBe(200);
    expect(seen).toEqual(["c"]);
  });

  it("refuses an auth string other than none", () => {
    expect(() => createOctoWebhooks({ auth: "open" as "none" })).toThrow(/`auth` must be an object/);
  });
});

describe("the edit distance", () => {
  it("counts insertions, deletions and substitutions, and stops past its bound", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("abc", "abc")).toBe(0);
    expect(editDistance("a", "abcdefgh", 2)).toBe(3);
    expect(nearest("zzz", ["booking_update"])).toBeUndefined();
  });
});

describe("refusals at warn", () => {
  const auth = { basic: { username: "octo", password: "s3cret-pass" } };

  it("a wrong password is reported once at warn, never with the credentials", async () => {
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({ auth, logger });
    for (let i = 0; i < 3; i++) {
      const answer = await webhooks.handle(
        post(bookingBody(), { authorization: basic("octo", "wrong-pass") }),
      );
      expect(answer.status).toBe(401);
    }
    const warns = logger.lines.filter((l) => l.startsWith("warn"));
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatch(
      /^warn \[@octo-webhooks\/core\] refused a delivery with 401: missing or invalid credentials/,
    );
    expect(logger.lines.filter((l) => l.startsWith("debug"))).toHaveLength(3);
    expect(logger.lines.join("\n")).not.toMatch(/wrong-pass|s3cret-pass|b2N0bz/);
  });

  it("then says how many more there were, at most once a minute per reason", () => {
    let now = 1_000_000;
    const logger = capturingLogger();
    const log = createRefusalLog(logger, () => now);
    const refusal = new OctoRequestError("UNAUTHORIZED", "missing or invalid credentials");
    for (let i = 0; i < 5; i++) log(refusal);
    log(new OctoRequestError("UNSUPPORTED_MEDIA_TYPE", 'not "text/plain"'));
    now += REFUSAL_LOG_INTERVAL_MS;
    log(refusal);
    const warns = logger.lines.filter((l) => l.startsWith("warn"));
    expect(warns).toHaveLength(3);
    expect(warns[1]).toContain("with 415");
    expect(warns[2]).toContain("(and 4 more UNAUTHORIZED refusals in the last 60 s)");
  });

  it("5xx refusals stay at debug here (they are reported where they happen)", () => {
    const logger = capturingLogger();
    createRefusalLog(logger)(new OctoRequestError("OVERLOADED", "queue full"));
    expect(logger.lines.filter((l) => l.startsWith("warn"))).toEqual([]);
  });
});

describe("an open endpoint", () => {
  it("warns once, at the first request, that anyone may deliver", async () => {
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({ logger });
    expect(logger.lines).toEqual([]);
    await webhooks.handle(post(bookingBody()));
    await webhooks.handle(post(bookingBody()));
    const warns = logger.lines.filter((l) => l.startsWith("warn"));
    expect(warns).toHaveLength(1);
    expect(warns[0]).toContain("no `auth` is configured: this endpoint accepts deliveries from anyone");
  });

  it('auth: "none" says it is on purpose: no warning, every delivery accepted', async () => {
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({ auth: "none", logger });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(200);
    expect(logger.lines.filter((l) => l.startsWith("warn"))).toEqual([]);
  });
});

describe("messages", () => {
  it("the 415 says which content type arrived", async () => {
    const webhooks = createOctoWebhooks(silent);
    const answer = await webhooks.handle({
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "{}",
    });
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.body).error.message).toContain(
      'the body must be application/json, not "text/plain"',
    );
  });

  it("a misconfigured auth resolver is logged with one prefix", async () => {
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({ auth: () => undefined, logger });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(500);
    const line = logger.lines.find((l) => l.includes("refusing deliveries")) ?? "";
    expect(line.match(/\[@octo-webhooks\/core\]/g)).toHaveLength(1);
    expect(line).toContain(
      "refusing deliveries until auth is fixed: auth: the resolver returned no configuration",
    );
  });

  it("OctoRequestError carries the HTTP status it is answered with", async () => {
    const webhooks = createOctoWebhooks(silent);
    const error = await webhooks.receive("{").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OctoRequestError);
    expect((error as OctoRequestError).status).toBe(400);
  });
});

describe("a body parser in front", () => {
  it("warns once when a limit of ours is configured and the body arrives already read", async () => {
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({ auth: "none", maxBodyBytes: 2048, logger });
    const parsed = { method: "POST", headers: { "content-type": "application/json" }, body: bookingBody() };
    expect((await webhooks.handle(parsed)).status).toBe(200);
    expect((await webhooks.handle(parsed)).status).toBe(200);
    const warns = logger.lines.filter((l) => l.startsWith("warn"));
    expect(warns).toHaveLength(1);
    expect(warns[0]).toContain("already read by a body parser");
    expect(warns[0]).toContain("Mount octoWebhooks() before the body parser");
  });

  it("says nothing for a stream, or when no limit of ours was configured", async () => {
    const logger = capturingLogger();
    const limited = createOctoWebhooks({ auth: "none", bodyTimeoutMs: 5000, logger });
    const stream = new Blob([JSON.stringify(bookingBody())]).stream();
    expect((await limited.handle({ ...post(bookingBody()), body: stream })).status).toBe(200);
    const defaults = createOctoWebhooks({ auth: "none", logger });
    expect((await defaults.handle({ ...post(bookingBody()), body: bookingBody() })).status).toBe(200);
    expect(logger.lines.filter((l) => l.startsWith("warn"))).toEqual([]);
  });
});
