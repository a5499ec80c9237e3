// What is reported at `warn`: a refused delivery (then at most once a minute per reason), an open
// endpoint, and a body a parser in front already read while a limit of ours is configured.
import { describe, expect, it } from "vitest";
import { createOctoWebhooks, OctoRequestError } from "../src/index.ts";
import { createRefusalLog, REFUSAL_LOG_INTERVAL_MS } from "../src/log/refusal-log.ts";
import { basic, bookingBody, capturingLogger, post } from "./helpers.ts";

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
