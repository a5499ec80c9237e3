// Regression of the outside audit (issue 24): a per-request auth resolver's result was cached by
// object identity, so a resolver that mutated and returned one object kept the old password valid.
import { describe, expect, it } from "vitest";
import { type AuthConfig, createOctoWebhooks } from "../src/index.ts";
import { basic, bookingBody, post } from "./helpers.ts";

describe("core: resolver result cached by object identity", () => {
  it("a resolver that mutates and returns the same object: the new password is valid, the old one refused", async () => {
    const config: AuthConfig = { basic: { username: "octo", password: "old-pass" } };
    const webhooks = createOctoWebhooks({ auth: () => config, logger: {} });
    const send = (password: string) =>
      webhooks.handle(post(bookingBody(), { authorization: basic("octo", password) }));
    expect((await send("old-pass")).status).toBe(200);
    config.basic = { username: "octo", password: "new-pass" };
    expect((await send("new-pass")).status).toBe(200);
    expect((await send("old-pass")).status).toBe(401);
  });

  it("a header value rotated in place, and a verify function swapped on the same object", async () => {
    const config: AuthConfig = { header: { name: "x-api-key", value: "key-1" } };
    const webhooks = createOctoWebhooks({ auth: () => config, logger: {} });
    const send = (key: string) => webhooks.handle(post(bookingBody(), { "x-api-key": key }));
    expect((await send("key-1")).status).toBe(200);
    (config.header as { value: string }).value = "key-2";
    expect((await send("key-1")).status).toBe(401);
    expect((await send("key-2")).status).toBe(200);
    config.verify = () => false;
    expect((await send("key-2")).status).toBe(401);
  });

  it("fresh objects with equal values each request still work, and so do several tenants", async () => {
    const webhooks = createOctoWebhooks<{ tenant: string }>({
      auth: ({ tenant }) => ({ basic: { username: tenant, password: `${tenant}-pass` } }),
      logger: {},
    });
    for (const tenant of ["a", "b", "a", "c", "b"]) {
      const request = post(bookingBody(), { authorization: basic(tenant, `${tenant}-pass`) });
      expect((await webhooks.handle(request, { tenant })).status).toBe(200);
      const wrong = post(bookingBody(), { authorization: basic(tenant, "a-pass") });
      if (tenant !== "a") expect((await webhooks.handle(wrong, { tenant })).status).toBe(401);
    }
  });
});
