// `octo-webhooks dev` without a browser: the inspector's JSON API and its event stream through fetch, over
// real HTTP to a real receiver; and the binary's own output.
import { describe, expect, it } from "vitest";
import { startInspector } from "../src/inspector/server.ts";
import { readStream, startFlakyReceiver } from "./dev-helpers.ts";
import { onCleanup, start } from "./helpers.ts";

const PASSWORD = "s3cret-pass";
const HEADER_SECRET = "hdr-secret-value";

async function setUp() {
  const receiver = await startFlakyReceiver("octo", PASSWORD);
  const inspector = await startInspector({ retrySchedule: [150, 150] });
  onCleanup(() => inspector.close());
  const call = async (
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const response = await fetch(new URL(path, inspector.url), {
      method: init.method ?? "GET",
      headers: {
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, text: await response.text() };
  };
  return { receiver, inspector, call };
}

describe("octo-webhooks dev: the inspector's API and stream", () => {
  it("streams a sent cancellation, its retry after a failure, and a replay; never a credential", async () => {
    const { receiver, inspector, call } = await setUp();
    const stream = readStream(new URL("/api/stream", inspector.url).href);

    const created = await call("/api/subscriptions", {
      method: "POST",
      body: {
        event: "booking_update",
        url: receiver.url,
        username: "octo",
        password: PASSWORD,
        headerName: "x-api-key",
        headerValue: HEADER_SECRET,
      },
    });
    expect(created.status, created.text).toBe(202);
    expect(JSON.parse(created.text)).toMatchObject({
      event: "booking_update",
      url: expect.stringContaining("***"),
    });

    const subscriptions = await call("/api/subscriptions");
    expect(JSON.parse(subscriptions.text)).toEqual([
      expect.objectContaining({ headers: { "x-api-key": "***" }, retryOnError: true }),
    ]);

    const preview = JSON.parse((await call("/api/body?kind=cancel&seed=b1")).text);
    expect(preview.event).toBe("booking_update");
    expect(preview.body.booking.status).toBe("CANCELLED");
    expect(preview.body.webhook).toBeUndefined();
    preview.body.booking.notes = "edited in the page";

    const sent = await call("/api/send", { method: "POST", body: { kind: "cancel", body: preview.body } });
    expect(sent.status, sent.text).toBe(202);
    expect(JSON.parse(sent.text)).toEqual({ deliveries: ["d1"] });
    const first = await stream.waitFor((e) => e.id === "d1" && e.state === "delivered");
    expect(first).toMatchObject({ event: "booking_update", status: 200, latencyMs: expect.any(Number) });
    expect(first.subject).toBe(preview.body.booking.uuid);
    expect(first.headers).toMatchObject({ authorization: "Basic ***", "x-api-key": "***" });
    expect((first.body as { booking: { notes: string } }).booking.notes).toBe("edited in the page");
    expect(receiver.received[0]).toMatchObject({ status: 200 });

    // the receiver fails once: the stream shows the failed attempt with its retry scheduled, then the 200
    receiver.failNext(1);
    await call("/api/send", { method: "POST", body: { kind: "confirm" } });
    const failed = await stream.waitFor((e) => e.id === "d2" && e.status === 500);
    expect(failed.state).toBe("pending");
    expect(failed.nextRetries).toHaveLength(2);
    const retried = await stream.waitFor((e) => e.id === "d2" && e.state === "delivered");
    expect((retried.attempts as Array<{ status: number }>).map((a) => a.status)).toEqual([500, 200]);

    const replay = await call("/api/deliveries/d1/replay", { method: "POST", body: {} });
    expect(JSON.parse(replay.text)).toEqual({ delivery: "d3" });
    const replayed = await stream.waitFor((e) => e.id === "d3" && e.state === "delivered");
    expect(replayed.body).toEqual(first.body);
    expect(receiver.received.at(-1)?.body).toEqual(receiver.received[0]?.body);

    const list = await call("/api/deliveries");
    expect(JSON.parse(list.text).map((d: { id: string }) => d.id)).toEqual(["d1", "d2", "d3"]);
    for (const text of [list.text, subscriptions.text, created.text, JSON.stringify(stream.events)]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(HEADER_SECRET);
      expect(text).not.toContain(Buffer.from(`octo:${PASSWORD}`).toString("base64"));
    }

    const id = JSON.parse(created.text).id as string;
    expect((await call(`/api/subscriptions/${id}`, { method: "DELETE" })).status).toBe(200);
    expect(JSON.parse((await call("/api/subscriptions")).text)).toEqual([]);
    const orphan = await call("/api/deliveries/d1/replay", { method: "POST", body: {} });
    expect(orphan.status).toBe(409);
  });

  it("says why it sends nothing, and refuses other pages and hosts", async () => {
    const { inspector, call } = await setUp();
    const nobody = await call("/api/send", { method: "POST", body: { kind: "availability" } });
    expect(nobody.status).toBe(409);
    expect(JSON.parse(nobody.text).error).toMatch(/no webhook is registered for availability_update/);
    expect((await call("/api/send", { method: "POST", body: { kind: "nope" } })).status).toBe(400);
    expect((await call("/api/deliveries/d9/replay", { method: "POST", body: {} })).status).toBe(404);
    // a form post from another site: not JSON, or from another origin
    const form = await fetch(new URL("/api/send", inspector.url), { method: "POST", body: "kind=cancel" });
    expect(form.status).toBe(415);
    const foreign = await call("/api/send", {
      method: "POST",
      body: { kind: "cancel" },
      headers: { origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);

    const page = await fetch(inspector.url);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await page.text()).toContain('<script src="/assets/inspector.js"');
    const script = await fetch(new URL("/assets/inspector.js", inspector.url));
    expect(script.headers.get("content-type")).toContain("text/javascript");
    expect((await fetch(new URL("/assets/../package.json", inspector.url))).status).toBe(404);

    // the supplier's OCTO endpoint on the same port
    const webhooks = await fetch(new URL("webhooks", `${inspector.supplierUrl}/`), {
      headers: { authorization: `Bearer ${inspector.supplier.apiKey}`, "octo-capabilities": "octo/webhooks" },
    });
    expect(webhooks.status).toBe(200);
    expect(await webhooks.json()).toEqual([]);
  });
});

describe("octo-webhooks dev (the binary)", () => {
  it("registers --to, prints the URL and one line per delivery attempt, never the password", async () => {
    const receiver = await startFlakyReceiver("octo", PASSWORD);
    const dev = start(["dev", "--port", "0", "--to", receiver.url, "--user", "octo", "--pass", PASSWORD]);
    const [, url] = await dev.waitFor(/Inspector on (http:\/\/\S+)/);
    await dev.waitFor(/webhooks: booking_update, availability_update → /);
    const subscriptions = await (await fetch(new URL("/api/subscriptions", url))).json();
    expect(subscriptions.map((s: { event: string }) => s.event)).toEqual([
      "booking_update",
      "availability_update",
    ]);
    const sent = await fetch(new URL("/api/send", url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "availability" }),
    });
    expect(sent.status).toBe(202);
    await dev.waitFor(/✓ d1 #1 availability_update → http:\/\/127\.0\.0\.1:\d+\/webhooks\/octo 200 \d+ ms/);
    expect(receiver.received).toHaveLength(1);
    expect(dev.stdout + dev.stderr).not.toContain(PASSWORD);
    expect(await dev.stop()).toBe(0);
  });

  it("refuses --user without --pass, and a --to that is not a URL", async () => {
    const noPass = start(["dev", "--port", "0", "--to", "http://127.0.0.1:1/x", "--user", "octo"]);
    expect(await noPass.exited).toBe(1);
    expect(noPass.stderr).toMatch(/give both --user and --pass/);
    const notUrl = start(["dev", "--port", "0", "--to", "ftp://x"]);
    expect(await notUrl.exited).toBe(1);
    expect(notUrl.stderr).toMatch(/--to must be an absolute http\(s\) URL/);
  });
});

describe("octo-webhooks dev --count: several mock suppliers in one inspector", () => {
  it("each supplier has its own id, key and endpoint; the page shows which one sent each delivery", async () => {
    const receiver = await startFlakyReceiver("octo", PASSWORD);
    const inspector = await startInspector({ count: 2, retrySchedule: [] });
    onCleanup(() => inspector.close());
    const [one, two] = inspector.suppliers;
    expect([one?.id, two?.id]).toEqual(["mock-1", "mock-2"]);
    expect(one?.supplier.apiKey).not.toBe(two?.supplier.apiKey);
    expect(two?.url).toBe(`${new URL(inspector.url).origin}/mock-2/octo`);
    const api = async (path: string, body?: unknown) => {
      const response = await fetch(new URL(path, inspector.url), {
        method: body === undefined ? "GET" : "POST",
        headers: body === undefined ? {} : { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, value: await response.json() };
    };
    const state = await api("/api/state");
    expect(state.value.suppliers).toEqual([
      { id: "mock-1", url: one?.url, apiKey: one?.supplier.apiKey },
      { id: "mock-2", url: two?.url, apiKey: two?.supplier.apiKey },
    ]);
    for (const supplier of ["mock-1", "mock-2"]) {
      const created = await api("/api/subscriptions", {
        supplier,
        event: "booking_update",
        url: `${receiver.url}/${supplier}`,
        username: "octo",
        password: PASSWORD,
      });
      expect(created.status, JSON.stringify(created.value)).toBe(202);
      expect(created.value.supplier).toBe(supplier);
    }
    expect(
      (await api("/api/subscriptions", { supplier: "mock-9", event: "x", url: receiver.url })).status,
    ).toBe(400);
    const subscriptions = await api("/api/subscriptions");
    expect(
      subscriptions.value.map((s: { supplier: string; url: string }) => [
        s.supplier,
        new URL(s.url).pathname,
      ]),
    ).toEqual([
      ["mock-1", "/webhooks/octo/mock-1"],
      ["mock-2", "/webhooks/octo/mock-2"],
    ]);
    // each supplier's endpoint through the inspector's port, with its own key only
    const list = (url: string, key: string) =>
      fetch(`${url}/webhooks`, {
        headers: { authorization: `Bearer ${key}`, "octo-capabilities": "octo/webhooks" },
      });
    expect((await list(two?.url as string, two?.supplier.apiKey as string)).status).toBe(200);
    expect((await list(two?.url as string, one?.supplier.apiKey as string)).status).toBe(401);

    const stream = readStream(new URL("/api/stream", inspector.url).href);
    const sent = await api("/api/send", { kind: "cancel" });
    expect(sent).toEqual({ status: 202, value: { deliveries: ["mock-1.d1", "mock-2.d1"] } });
    const fromTwo = await stream.waitFor((e) => e.id === "mock-2.d1" && e.state === "delivered");
    expect(fromTwo).toMatchObject({ supplier: "mock-2", status: 200 });
    await stream.waitFor((e) => e.id === "mock-1.d1" && e.state === "delivered");
    const deliveries = await api("/api/deliveries");
    expect(deliveries.value.map((d: { id: string; supplier: string }) => `${d.supplier} ${d.id}`)).toEqual([
      "mock-1 mock-1.d1",
      "mock-2 mock-2.d1",
    ]);
    const replayed = await api("/api/deliveries/mock-2.d1/replay", {});
    expect(replayed).toEqual({ status: 202, value: { delivery: "mock-2.d2" } });
    await stream.waitFor((e) => e.id === "mock-2.d2" && e.supplier === "mock-2" && e.state === "delivered");
    expect(receiver.received.map((r) => r.status)).toEqual([200, 200, 200]);
    // only the one named sends
    expect((await api("/api/send", { kind: "confirm", supplier: "mock-1" })).value).toEqual({
      deliveries: ["mock-1.d2"],
    });
  });

  it("the binary registers --to at every supplier (:supplier becomes its id) and prints each one's key", async () => {
    const receiver = await startFlakyReceiver("octo", PASSWORD);
    const to = `${receiver.url}/:supplier`;
    const dev = start([
      "dev",
      "--port",
      "0",
      "--count",
      "2",
      "--to",
      to,
      "--user",
      "octo",
      "--pass",
      PASSWORD,
    ]);
    const [, url] = await dev.waitFor(/Inspector on (http:\/\/\S+)/);
    await dev.waitFor(/webhooks: booking_update, availability_update → /);
    const printed = [...dev.stdout.matchAll(/(mock-\d) +(http:\/\/\S+) +api key (\S+)/g)].map((m) =>
      m.slice(1),
    );
    expect(printed.map(([id]) => id)).toEqual(["mock-1", "mock-2"]);
    expect(new Set(printed.map(([, , key]) => key)).size).toBe(2);
    const subscriptions = await (await fetch(new URL("/api/subscriptions", url))).json();
    expect(
      subscriptions.map(
        (s: { supplier: string; event: string; url: string }) =>
          `${s.supplier} ${s.event} ${new URL(s.url).pathname}`,
      ),
    ).toEqual([
      "mock-1 booking_update /webhooks/octo/mock-1",
      "mock-1 availability_update /webhooks/octo/mock-1",
      "mock-2 booking_update /webhooks/octo/mock-2",
      "mock-2 availability_update /webhooks/octo/mock-2",
    ]);
    const sent = await fetch(new URL("/api/send", url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "availability" }),
    });
    expect(sent.status).toBe(202);
    await dev.waitFor(
      /mock-2 \S+ ✓ d1 #1 availability_update → http:\/\/127\.0\.0\.1:\d+\/webhooks\/octo\/mock-2 200/,
    );
    await dev.waitFor(/mock-1 \S+ ✓ d1 #1 availability_update/);
    expect(dev.stdout + dev.stderr).not.toContain(PASSWORD);
    expect(await dev.stop()).toBe(0);
    const both = start(["dev", "--port", "0", "--count", "2", "--api-key", "k"]);
    expect(await both.exited).toBe(1);
    expect(both.stderr).toMatch(/--api-key and --count do not go together/);
  });
});
