import { describe, expect, it } from "vitest";
import { createOctoClient, OctoApiError, OctoClientError } from "../src/index.ts";
import { API_KEY, client, closedPort, rawServer, supplier } from "./helpers.ts";

const noSecrets = (text: string) => {
  expect(text).not.toContain(API_KEY);
  expect(text).not.toContain("hook-pass");
};

describe("against the mock supplier", () => {
  it("creates, lists, updates and deletes webhooks, typed and validated", async () => {
    const s = await supplier();
    const octo = client(s.url);
    const url = "https://octo:hook-pass@shop.example/webhooks/octo";
    const created = await octo.webhooks.create({
      url,
      event: "booking_update",
      headers: { "x-api-key": "h1" },
    });
    expect(created).toMatchObject({
      event: "booking_update",
      url,
      retryOnError: true,
      headers: { "x-api-key": "h1" },
    });
    expect(typeof created.id).toBe("string");
    const second = await octo.webhooks.create({ url, event: "availability_update", retryOnError: false });

    expect((await octo.webhooks.list()).map((w) => w.id)).toEqual([created.id, second.id]);

    const updated = await octo.webhooks.update(created.id, { retryOnError: false, useContactLanguage: true });
    expect(updated).toMatchObject({ id: created.id, retryOnError: false, useContactLanguage: true });
    expect(s.webhooks.find((w) => w.id === created.id)?.retryOnError).toBe(false);

    await octo.webhooks.delete(created.id);
    expect((await octo.webhooks.list()).map((w) => w.id)).toEqual([second.id]);
    expect(octo.lines).toEqual([]);
    expect(octo.debugLines).toHaveLength(s.requests.length);
    expect(octo.debugLines[0]).toMatch(
      /^\[@octo-webhooks\/client\] POST http:\/\/127\.0\.0\.1:\d+\/octo\/webhooks answered 200$/,
    );
  });

  it("sends Bearer, Octo-Capabilities (always with octo/webhooks, once) and Octo-Env", async () => {
    const s = await supplier();
    await client(s.url).webhooks.list();
    await client(s.url, { capabilities: ["octo/pricing", "octo/webhooks"], env: "live" }).webhooks.create({
      url: "https://shop.example/h",
      event: "booking_update",
    });
    expect(s.requests).toEqual([
      expect.objectContaining({
        method: "GET",
        status: 200,
        capabilities: ["octo/webhooks"],
        env: undefined,
      }),
      expect.objectContaining({
        method: "POST",
        status: 200,
        capabilities: ["octo/webhooks", "octo/pricing"],
        env: "live",
      }),
    ]);
    expect(s.webhooks[0]?.capabilities).toEqual(["octo/pricing"]);
  });

  it("works with a base URL with or without a trailing slash", async () => {
    const s = await supplier();
    expect(await client(`${s.url}/`).webhooks.list()).toEqual([]);
    expect(await client(s.url).webhooks.list()).toEqual([]);
  });

  it("turns a bad key into an OctoApiError 401, without retrying and without the key anywhere", async () => {
    const s = await supplier();
    const octo = createOctoClient({ baseUrl: s.url, apiKey: "sk_wrong_key_42" });
    const error = await octo.webhooks.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OctoApiError);
    expect(error).toMatchObject({ status: 401, code: "UNAUTHORIZED", attempts: 1, method: "GET" });
    expect((error as Error).message).toMatch(
      /^\[@octo-webhooks\/client\] GET http:\/\/127\.0\.0\.1:\d+\/octo\/webhooks answered 401 UNAUTHORIZED: missing or invalid API key/,
    );
    expect(JSON.stringify(error)).not.toContain("sk_wrong_key_42");
    expect(`${(error as Error).message}${(error as Error).stack}`).not.toContain("sk_wrong_key_42");
    expect(s.requests).toHaveLength(1);
  });

  it("gives the extra fields of an OCTO error body", async () => {
    const s = await supplier();
    const error = await client(s.url)
      .webhooks.delete("no-such-id")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 404,
      code: "INVALID_WEBHOOK_ID",
      errorMessage: "no webhook has this id",
      extra: { webhookId: "no-such-id" },
    });
    const invalid = await client(s.url)
      .webhooks.create({ url: "https://h.example/", event: "transfer_update" })
      .catch((e) => e);
    expect(invalid).toMatchObject({ status: 400, code: "BAD_REQUEST" });
    expect(s.requests).toHaveLength(2);
  });

  it("retries a 503 and then succeeds", async () => {
    const s = await supplier();
    s.failNext(2);
    const octo = client(s.url);
    const created = await octo.webhooks.create({ url: "https://shop.example/h", event: "booking_update" });
    expect(created.event).toBe("booking_update");
    expect(s.requests.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(s.webhooks).toHaveLength(1);
    expect(octo.lines).toHaveLength(2);
    expect(octo.lines[0]).toMatch(/answered 503 SERVICE_UNAVAILABLE.*\(retry 1\/3 in \d+ ms\)$/);
  });

  it("gives up after `retries` and throws the last answer", async () => {
    const s = await supplier();
    s.failNext(10, { status: 502, body: "<html><body>\n  <h1>502 Bad Gateway</h1>\n</body></html>" });
    const error = await client(s.url, { retries: { limit: 2, minDelayMs: 1 } })
      .webhooks.list()
      .catch((e) => e);
    expect(error).toBeInstanceOf(OctoApiError);
    expect(error).toMatchObject({ status: 502, code: "BAD_GATEWAY", attempts: 3 });
    expect(error.message).toContain(
      "a body that is not an OCTO error (text/html): <html><body> <h1>502 Bad Gateway</h1> </body></html>",
    );
    expect(s.requests).toHaveLength(3);
  });

  it("never retries a 4xx", async () => {
    const s = await supplier();
    s.failNext(1, { status: 429 });
    await expect(client(s.url).webhooks.list()).rejects.toMatchObject({ status: 429, attempts: 1 });
    expect(s.requests).toHaveLength(1);
  });

  it("honours Retry-After, and does not retry when it asks for longer than maxDelayMs", async () => {
    const s = await supplier();
    s.failNext(1, { retryAfterSeconds: 1 });
    const started = Date.now();
    await client(s.url, { retries: { limit: 1, minDelayMs: 1, maxDelayMs: 5_000 } }).webhooks.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(s.requests.map((r) => r.status)).toEqual([503, 200]);

    s.failNext(1, { retryAfterSeconds: 120 });
    const octo = client(s.url, { retries: { limit: 3, minDelayMs: 1, maxDelayMs: 5_000 } });
    const error = await octo.webhooks.list().catch((e) => e);
    expect(error).toMatchObject({ status: 503, retryAfterMs: 120_000 });
    expect(octo.lines.join("\n")).toContain("Retry-After asks for 120000 ms");
  });
});

describe("network failures", () => {
  it("retries network errors, then throws NETWORK_ERROR naming the cause", async () => {
    const port = await closedPort();
    const octo = client(`http://127.0.0.1:${port}/octo`, { retries: { limit: 2, minDelayMs: 1 } });
    const error = await octo.webhooks.list().catch((e) => e);
    expect(error).toBeInstanceOf(OctoClientError);
    expect(error).toMatchObject({ code: "NETWORK_ERROR", attempts: 3 });
    expect(error.message).toContain("ECONNREFUSED");
    expect(octo.lines).toHaveLength(2);
  });

  it("times out each attempt, retries, and recovers", async () => {
    const server = await rawServer((_req, res, count) => {
      if (count === 1) return; // never answers
      res.writeHead(200, { "content-type": "application/json" }).end("[]");
    });
    // generous: the second attempt must be answered within it even on a busy machine
    const octo = client(server.url, { timeoutMs: 400 });
    expect(await octo.webhooks.list()).toEqual([]);
    expect(server.count).toBe(2);
    expect(octo.lines[0]).toContain("got no answer within 400 ms");

    const stuck = await rawServer(() => undefined);
    const error = await client(stuck.url, { timeoutMs: 50, retries: 1 })
      .webhooks.list()
      .catch((e) => e);
    expect(error).toMatchObject({ code: "TIMEOUT", attempts: 2 });
  });

  it("stops at once when the caller aborts", async () => {
    const stuck = await rawServer(() => undefined);
    const controller = new AbortController();
    const pending = client(stuck.url).webhooks.list({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: "ABORTED", attempts: 1 });
    await expect(client(stuck.url).webhooks.list({ signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: "ABORTED",
    });
  });
});

describe("lenient answers", () => {
  it("accepts unknown fields and missing optional ones, and refuses what is not a webhook", async () => {
    const server = await rawServer((req, res) => {
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (req.url?.endsWith("/webhooks") && req.method === "GET") {
        return json(200, [{ id: "w1", event: "booking_update", url: "https://h/", vendorField: { x: 1 } }]);
      }
      if (req.method === "POST") return json(200, { event: "booking_update" });
      return json(200, { webhooks: [] });
    });
    const [webhook] = await client(server.url).webhooks.list();
    expect(webhook).toEqual({ id: "w1", event: "booking_update", url: "https://h/", vendorField: { x: 1 } });
    await expect(
      client(server.url).webhooks.create({ url: "https://h/", event: "booking_update" }),
    ).rejects.toMatchObject({
      code: "INVALID_RESPONSE",
      message: expect.stringContaining("invalid at id"),
    });
  });

  it("refuses a list that is not a list and a success body that is not JSON", async () => {
    const object = await rawServer((_req, res) => res.writeHead(200).end('{"webhooks":[]}'));
    await expect(client(object.url).webhooks.list()).rejects.toMatchObject({ code: "INVALID_RESPONSE" });
    const html = await rawServer((_req, res) =>
      res.writeHead(200, { "content-type": "text/html" }).end("<h1>login</h1>"),
    );
    const error = await client(html.url)
      .webhooks.list()
      .catch((e) => e);
    expect(error).toMatchObject({ code: "INVALID_RESPONSE" });
    expect(error.message).toContain("not JSON: <h1>login</h1>");
    expect(html.count).toBe(1);
  });

  it("accepts every way suppliers answer DELETE; `{ success: false }` is an error", async () => {
    const answers = [
      "",
      '{"id":"w1","event":"booking_update","url":"https://h/"}',
      '{"success":true,"message":"deleted"}',
    ];
    const server = await rawServer((_req, res, count) => {
      if (count > answers.length) {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end('{"success":false,"message":"locked"}');
      } else {
        res.writeHead(answers[count - 1] === "" ? 204 : 200).end(answers[count - 1]);
      }
    });
    const octo = client(server.url);
    for (let i = 0; i < answers.length; i++)
      await expect(octo.webhooks.delete("w1")).resolves.toBeUndefined();
    await expect(octo.webhooks.delete("w1")).rejects.toMatchObject({
      code: "DELETE_FAILED",
      errorMessage: "locked",
    });
  });

  it("uses a JSON error body that is not OCTO-shaped, and scrubs the key if the supplier echoes it", async () => {
    const server = await rawServer((req, res) =>
      res
        .writeHead(500, { "content-type": "application/json" })
        .end(JSON.stringify({ message: `bad header ${req.headers.authorization}` })),
    );
    const error = await client(server.url, { retries: 0 })
      .webhooks.list()
      .catch((e) => e);
    expect(error).toMatchObject({
      status: 500,
      code: "INTERNAL_SERVER_ERROR",
      errorMessage: "bad header Bearer ***",
    });
    noSecrets(error.message);
  });

  it("scrubs URL credentials a supplier echoes, in the message and in the extra fields", async () => {
    const url = "https://octo:hook-pass@shop.example/hooks";
    const server = await rawServer((_req, res) =>
      res
        .writeHead(400, { "content-type": "application/json" })
        .end(
          JSON.stringify({ error: "INVALID_URL", errorMessage: `cannot reach ${url}`, url, tried: [url] }),
        ),
    );
    const error = await client(server.url)
      .webhooks.create({ url, event: "booking_update" })
      .catch((e) => e);
    expect(error).toMatchObject({
      code: "INVALID_URL",
      errorMessage: "cannot reach https://***@shop.example/hooks",
      extra: { url: "https://***@shop.example/hooks", tried: ["https://***@shop.example/hooks"] },
    });
    noSecrets(`${error.message} ${JSON.stringify(error)}`);
  });

  it("encodes ids in paths", async () => {
    const seen: string[] = [];
    const server = await rawServer((req, res) => {
      seen.push(req.url ?? "");
      res.writeHead(204).end();
    });
    await client(server.url).webhooks.delete("a/b?c");
    expect(seen).toEqual(["/octo/webhooks/a%2Fb%3Fc"]);
  });
});

describe("configuration mistakes fail before any request, naming no secret", () => {
  const base = { baseUrl: "https://api.example/octo", apiKey: API_KEY };
  it.each([
    ["`baseUrl` must be an absolute http(s) URL", { ...base, baseUrl: "api.example/octo" }],
    ["`baseUrl` must be an http(s) URL", { ...base, baseUrl: "ftp://api.example/octo" }],
    ["(https://***@api.example/octo)", { ...base, baseUrl: "https://user:hook-pass@api.example/octo" }],
    ["`apiKey` must be a non-empty string", { ...base, apiKey: "" }],
    ["stray newline", { ...base, apiKey: `${API_KEY}\n` }],
    ['`env` must be "test" or "live"', { ...base, env: "prod" }],
    ["`capabilities`", { ...base, capabilities: ["octo/pricing, octo/x"] }],
    ["`timeoutMs`", { ...base, timeoutMs: 0 }],
    ["`retries`", { ...base, retries: -1 }],
    ["minDelayMs <= maxDelayMs", { ...base, retries: { minDelayMs: 10, maxDelayMs: 1 } }],
  ])("%s", (message, options) => {
    const error = (() => {
      try {
        createOctoClient(options as never);
        return undefined;
      } catch (e) {
        return e as OctoClientError;
      }
    })();
    expect(error).toBeInstanceOf(OctoClientError);
    expect(error?.code).toBe("CONFIG_INVALID");
    expect(error?.message).toContain(message);
    expect(error?.message.startsWith("[@octo-webhooks/client] ")).toBe(true);
    noSecrets(error?.message ?? "");
  });

  it("checks webhook input", async () => {
    const octo = createOctoClient(base);
    await expect(octo.webhooks.create({ url: "/relative", event: "booking_update" })).rejects.toThrow(
      "`url` must be an absolute http(s) URL",
    );
    await expect(octo.webhooks.create({ url: "https://h/", event: "" })).rejects.toThrow("`event`");
    await expect(
      octo.webhooks.create({ url: "https://h/", event: "booking_update", headers: { "x-k": "a\r\nb" } }),
    ).rejects.toThrow("without line breaks");
    await expect(octo.webhooks.update("w1", {})).rejects.toThrow("at least one field");
    await expect(octo.webhooks.delete("")).rejects.toThrow("id");
  });
});
