// Errors are recognised by their Symbol.for brand, not by class identity: a NonRetryableError from
// another copy of this package (its CommonJS build beside the ESM one, a copy bundled by a dependency)
// still gets its 4xx, and `instanceof` answers the same for it.
import { describe, expect, it } from "vitest";
import {
  createOctoWebhooks,
  NonRetryableError,
  OctoHandlerError,
  OctoRequestError,
  OctoWebhooksError,
  STATUS_BY_CODE,
} from "../src/index.ts";
import { bookingBody, post } from "./helpers.ts";

/** What a NonRetryableError of another copy of core looks like: another class, the same brand. */
class ForeignNonRetryableError extends Error {
  readonly status: number = 409;
}
Object.defineProperty(
  ForeignNonRetryableError.prototype,
  Symbol.for("@octo-webhooks/core.NonRetryableError"),
  {
    value: true,
  },
);

describe("branded errors", () => {
  it("a NonRetryableError of another copy of core gets its 4xx, not a 500", async () => {
    const webhooks = createOctoWebhooks({
      logger: {},
      onBookingUpdate: () => {
        throw new ForeignNonRetryableError("not ours");
      },
    });
    const answer = await webhooks.handle(post(bookingBody()));
    expect(answer.status).toBe(409);
    expect(JSON.parse(answer.body).error).toEqual({ code: "NON_RETRYABLE", message: "not ours" });
  });

  it("a foreign refusal whose status is not a 4xx gets 422", async () => {
    const webhooks = createOctoWebhooks({
      logger: {},
      onBookingUpdate: () => {
        throw Object.assign(new ForeignNonRetryableError("odd"), { status: 200 });
      },
    });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(422);
  });

  it("instanceof recognises the brand, and a user's subclass keeps its own check", () => {
    expect(new ForeignNonRetryableError("x")).toBeInstanceOf(NonRetryableError);
    expect(new Error("x")).not.toBeInstanceOf(NonRetryableError);
    class MyRefusal extends NonRetryableError {}
    expect(new MyRefusal("x")).toBeInstanceOf(NonRetryableError);
    expect(new NonRetryableError("x")).not.toBeInstanceOf(MyRefusal);
    const foreignRequestError = Object.create({ [Symbol.for("@octo-webhooks/core.OctoRequestError")]: true });
    expect(foreignRequestError).toBeInstanceOf(OctoRequestError);
    expect(new OctoRequestError("UNAUTHORIZED", "no")).toBeInstanceOf(OctoWebhooksError);
    expect(new OctoRequestError("UNAUTHORIZED", "no")).not.toBeInstanceOf(OctoHandlerError);
  });

  it("OctoRequestError carries the status the sender got", async () => {
    const refusals: OctoRequestError[] = [];
    const webhooks = createOctoWebhooks({
      logger: {},
      onError: (error) => {
        if (error instanceof OctoRequestError) refusals.push(error);
      },
    });
    const answer = await webhooks.handle({ method: "GET" });
    expect(refusals.map((e) => e.status)).toEqual([answer.status]);
    expect(new OctoRequestError("PAYLOAD_TOO_LARGE", "big").status).toBe(STATUS_BY_CODE.PAYLOAD_TOO_LARGE);
  });
});
