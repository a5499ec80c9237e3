// Messages that say what arrived, with one prefix, and errors that carry the status they are answered with.
import { describe, expect, it } from "vitest";
import { createOctoWebhooks, OctoRequestError } from "../src/index.ts";
import { bookingBody, capturingLogger, post } from "./helpers.ts";

const silent = { auth: "none", logger: {} } as const;

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
