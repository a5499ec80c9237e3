// Request headers in every form `handle()` accepts, asked for in any case: Node's lower-case records,
// hand-built records in any case, repeated values, a Web `Headers`, a lookup function.
import { describe, expect, it } from "vitest";
import { createOctoWebhooks, type HeaderLookup } from "../src/index.ts";
import { bookingBody } from "./helpers.ts";

const authorization = `Basic ${btoa("octo:s3cret-password")}`;

/** What a handler and a `verify` check see of one request's headers. */
async function seen(headers: HeaderLookup) {
  const asked: Record<string, string | undefined> = {};
  let traced: string | null = null;
  const webhooks = createOctoWebhooks({
    auth: {
      basic: { username: "octo", password: "s3cret-password" },
      verify: ({ header }) => {
        asked.upper = header("X-Trace");
        asked.lower = header("x-trace");
        asked.missing = header("x-absent");
        return true;
      },
    },
    onBookingUpdate: (_payload, context) => {
      traced = context.headers.get("x-trace");
    },
  });
  const answer = await webhooks.handle({ method: "POST", headers, body: bookingBody() });
  return { status: answer.status, asked, traced };
}

describe("header lookups", () => {
  const forms: [string, HeaderLookup][] = [
    ["Node's lower-case record", { "content-type": "application/json", authorization, "x-trace": "t-1" }],
    [
      "a hand-built record in other cases",
      { "Content-Type": "application/json", AUTHORIZATION: authorization, "X-Trace": "t-1" },
    ],
    [
      "a record with a repeated header as an array",
      { "content-type": ["application/json"], authorization, "x-trace": ["t-1"] },
    ],
    ["a Web Headers", new Headers({ "Content-Type": "application/json", authorization, "X-Trace": "t-1" })],
    [
      "a lookup function (asked in lower case)",
      (name: string) =>
        ({ "content-type": "application/json", authorization, "x-trace": "t-1" })[name] ?? null,
    ],
  ];

  it.each(forms)("%s: found whatever case it is asked in", async (_form, headers) => {
    expect(await seen(headers)).toEqual({
      status: 200,
      asked: { upper: "t-1", lower: "t-1", missing: undefined },
      // a function cannot be listed, so `context.headers` has nothing from it
      traced: typeof headers === "function" ? null : "t-1",
    });
  });

  it("a record's inherited properties are not headers", async () => {
    // `constructor` and `toString` exist on every object's prototype: asked for, they are absent
    const webhooks = createOctoWebhooks({
      auth: {
        verify: ({ header }) => header("constructor") === undefined && header("toString") === undefined,
      },
      onBookingUpdate: () => {},
    });
    const answer = await webhooks.handle({
      method: "POST",
      headers: { "content-type": "application/json" },
      body: bookingBody(),
    });
    expect(answer.status).toBe(200);
  });

  it("a wrong credential in a differently-cased record is refused", async () => {
    const { status } = await seen({
      "Content-Type": "application/json",
      Authorization: `Basic ${btoa("octo:s3cret-passwore")}`,
      "x-trace": "t-1",
    });
    expect(status).toBe(401);
  });
});
