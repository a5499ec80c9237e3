import { describe, expect, it } from "vitest";
import { createOctoWebhooks, OctoWebhooksError } from "../src/index.ts";
import { basic, bookingBody, capturingLogger, post } from "./helpers.ts";

const SECRET = "pa:ss wörd/with?special&chars";

describe("basic auth", () => {
  const webhooks = createOctoWebhooks({ auth: { basic: { username: "octo", password: SECRET } } });

  it("accepts the right credentials, including non-ASCII and ':' in the password", async () => {
    expect(
      (await webhooks.handle(post(bookingBody(), { authorization: basic("octo", SECRET) }))).status,
    ).toBe(200);
  });

  it.each([
    ["the scheme in lower case", (token: string) => `basic ${token}`],
    ["the scheme in upper case", (token: string) => `BASIC ${token}`],
    ["spaces around the token", (token: string) => `  Basic   ${token}  `],
    ["non-canonical base64 (trailing bits set)", (token: string) => `Basic ${token.replace(/E=$/, "F=")}`],
  ])("accepts the right credentials with %s, as RFC 7617 allows", async (_name, spell) => {
    const pair = "octo:pw1";
    const token = Buffer.from(pair).toString("base64");
    const decoded = Buffer.from(spell(token).trim().split(/\s+/)[1] as string, "base64").toString();
    expect(decoded).toBe(pair);
    const receiver = createOctoWebhooks({ auth: { basic: { username: "octo", password: "pw1" } } });
    const response = await receiver.handle(post(bookingBody(), { authorization: spell(token) }));
    expect(response.status).toBe(200);
  });

  it.each([
    ["no header", undefined],
    ["a wrong password", basic("octo", "wrong")],
    ["a wrong username", basic("other", SECRET)],
    ["a password prefix", basic("octo", SECRET.slice(0, -1))],
    ["a longer password", basic("octo", `${SECRET}x`)],
    ["another scheme", `Bearer ${SECRET}`],
    ["garbage base64", "Basic %%%"],
    ["base64 of invalid UTF-8", `Basic ${Buffer.from([0xff, 0x3a, 0xfe]).toString("base64")}`],
    ["an empty value", ""],
  ])("refuses %s with 401", async (_name, authorization) => {
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
    const response = await webhooks.handle(post(bookingBody(), headers));
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toContain("Basic");
  });

  it("accepts any of several credentials at once (rotation)", async () => {
    const rotating = createOctoWebhooks({
      auth: {
        basic: [
          { username: "octo", password: "old-password" },
          { username: "octo", password: "new-password" },
        ],
      },
    });
    for (const password of ["old-password", "new-password"]) {
      const response = await rotating.handle(post(bookingBody(), { authorization: basic("octo", password) }));
      expect(response.status).toBe(200);
    }
    expect((await rotating.handle(post(bookingBody(), { authorization: basic("octo", "x") }))).status).toBe(
      401,
    );
  });

  it("checks credentials before reading the body", async () => {
    let read = false;
    const body = new ReadableStream<Uint8Array>(
      {
        pull() {
          read = true;
        },
      },
      { highWaterMark: 0 },
    );
    const response = await webhooks.handle({ method: "POST", headers: {}, body });
    expect(response.status).toBe(401);
    expect(read).toBe(false);
  });
});

describe("header auth", () => {
  it("accepts the configured header, case-insensitively by name", async () => {
    const webhooks = createOctoWebhooks({ auth: { header: { name: "X-Api-Key", value: "k-123" } } });
    expect((await webhooks.handle(post(bookingBody(), { "x-api-key": "k-123" }))).status).toBe(200);
    const refused = await webhooks.handle(post(bookingBody(), { "x-api-key": "k-1234" }));
    expect(refused.status).toBe(401);
    expect(refused.headers["www-authenticate"]).toBeDefined();
    expect(refused.headers["www-authenticate"]).not.toContain("k-123");
  });

  it("accepts any of several values", async () => {
    const webhooks = createOctoWebhooks({ auth: { header: { name: "x-api-key", value: ["one", "two"] } } });
    expect((await webhooks.handle(post(bookingBody(), { "x-api-key": "two" }))).status).toBe(200);
    expect((await webhooks.handle(post(bookingBody(), { "x-api-key": "three" }))).status).toBe(401);
  });

  it("requires every configured mechanism when several are combined", async () => {
    const webhooks = createOctoWebhooks({
      auth: { basic: { username: "u", password: "p" }, header: { name: "x-octo-env", value: "live" } },
    });
    const both = { authorization: basic("u", "p"), "x-octo-env": "live" };
    expect((await webhooks.handle(post(bookingBody(), both))).status).toBe(200);
    expect((await webhooks.handle(post(bookingBody(), { authorization: basic("u", "p") }))).status).toBe(401);
    expect((await webhooks.handle(post(bookingBody(), { "x-octo-env": "live" }))).status).toBe(401);
  });
});

describe("verify", () => {
  it("delegates to the function, which sees the method and headers", async () => {
    const webhooks = createOctoWebhooks({
      auth: {
        verify: async (request) => request.method === "POST" && request.header("x-source") === "supplier",
      },
    });
    expect((await webhooks.handle(post(bookingBody(), { "x-source": "supplier" }))).status).toBe(200);
    expect((await webhooks.handle(post(bookingBody(), { "x-source": "other" }))).status).toBe(401);
  });

  it("answers 500 (so the sender retries) when verify throws, without its message", async () => {
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({
      logger,
      auth: {
        verify: () => {
          throw new Error("vault unreachable");
        },
      },
    });
    const response = await webhooks.handle(post(bookingBody()));
    expect(response.status).toBe(500);
    expect(response.body).not.toContain("vault");
  });
});

describe("per-request resolution", () => {
  type Env = { USER?: string; PASS?: string };

  it("resolves credentials from the context given to handle() (edge env bindings)", async () => {
    const webhooks = createOctoWebhooks<Env>({
      auth: (env) => ({ basic: { username: env.USER ?? "", password: env.PASS ?? "" } }),
    });
    const env = { USER: "edge", PASS: "from-binding" };
    const good = await webhooks.handle(
      post(bookingBody(), { authorization: basic("edge", "from-binding") }),
      env,
    );
    expect(good.status).toBe(200);
    const other = await webhooks.handle(
      post(bookingBody(), { authorization: basic("edge", "from-binding") }),
      {
        USER: "edge",
        PASS: "rotated",
      },
    );
    expect(other.status).toBe(401);
    expect(other.headers["www-authenticate"]).toContain("Basic");
  });

  it("fails closed with 500, logging the mistake but not the secret, when the binding is missing", async () => {
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks<Env>({
      logger,
      auth: (env) => ({ basic: { username: env.USER ?? "", password: env.PASS ?? "" } }),
    });
    const response = await webhooks.handle(post(bookingBody(), { authorization: basic("edge", "x") }), {
      USER: "edge",
    });
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body).error.code).toBe("AUTH_MISCONFIGURED");
    expect(logger.lines.join("\n")).toMatch(/basic\.password/);
  });

  it("fails closed when the resolver returns nothing", async () => {
    const webhooks = createOctoWebhooks({ logger: capturingLogger(), auth: () => undefined });
    expect((await webhooks.handle(post(bookingBody()))).status).toBe(500);
  });

  it("works through fetch() with the context as second argument", async () => {
    const webhooks = createOctoWebhooks<Env>({
      auth: (env) => ({ basic: { username: env.USER ?? "", password: env.PASS ?? "" } }),
    });
    const request = new Request("https://receiver.test/hook", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basic("w", "p") },
      body: JSON.stringify(bookingBody()),
    });
    const response = await webhooks.fetch(request, { USER: "w", PASS: "p" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });
});

describe("misconfiguration throws at construction, naming the mistake but never the secret", () => {
  it.each([
    ["an empty object", {}],
    ["an unknown key", { bearer: "x" }],
    ["an empty username", { basic: { username: "", password: "hunter2" } }],
    ["a ':' in the username", { basic: { username: "a:b", password: "hunter2" } }],
    ["an empty password", { basic: { username: "octo", password: "" } }],
    ["a missing password", { basic: { username: "octo" } }],
    ["an empty list", { basic: [] }],
    ["an invalid header name", { header: { name: "x api key", value: "hunter2" } }],
    ["an empty header value", { header: { name: "x-api-key", value: "" } }],
    ["no header values", { header: { name: "x-api-key", value: [] } }],
    ["verify that is not a function", { verify: "yes" }],
  ])("%s", (_name, auth) => {
    let thrown: unknown;
    try {
      createOctoWebhooks({ auth: auth as never });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OctoWebhooksError);
    expect((thrown as OctoWebhooksError).code).toBe("CONFIG_INVALID");
    expect((thrown as Error).message).toMatch(/^\[@octo-webhooks\/core\] auth: /);
    expect((thrown as Error).message).not.toContain("hunter2");
  });
});

describe("credentials never appear in a response or a log line", () => {
  it("on every path of a receiver with basic and header auth", async () => {
    const logger = capturingLogger();
    const secrets = ["s3cret-pass", "s3cret-header", "attacker-pass"];
    const webhooks = createOctoWebhooks({
      logger,
      auth: {
        basic: { username: "octo", password: "s3cret-pass" },
        header: { name: "x-key", value: "s3cret-header" },
      },
      onBookingUpdate: () => {
        throw new Error("handler failed");
      },
      onError: () => {
        throw new Error("hook failed");
      },
    });
    const good = { authorization: basic("octo", "s3cret-pass"), "x-key": "s3cret-header" };
    const requests = [
      post(bookingBody(), good),
      post(bookingBody(), { authorization: basic("octo", "attacker-pass"), "x-key": "s3cret-header" }),
      post("{bad", good),
      post(bookingBody(), { ...good, "content-type": "text/plain" }),
      { method: "GET", headers: good, body: undefined },
    ];
    const outputs: string[] = [];
    for (const request of requests) {
      const response = await webhooks.handle(request);
      outputs.push(JSON.stringify(response));
    }
    const everything = [...outputs, ...logger.lines].join("\n");
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toContain(Buffer.from("octo:s3cret-pass").toString("base64"));
  });
});
