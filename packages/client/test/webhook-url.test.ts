import { createOctoWebhooks } from "@octo-webhooks/core";
import { bookingUpdate, sendWebhook, startReceiver } from "@octo-webhooks/testing";
import { describe, expect, it } from "vitest";
import { OctoClientError, redactUrl, webhookUrl } from "../src/index.ts";
import { onCleanup } from "./helpers.ts";

const AWKWARD = [
  ["at", "p@ss"],
  ["colon", "a:b:c"],
  ["slash", "a/b"],
  ["question mark", "what?"],
  ["hash", "#1"],
  ["percent", "100%25"],
  ["space", "two words"],
  ["non-ASCII", "mötley-crüe-€-日本-🔑"],
  ["everything", " @:/?#%&=+$,;[]!'()*~\"<>\\^`{|}"],
] as const;

describe("webhookUrl", () => {
  it("builds https://user:pass@host/path", () => {
    expect(webhookUrl("https://shop.example/webhooks/octo", { username: "octo", password: "s3cret" })).toBe(
      "https://octo:s3cret@shop.example/webhooks/octo",
    );
    expect(webhookUrl("https://old:creds@shop.example/h?tenant=1", { username: "new", password: "pw" })).toBe(
      "https://new:pw@shop.example/h?tenant=1",
    );
  });

  it.each(AWKWARD)("encodes a password with %s so the URL parses back to exactly it", (_name, password) => {
    const url = webhookUrl("https://shop.example/webhooks/octo", {
      username: `user ${password}`.replaceAll(":", "."),
      password,
    });
    const parsed = new URL(url);
    expect(parsed.host).toBe("shop.example");
    expect(parsed.pathname).toBe("/webhooks/octo");
    expect(parsed.search).toBe("");
    expect(parsed.hash).toBe("");
    expect(decodeURIComponent(parsed.password)).toBe(password);
    expect(decodeURIComponent(parsed.username)).toBe(`user ${password}`.replaceAll(":", "."));
  });

  it("gets through a real delivery: a core receiver accepts the credentials it was given", async () => {
    const users = AWKWARD.map(([, password], i) => ({
      username: `u${i}-${password.replaceAll(":", "")}`,
      password,
    }));
    const webhooks = createOctoWebhooks({ auth: { basic: users }, logger: {} });
    const receiver = await startReceiver(webhooks);
    onCleanup(receiver.close);
    for (const user of users) {
      const answer = await sendWebhook(webhookUrl(receiver.url, user), bookingUpdate());
      expect(answer.status, user.password).toBe(200);
    }
    const wrong = await sendWebhook(
      webhookUrl(receiver.url, { username: "u0-p@ss", password: "p%40ss" }),
      bookingUpdate(),
    );
    expect(wrong.status).toBe(401);
  });

  it("refuses what HTTP Basic cannot carry, without echoing the password", () => {
    const attempt = (url: string, username: string, password: string) => {
      try {
        webhookUrl(url, { username, password });
      } catch (error) {
        expect(error).toBeInstanceOf(OctoClientError);
        expect((error as Error).message).not.toContain("hunter2");
        return (error as Error).message;
      }
      return "no error";
    };
    expect(attempt("https://h/", "a:b", "hunter2")).toContain('must not contain ":"');
    expect(attempt("https://h/", "", "hunter2")).toContain("`username`");
    expect(attempt("https://h/", "u", "")).toContain("`password`");
    expect(attempt("https://h/", "u", "\ud800hunter2")).toContain("not valid Unicode");
    expect(attempt("relative/path", "u", "hunter2")).toContain("absolute");
    expect(attempt("mailto:x@y", "u", "hunter2")).toContain("http(s)");
  });
});

describe("redactUrl", () => {
  it("hides credentials and query strings", () => {
    expect(redactUrl("https://octo:s3cret@shop.example/hooks?token=abc#x")).toBe(
      "https://***@shop.example/hooks?***",
    );
    expect(redactUrl("https://shop.example:8443/hooks")).toBe("https://shop.example:8443/hooks");
    expect(redactUrl("https://user@shop.example/")).toBe("https://***@shop.example/");
    expect(redactUrl("not a url with s3cret")).toBe("<invalid URL>");
  });
});
