import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createOctoClient, OctoApiError, OctoClientError } from "../src/index.ts";

// Regression tests of the client's hardening findings; each title names its finding.

const API_KEY = "sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0ffee1234"; // 42 characters
const HOOK_USER = "octo-hook-user";
const HOOK_PASS = "hook-pass-7Qz9xWv2";
const HEADER_SECRET = "hdr-secret-4c1d2e3f";
const WEBHOOK_URL = `https://${HOOK_USER}:${HOOK_PASS}@shop.example/hooks/octo`;

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface Seen {
  method: string;
  url: string;
  body: string;
}

/** A real local HTTP server on a free port; records every request it gets. */
async function server(answer: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const seen: Seen[] = [];
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method ?? "", url: req.url ?? "", body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  );
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return { origin, url: `${origin}/octo`, seen };
}

function octo(baseUrl: string, timeoutMs = 5000) {
  return createOctoClient({ baseUrl, apiKey: API_KEY, retries: 0, timeoutMs });
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

/** Nothing secret, anywhere in the error: message, fields, extra, cause. */
function expectNoSecrets(error: unknown) {
  const all = `${(error as Error).message} ${JSON.stringify(error)} ${String((error as Error).cause ?? "")}`;
  for (const secret of [API_KEY, HOOK_USER, HOOK_PASS, HEADER_SECRET]) {
    expect(all).not.toContain(secret);
    // no piece of it long enough to matter either
    expect(all).not.toContain(secret.slice(0, 10));
    expect(all).not.toContain(secret.slice(-10));
  }
}

describe("client hardening", () => {
  it("client: scrubbing an 80 KB hostile errorMessage is linear (60 KB, all of it read, scrubbed well under 1 s)", async () => {
    // made to backtrack the old /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/ at every position (10 s for 80 KB);
    // just under the 64 KB read cap, so that all of it reaches the scrubber
    const hostile = `${"a".repeat(40_000)}${"a://".repeat(5_000)}`;
    const api = await server((_req, res) => json(res, 400, { error: "BAD_REQUEST", errorMessage: hostile }));
    const started = performance.now();
    const error = await octo(api.url)
      .webhooks.list()
      .catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(OctoApiError);
    expect((error as OctoApiError).code).toBe("BAD_REQUEST");
    // a generous bound: the old scrubber took seconds on this input (10 s for 80 KB of it)
    expect(elapsed).toBeLessThan(1000);
    // scrubbed whole, then cut
    expect((error as OctoApiError).errorMessage).toHaveLength(1003);
  });

  it("client: error bodies are read up to 64 KB, then the connection is dropped (an endless error page ends)", async () => {
    let written = 0;
    let closedAt: number | undefined;
    const api = await server((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      const chunk = Buffer.alloc(16 * 1024, "x");
      // endless: only the client hanging up stops it
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.byteLength;
        if (!res.destroyed) res.once("drain", pump);
      };
      res.on("close", () => {
        closedAt = written;
      });
      pump();
    });
    const error = await octo(api.url, 3000)
      .webhooks.list()
      .catch((e: unknown) => e);
    // before: the whole body was read, so the request only ended at the timeout (code TIMEOUT)
    expect(error).toBeInstanceOf(OctoApiError);
    expect(error).toMatchObject({ status: 502, code: "BAD_GATEWAY" });
    expect((error as OctoApiError).errorMessage).toMatch(
      /^a body that is not an OCTO error \(text\/html\): x+\.\.\.$/,
    );
    await expect.poll(() => closedAt).toBeDefined();
    // what the server got written before the client hung up: the cap plus socket buffers, not megabytes
    expect(closedAt).toBeLessThan(8 * 1024 * 1024);
  });

  it("client: scrubbing misses no secrets: the key, URL credentials (JSON-escaped too) and header values are scrubbed before the excerpt is cut", async () => {
    // non-OCTO bodies were cut to 120 characters, then scrubbed: a secret across the cut survived in part
    const bodies = [
      `${"x".repeat(78)}key=${API_KEY} and more`,
      `${"x".repeat(100)} ${WEBHOOK_URL} header=${HEADER_SECRET}`,
    ];
    let n = 0;
    const api = await server((_req, res) => {
      res.writeHead(400, { "content-type": "text/plain" }).end(bodies[n++ % bodies.length]);
    });
    const client = octo(api.url);
    const input = { event: "booking_update", url: WEBHOOK_URL, headers: { "x-api-key": HEADER_SECRET } };
    const key = await client.webhooks.create(input).catch((e: unknown) => e);
    expect(key).toBeInstanceOf(OctoApiError);
    expect((key as OctoApiError).errorMessage).toContain("key=***");
    expectNoSecrets(key);
    const url = await client.webhooks.create(input).catch((e: unknown) => e);
    expect(url).toBeInstanceOf(OctoApiError);
    expect((url as OctoApiError).errorMessage).toContain(" https://***@sh");
    expectNoSecrets(url);

    // an OCTO error echoing the request JSON-escaped (https:\/\/user:pass@) and its headers
    const echo = await server((_req, res, body) => {
      const escaped = JSON.stringify(body).replaceAll("/", "\\/");
      json(res, 422, {
        error: "UNPROCESSABLE_ENTITY",
        errorMessage: `cannot use ${escaped}; see https:\\/\\/admin:adminpass99@internal.example`,
        received: JSON.parse(body) as unknown,
        raw: escaped,
      });
    });
    const octoError = await octo(echo.url)
      .webhooks.create(input)
      .catch((e: unknown) => e);
    expect(octoError).toBeInstanceOf(OctoApiError);
    expect((octoError as OctoApiError).errorMessage).toContain("https:\\/\\/***@shop.example");
    expect((octoError as OctoApiError).errorMessage).toContain("https:\\/\\/***@internal.example");
    expect(JSON.stringify(octoError)).not.toContain("adminpass99");
    expectNoSecrets(octoError);

    // and a PATCH with only headers: their values are the request's secrets too
    const patched = await octo(echo.url)
      .webhooks.update("w1", { headers: { authorization: `Token ${HEADER_SECRET}` } })
      .catch((e: unknown) => e);
    expect(patched).toBeInstanceOf(OctoApiError);
    expectNoSecrets(patched);
  });

  it("client: redirects are refused: a 307 to another origin does not re-send the webhook body and is not a success", async () => {
    const elsewhere = await server((_req, res) =>
      json(res, 200, { id: "w1", event: "booking_update", url: "https://x.example/" }),
    );
    const api = await server((_req, res) =>
      res.writeHead(307, { location: `${elsewhere.origin}/steal?token=abc` }).end(),
    );
    const input = { event: "booking_update", url: WEBHOOK_URL, headers: { "x-api-key": HEADER_SECRET } };
    const error = await octo(api.url)
      .webhooks.create(input)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OctoApiError);
    expect(error).toMatchObject({ status: 307, code: "REDIRECT_REFUSED" });
    expect((error as Error).message).toContain("307 redirect");
    expect((error as Error).message).toContain("redirects are refused");
    expect((error as Error).message).not.toContain("token=abc");
    expectNoSecrets(error);
    expect(api.seen).toHaveLength(1);
    expect(elsewhere.seen).toEqual([]);

    // a 301 on a GET is refused the same way (no retry, no follow)
    const moved = await server((_req, res) => res.writeHead(301, { location: elsewhere.url }).end());
    await expect(octo(moved.url).webhooks.list()).rejects.toMatchObject({
      status: 301,
      code: "REDIRECT_REFUSED",
    });
    expect(moved.seen).toHaveLength(1);
    expect(elsewhere.seen).toEqual([]);
  });

  it('client: webhook ids are encoded and "." / ".." refused before any request (no DELETE /octo/)', async () => {
    const api = await server((_req, res) => res.writeHead(204).end());
    const client = octo(api.url);
    for (const id of ["..", ".", ""]) {
      const deleted = await client.webhooks.delete(id).catch((e: unknown) => e);
      expect(deleted).toBeInstanceOf(OctoClientError);
      expect(deleted).toMatchObject({ code: "CONFIG_INVALID" });
      const updated = await client.webhooks.update(id, { retryOnError: false }).catch((e: unknown) => e);
      expect(updated).toMatchObject({ code: "CONFIG_INVALID" });
    }
    expect(api.seen).toEqual([]);
    await client.webhooks.delete("../x");
    await client.webhooks.delete("a/b?c#d");
    await client.webhooks.delete("%2e%2e");
    expect(api.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "DELETE /octo/webhooks/..%2Fx",
      "DELETE /octo/webhooks/a%2Fb%3Fc%23d",
      "DELETE /octo/webhooks/%252e%252e",
    ]);
  });
});
