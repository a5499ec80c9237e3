import { describe, expect, it } from "vitest";
import { matchesPath, supplierInPath } from "../src/adapter.ts";
import { createOctoWebhooks, type OctoWebhooksError, type SupplierConfig } from "../src/index.ts";
import { basic, bookingBody, capturingLogger, post } from "./helpers.ts";

const cred = (id: string) => ({ username: `${id}-user`, password: `${id}-secret-${id.length * 7919}` });
const configOf = (id: string): SupplierConfig => ({ auth: { basic: cred(id) } });
const authOf = (id: string) => basic(cred(id).username, cred(id).password);

describe("the :supplier path segment", () => {
  it("matches one segment and names it", () => {
    expect(matchesPath("/webhooks/octo/ventrata?x=1", "/webhooks/octo/:supplier")).toBe(true);
    expect(matchesPath("/webhooks/octo/ventrata/", "/webhooks/octo/:supplier")).toBe(true);
    expect(matchesPath("/webhooks/octo", "/webhooks/octo/:supplier")).toBe(false);
    expect(matchesPath("/webhooks/octo/a/b", "/webhooks/octo/:supplier")).toBe(false);
    expect(matchesPath("/hooks/peek/in", "/hooks/:supplier/in")).toBe(true);
    expect(supplierInPath("https://r.example/webhooks/octo/b%C3%B3kun", "/webhooks/octo/:supplier")).toBe(
      "bókun",
    );
    expect(supplierInPath("/webhooks/octo/peek", "/webhooks/octo")).toBeUndefined();
    expect(supplierInPath("/other/peek", "/webhooks/octo/:supplier")).toBeUndefined();
  });
});

describe("fetch() with a `path` (Workers, Bun, Deno, Next.js)", () => {
  const request = (url: string, authorization: string) =>
    new Request(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body: JSON.stringify(bookingBody({ uuid: "b-path" })),
    });

  it("reads the supplier from the path's :supplier segment: only that supplier's credentials pass", async () => {
    const seen: (string | undefined)[] = [];
    const webhooks = createOctoWebhooks({
      path: "/webhooks/octo/:supplier",
      suppliers: { ventrata: configOf("ventrata"), peek: configOf("peek") },
      onBookingUpdate: (_event, context) => void seen.push(context.supplier),
    });
    const own = await webhooks.fetch(request("https://r.example/webhooks/octo/peek", authOf("peek")));
    expect(own.status).toBe(200);
    expect(seen).toEqual(["peek"]);
    const crossed = await webhooks.fetch(request("https://r.example/webhooks/octo/ventrata", authOf("peek")));
    expect(crossed.status).toBe(401);
    expect(seen).toEqual(["peek"]);
  });

  it("answers 404 on any other path, without reading the body or running a handler", async () => {
    let calls = 0;
    const webhooks = createOctoWebhooks({
      auth: "none",
      path: "/webhooks/octo",
      onBookingUpdate: () => void calls++,
    });
    const other = await webhooks.fetch(request("https://r.example/other", "x"));
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect((await webhooks.fetch(request("https://r.example/webhooks/octo/", "x"))).status).toBe(200);
    expect(calls).toBe(1);
  });

  it("refuses a path that does not start with /", () => {
    expect(() => createOctoWebhooks({ auth: "none", path: "webhooks/octo" })).toThrow(
      /`path` must start with "\/"/,
    );
  });
});

describe("suppliers: the options", () => {
  it.each([
    [{ auth: { basic: cred("a") }, suppliers: { a: configOf("a") } }, /`auth` or `suppliers`, not both/],
    [{ suppliers: {} }, /at least one supplier/],
    [{ suppliers: { "a/b": configOf("a") } }, /letters, digits/],
    [{ suppliers: { a: { auth: { basic: cred("a") }, url: "x" } } }, /`a`: unknown key `url`/],
    [{ suppliers: { a: {} } }, /`a` needs `auth`/],
    [
      { suppliers: { a: { auth: { basic: { username: "u", password: "" } } } } },
      /`a`: auth: `basic.password`/,
    ],
    [{ suppliers: { a: configOf("a") }, supplierCacheMs: -1 }, /supplierCacheMs/],
  ])("refuses %j with a clear error", (options, message) => {
    expect(() => createOctoWebhooks(options as never)).toThrow(message);
  });
});

describe("suppliers: identification", () => {
  it("answers 500 and logs both ids when two suppliers accept the same credentials", async () => {
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({ logger, suppliers: { a: configOf("x"), b: configOf("x") } });
    const answer = await webhooks.handle(post(bookingBody(), { authorization: authOf("x") }));
    expect(answer.status).toBe(500);
    expect(logger.lines.join("\n")).toContain("suppliers a and b accept the same credentials");
    expect(logger.lines.join("\n")).not.toContain(cred("x").password);
  });

  it("a lookup function needs the path's supplier: 500 without it, with a log saying how to mount", async () => {
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({ logger, suppliers: async () => configOf("a") });
    expect((await webhooks.handle(post(bookingBody(), { authorization: authOf("a") }))).status).toBe(500);
    expect(logger.lines.join("\n")).toContain("/webhooks/octo/:supplier");
  });

  it("a failed lookup answers 500 and is not cached: the retry asks again", async () => {
    let calls = 0;
    const webhooks = createOctoWebhooks({
      logger: capturingLogger(),
      suppliers: async (id) => {
        calls++;
        if (calls === 1) throw new Error("database down");
        return configOf(id);
      },
    });
    const request = { ...post(bookingBody(), { authorization: authOf("a") }), supplier: "a" };
    expect((await webhooks.handle(request)).status).toBe(500);
    expect((await webhooks.handle(request)).status).toBe(200);
    expect(calls).toBe(2);
  });

  it("a supplier added to the database is found once the cache of its absence ends", async () => {
    const known = new Map<string, SupplierConfig>();
    const webhooks = createOctoWebhooks({ suppliers: (id) => known.get(id), supplierCacheMs: 20 });
    const request = { ...post(bookingBody(), { authorization: authOf("new") }), supplier: "new" };
    expect((await webhooks.handle(request)).status).toBe(401);
    known.set("new", configOf("new"));
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect((await webhooks.handle(request)).status).toBe(200);
  });

  it("receive() takes the supplier a queue passes on, into context.supplier and the store keys", async () => {
    const seen: (string | undefined)[] = [];
    const webhooks = createOctoWebhooks({
      dedupe: true,
      onBookingUpdate: (_booking, context) => void seen.push(context.supplier),
    });
    await webhooks.receive(bookingBody(), { supplier: "peek" });
    await webhooks.receive(bookingBody(), { supplier: "bokun" });
    const again = await webhooks.receive(bookingBody(), { supplier: "peek" });
    expect(seen).toEqual(["peek", "bokun"]);
    expect(again.skipped).toBe("duplicate");
    await expect(webhooks.receive(bookingBody(), { supplier: "a b" })).rejects.toThrow(/supplier id/);
  });

  it("a handler failure names the supplier in the log and in onError, never its secret", async () => {
    const logger = capturingLogger();
    const errors: OctoWebhooksError[] = [];
    const webhooks = createOctoWebhooks({
      logger,
      suppliers: { peek: configOf("peek") },
      onBookingUpdate: () => {
        throw new Error("boom");
      },
      onError: (error) => void errors.push(error),
    });
    const answer = await webhooks.handle({
      ...post(bookingBody(), { authorization: authOf("peek") }),
      supplier: "peek",
    });
    expect(answer.status).toBe(500);
    expect(errors.map((e) => e.supplier)).toEqual(["peek"]);
    expect(logger.lines.join("\n")).toContain("(supplier peek)");
    expect(logger.lines.join("\n")).not.toContain(cred("peek").password);
  });
});

describe("suppliers looked up per request under load", () => {
  it("1,000 deliveries across 50 suppliers: each handler sees its own supplier, cross-supplier credentials are refused", async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `supplier-${i}`);
    let lookups = 0;
    const seen = new Map<string, string | undefined>();
    const webhooks = createOctoWebhooks({
      dedupe: true,
      suppliers: async (id) => {
        lookups++;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
        return ids.includes(id) ? configOf(id) : undefined;
      },
      onBookingUpdate: ({ booking }, context) => void seen.set(booking.uuid, context.supplier),
    });
    const answers = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const path = ids[i % 50] as string;
        // every fifth delivery carries another supplier's credentials
        const signer = i % 5 === 4 ? (ids[(i + 7) % 50] as string) : path;
        const body = bookingBody({ uuid: `b-${i}-${signer}` });
        const answer = await webhooks.handle({
          ...post(body, { authorization: authOf(signer) }),
          supplier: path,
        });
        return { i, path, signer, status: answer.status };
      }),
    );
    for (const { i, path, signer, status } of answers) {
      expect(status).toBe(path === signer ? 200 : 401);
      expect(seen.get(`b-${i}-${signer}`)).toBe(path === signer ? path : undefined);
    }
    expect(seen.size).toBe(800);
    // one lookup per supplier, shared by the concurrent deliveries while it was pending
    expect(lookups).toBe(50);
  });
});

describe("suppliers: what unauthenticated requests can make the lookup do", () => {
  it("10,000 requests with random ids make a bounded number of lookups and do not push a known supplier out", async () => {
    let lookups = 0;
    const webhooks = createOctoWebhooks({
      logger: {},
      suppliers: async (id) => {
        lookups++;
        return id === "peek" ? configOf("peek") : undefined;
      },
      onBookingUpdate: () => undefined,
    });
    const known = await webhooks.handle({
      ...post(bookingBody(), { authorization: authOf("peek") }),
      supplier: "peek",
    });
    expect(known.status).toBe(200);
    lookups = 0;
    for (let i = 0; i < 10_000; i++) {
      const answer = await webhooks.handle({ ...post(bookingBody()), supplier: `random-${i}` });
      expect(answer.status).toBe(401);
    }
    // a burst, then a rate (20 a second): far fewer than one per request
    expect(lookups).toBeLessThan(500);
    const again = await webhooks.handle({
      ...post(bookingBody({ uuid: "b-2" }), { authorization: authOf("peek") }),
      supplier: "peek",
    });
    expect(again.status).toBe(200);
    expect(lookups).toBeLessThan(501);
  });

  it("a supplier whose `verify` throws is answered 401, as an unknown one is (no 500 that tells which ids exist)", async () => {
    const logger = capturingLogger();
    const errors: string[] = [];
    const webhooks = createOctoWebhooks({
      logger,
      suppliers: {
        peek: {
          auth: {
            verify: () => {
              throw new Error("the signature library crashed");
            },
          },
        },
      },
      onError: (error) => void errors.push(error.code),
    });
    const throwing = await webhooks.handle({ ...post(bookingBody()), supplier: "peek" });
    const unknown = await webhooks.handle({ ...post(bookingBody()), supplier: "nobody" });
    expect(throwing.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(JSON.parse(throwing.body)).toEqual(JSON.parse(unknown.body));
    expect(errors).toEqual(["UNAUTHORIZED", "UNAUTHORIZED"]);
    expect(logger.lines.some((line) => line.startsWith("error") && line.includes("verify"))).toBe(true);
  });
});

describe("suppliers: a refusal traced to the supplier its path named", () => {
  const suppliers = { peek: configOf("peek") };

  it.each([
    ["a wrong password on peek's path", "peek", authOf("viator")],
    ["a path of a supplier that is not configured", "viator", authOf("peek")],
  ])(
    "%s: the warn line and onError name the claimed supplier; the answer stays the same 401",
    async (_name, path, authorization) => {
      const logger = capturingLogger();
      const errors: OctoWebhooksError[] = [];
      const webhooks = createOctoWebhooks({ logger, suppliers, onError: (error) => void errors.push(error) });
      const answer = await webhooks.handle({ ...post(bookingBody(), { authorization }), supplier: path });
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body).error.message).not.toContain(path);
      const warn = logger.lines.find((line) => line.startsWith("warn"));
      expect(warn).toContain(`refused a delivery for supplier ${path} (named by the path) with 401`);
      expect(errors[0]?.claimedSupplier).toBe(path);
      expect(errors[0]?.supplier).toBeUndefined();
    },
  );

  it("a receiver with suppliers says nothing of an open endpoint (it authenticates every delivery)", async () => {
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({ logger, suppliers, onBookingUpdate: () => undefined });
    await webhooks.handle({ ...post(bookingBody(), { authorization: authOf("peek") }), supplier: "peek" });
    expect(logger.lines.filter((line) => line.includes("no `auth` is configured"))).toEqual([]);
  });
});
