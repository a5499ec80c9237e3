// `octo-webhooks dev` against DNS rebinding: a page whose host name rebinds to 127.0.0.1 reaches the
// inspector's port with `Host: rebind.attacker.example`. Every route, the supplier's OCTO endpoint and the
// page's assets included, answers it 403 and does nothing else; and the supplier's API key is new for
// every run, so that nothing can guess it (the page behind the rebound name could otherwise talk to the
// supplier's own port, which has no page to protect).
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { startInspector } from "../src/inspector/server.ts";
import { onCleanup, start } from "./helpers.ts";

interface Answer {
  status: number;
  body: string;
}

/** One request with exactly these headers (fetch would not send another Host). */
function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
        // the event stream never ends: its first bytes are enough
        if (path === "/api/stream") res.destroy();
      });
      res.on("close", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A loopback service the attacker would like the mock supplier to call. */
async function victim() {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    res.end("internal admin answer");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin`, hits };
}

describe("octo-webhooks dev: DNS rebinding", () => {
  it("answers a foreign Host only 403 on every route, the supplier's endpoint and the assets included", async () => {
    const inspector = await startInspector({ retrySchedule: [] });
    onCleanup(() => inspector.close());
    const target = await victim();
    const key = inspector.supplier.apiKey;
    const port = new URL(inspector.url).port;
    const json = { "content-type": "application/json" };
    const octo = { authorization: `Bearer ${key}`, "octo-capabilities": "octo/webhooks", ...json };
    const hook = JSON.stringify({ event: "booking_update", url: target.url });
    const routes: Array<[string, string, Record<string, string>, string?]> = [
      ["GET", "/", {}],
      ["GET", "/assets/inspector.js", {}],
      ["GET", "/assets/inspector.css", {}],
      ["GET", "/api/state", {}],
      ["GET", "/api/deliveries", {}],
      ["GET", "/api/stream", {}],
      ["GET", "/api/subscriptions", {}],
      ["GET", "/api/body?kind=cancel", {}],
      ["POST", "/api/send", json, '{"kind":"cancel"}'],
      ["POST", "/api/subscriptions", json, hook],
      ["DELETE", "/api/subscriptions/w1", {}],
      ["POST", "/api/deliveries/d1/replay", json, "{}"],
      ["GET", "/octo/webhooks", octo],
      ["POST", "/octo/webhooks", octo, hook],
      ["POST", "/octo/_mock/simulate/booking-lifecycle", octo, "{}"],
      ["GET", "/octo/_mock/deliveries", octo],
      ["GET", "/mock-1/octo/webhooks", octo],
      ["GET", "/nothing-here", {}],
    ];
    for (const foreignHost of [
      `rebind.attacker.example:${port}`,
      "rebind.attacker.example",
      "127.0.0.1.nip.io",
    ]) {
      for (const [method, path, headers, body] of routes) {
        const answer = await send(inspector.url, method, path, { ...headers, host: foreignHost }, body);
        expect({ route: `${method} ${path}`, ...answer }).toEqual({
          route: `${method} ${path}`,
          status: 403,
          body: '{"error":"refused: not from the inspector\'s page"}',
        });
      }
    }
    // nothing reached the supplier, nothing was registered or delivered, the loopback service was never called
    expect(inspector.supplier.requests).toEqual([]);
    expect(inspector.supplier.webhooks).toEqual([]);
    expect(inspector.supplier.deliveries).toEqual([]);
    expect(target.hits).toEqual([]);

    // another site's page (its Origin) cannot change anything through the supplier's endpoint either
    const foreignOrigin = await send(
      inspector.url,
      "POST",
      "/octo/webhooks",
      { ...octo, host: `127.0.0.1:${port}`, origin: "https://evil.example" },
      hook,
    );
    expect(foreignOrigin.status).toBe(403);
    expect(inspector.supplier.webhooks).toEqual([]);

    // the inspector's own host still gets everything
    const own = await send(inspector.url, "GET", "/octo/webhooks", { ...octo, host: `127.0.0.1:${port}` });
    expect(own).toEqual({ status: 200, body: "[]" });
    const page = await send(inspector.url, "GET", "/", { host: `localhost:${port}` });
    expect(page.status).toBe(200);
  });

  it("gives the supplier a new random key every run: mock-api-key is refused, the page shows its own", async () => {
    const [one, two] = [await startInspector(), await startInspector()];
    onCleanup(() => one.close());
    onCleanup(() => two.close());
    expect(one.supplier.apiKey).toMatch(/^octo-dev-[0-9a-f]{32}$/);
    expect(two.supplier.apiKey).toMatch(/^octo-dev-[0-9a-f]{32}$/);
    expect(one.supplier.apiKey).not.toBe(two.supplier.apiKey);
    const list = (key: string) =>
      fetch(`${one.supplierUrl}/webhooks`, {
        headers: { authorization: `Bearer ${key}`, "octo-capabilities": "octo/webhooks" },
      });
    expect((await list("mock-api-key")).status).toBe(401);
    expect((await list(two.supplier.apiKey)).status).toBe(401);
    expect((await list(one.supplier.apiKey)).status).toBe(200);
    const state = await (await fetch(new URL("/api/state", one.url))).json();
    expect(state).toMatchObject({ apiKey: one.supplier.apiKey, supplierUrl: one.supplierUrl });
    // a key the user chose is theirs: not shown on the page
    const chosen = await startInspector({ apiKey: "users-own-key" });
    onCleanup(() => chosen.close());
    expect(await (await fetch(new URL("/api/state", chosen.url))).json()).toMatchObject({ apiKey: "***" });
  });

  it("the binary prints its run's key once, another one each run, and works with it", async () => {
    const keys: string[] = [];
    for (let run = 0; run < 2; run++) {
      const dev = start(["dev", "--port", "0"]);
      const [, baseUrl, key] = await dev.waitFor(/export OCTO_BASE_URL=(\S+) OCTO_API_KEY=(\S+)/);
      keys.push(key as string);
      const answer = await fetch(`${baseUrl}/webhooks`, {
        headers: { authorization: `Bearer ${key}`, "octo-capabilities": "octo/webhooks" },
      });
      expect(answer.status).toBe(200);
      expect(dev.stdout.split(key as string)).toHaveLength(2);
      expect(await dev.stop()).toBe(0);
    }
    expect(keys[0]).toMatch(/^octo-dev-/);
    expect(keys[0]).not.toBe(keys[1]);
  });
});
