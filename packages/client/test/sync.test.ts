import { describe, expect, it } from "vitest";
import type { WebhookInput } from "../src/index.ts";
import { client, rawServer, supplier } from "./helpers.ts";

const BOOKINGS = "https://octo:hook-pass@shop.example/webhooks/octo";
const AVAILABILITY = "https://shop.example/webhooks/availability";

const desired: WebhookInput[] = [
  { event: "booking_update", url: BOOKINGS, retryOnError: true },
  { event: "availability_update", url: AVAILABILITY, headers: { "x-api-key": "k1" } },
];

describe("sync", () => {
  it("creates what is missing, deletes what is not desired, keeps the rest; twice changes nothing", async () => {
    const s = await supplier();
    const octo = client(s.url);
    const stray = await octo.webhooks.create({ event: "booking_update", url: "https://old.example/hook" });

    const first = await octo.webhooks.sync(desired);
    expect(first.created.map((w) => [w.event, w.url])).toEqual([
      ["booking_update", BOOKINGS],
      ["availability_update", AVAILABILITY],
    ]);
    expect(first.deleted.map((w) => w.id)).toEqual([stray.id]);
    expect(first).toMatchObject({ updated: [], kept: [], changed: true });

    const callsBefore = s.requests.length;
    const second = await octo.webhooks.sync(desired);
    expect(second).toMatchObject({ created: [], updated: [], deleted: [], changed: false });
    expect(second.kept.map((w) => w.id).sort()).toEqual(first.created.map((w) => w.id).sort());
    // the second run only listed
    expect(s.requests.slice(callsBefore).map((r) => r.method)).toEqual(["GET"]);
    expect(s.webhooks.map((w) => [w.event, w.url])).toEqual([
      ["booking_update", BOOKINGS],
      ["availability_update", AVAILABILITY],
    ]);
  });

  it("updates changed fields through PATCH, in place (same id)", async () => {
    const s = await supplier();
    const octo = client(s.url);
    await octo.webhooks.sync(desired);
    const before = s.webhooks;
    const changed: WebhookInput[] = [
      { ...(desired[0] as WebhookInput), retryOnError: false },
      { ...(desired[1] as WebhookInput), headers: { "X-Api-Key": "k2" } },
    ];
    const result = await octo.webhooks.sync(changed);
    expect(result.updated.map((u) => [u.via, u.changes, u.webhook.id === u.previous.id])).toEqual([
      ["patch", ["retryOnError"], true],
      ["patch", ["headers"], true],
    ]);
    expect(s.webhooks.map((w) => w.id)).toEqual(before.map((w) => w.id));
    expect(s.webhooks.map((w) => [w.retryOnError, w.headers])).toEqual([
      [false, {}],
      [true, { "X-Api-Key": "k2" }],
    ]);
    expect(s.requests.filter((r) => r.method === "PATCH")).toHaveLength(2);
    expect((await octo.webhooks.sync(changed)).changed).toBe(false);
  });

  it("falls back to delete + create when the supplier has no PATCH, says so, and remembers", async () => {
    const s = await supplier({ supportsPatch: false });
    const octo = client(s.url);
    const [original] = (await octo.webhooks.sync(desired)).created;
    const result = await octo.webhooks.sync([
      { ...(desired[0] as WebhookInput), retryOnError: false },
      desired[1] as WebhookInput,
    ]);
    expect(result.updated).toHaveLength(1);
    expect(result.updated[0]).toMatchObject({
      via: "recreate",
      changes: ["retryOnError"],
      previous: { id: original?.id },
    });
    expect(result.updated[0]?.webhook.id).not.toBe(original?.id);
    expect(s.webhooks.map((w) => [w.event, w.retryOnError])).toEqual([
      ["availability_update", true],
      ["booking_update", false],
    ]);
    // the create happened before the delete, so no delivery was missed in between
    const methods = s.requests.map((r) => r.method);
    expect(methods.slice(methods.indexOf("PATCH"))).toEqual(["PATCH", "POST", "DELETE"]);

    await octo.webhooks.sync([
      { ...(desired[0] as WebhookInput), retryOnError: true },
      desired[1] as WebhookInput,
    ]);
    expect(s.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
  });

  it('`update: "patch"` refuses to fall back, `update: "recreate"` never patches', async () => {
    const s = await supplier({ supportsPatch: false });
    const octo = client(s.url);
    await octo.webhooks.sync(desired);
    const change = [{ ...(desired[0] as WebhookInput), useContactLanguage: true }];
    await expect(octo.webhooks.sync(change, { update: "patch", prune: false })).rejects.toMatchObject({
      status: 404,
    });

    const patchable = await supplier();
    const other = client(patchable.url);
    await other.webhooks.sync(desired);
    const result = await other.webhooks.sync(change, { update: "recreate", prune: false });
    expect(result.updated.map((u) => u.via)).toEqual(["recreate"]);
    expect(patchable.requests.some((r) => r.method === "PATCH")).toBe(false);
  });

  it("removes duplicates of a desired webhook, keeping one that needs no change", async () => {
    const s = await supplier();
    const octo = client(s.url);
    const wrong = await octo.webhooks.create({ event: "booking_update", url: BOOKINGS, retryOnError: false });
    const right = await octo.webhooks.create({ event: "booking_update", url: BOOKINGS, retryOnError: true });
    const result = await octo.webhooks.sync([desired[0] as WebhookInput]);
    expect(result.kept.map((w) => w.id)).toEqual([right.id]);
    expect(result.deleted.map((w) => w.id)).toEqual([wrong.id]);
    expect(s.webhooks.map((w) => w.id)).toEqual([right.id]);
  });

  it("with prune: false leaves the webhooks it does not manage; plan() only looks", async () => {
    const s = await supplier();
    const octo = client(s.url);
    const other = await octo.webhooks.create({ event: "booking_update", url: "https://other.example/" });
    const plan = await octo.webhooks.plan(desired);
    expect(plan.create).toEqual(desired);
    expect(plan.delete).toEqual([{ webhook: other, reason: "not-desired" }]);
    expect(s.webhooks).toHaveLength(1);
    const result = await octo.webhooks.sync(desired, { prune: false });
    expect(result.deleted).toEqual([]);
    expect(s.webhooks).toHaveLength(3);
  });

  it("matches URLs as the same URL however they are spelt", async () => {
    const s = await supplier();
    const octo = client(s.url);
    await octo.webhooks.create({ event: "booking_update", url: "HTTPS://Shop.Example:443/webhooks/octo" });
    const result = await octo.webhooks.sync([
      { event: "booking_update", url: "https://shop.example/webhooks/octo" },
    ]);
    expect(result.changed).toBe(false);
  });

  it("does not update fields the supplier does not echo (or it would update on every run)", async () => {
    const server = await rawServer((req, res) => {
      const body =
        req.method === "GET" ? [{ id: "w1", event: "booking_update", url: "https://h.example/" }] : {};
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    const result = await client(server.url).webhooks.sync([
      { event: "booking_update", url: "https://h.example/", retryOnError: false, headers: { a: "b" } },
    ]);
    expect(result.changed).toBe(false);
    expect(server.count).toBe(1);
  });

  it("refuses a desired list with repeats or mistakes before calling the supplier, naming no credential", async () => {
    const s = await supplier();
    const octo = client(s.url);
    const repeat = octo.webhooks.sync([
      desired[0] as WebhookInput,
      { ...(desired[0] as WebhookInput), retryOnError: false },
    ]);
    await expect(repeat).rejects.toThrow(
      "desired[1] repeats booking_update https://***@shop.example/webhooks/octo",
    );
    await expect(repeat).rejects.not.toThrow("hook-pass");
    await expect(octo.webhooks.sync([{ event: "booking_update", url: "nope" }])).rejects.toThrow(
      "desired[0]: `url` must be an absolute http(s) URL",
    );
    await expect(octo.webhooks.sync({} as never)).rejects.toThrow("array");
    expect(s.requests).toEqual([]);
  });
});

describe("sync: capabilities and active (order_update with octo/cart)", () => {
  const ORDERS = "https://shop.example/webhooks/orders";

  it("creates an order_update webhook with octo/cart, reconciles capabilities and active, then changes nothing", async () => {
    const s = await supplier();
    const octo = client(s.url);
    const wanted: WebhookInput[] = [
      { event: "order_update", url: ORDERS, capabilities: ["octo/pricing"] },
      { event: "product_update", url: AVAILABILITY, active: true },
    ];
    const first = await octo.webhooks.sync(wanted);
    expect(first.created.map((w) => [w.event, w.capabilities, w.active])).toEqual([
      ["order_update", ["octo/cart", "octo/pricing"], true],
      ["product_update", [], true],
    ]);
    expect((await octo.webhooks.sync(wanted)).changed).toBe(false);

    const changed: WebhookInput[] = [
      { event: "order_update", url: ORDERS, capabilities: ["octo/pricing", "octo/content"] },
      { event: "product_update", url: AVAILABILITY, active: false },
    ];
    const result = await octo.webhooks.sync(changed);
    expect(result.updated.map((u) => [u.via, u.changes, u.webhook.id === u.previous.id])).toEqual([
      ["patch", ["capabilities"], true],
      ["patch", ["active"], true],
    ]);
    expect(s.webhooks.map((w) => [w.capabilities, w.active])).toEqual([
      [["octo/cart", "octo/pricing", "octo/content"], true],
      [[], false],
    ]);
    // the same capabilities in another order are not a change
    const reordered = [
      { ...(changed[0] as WebhookInput), capabilities: ["octo/content", "octo/cart", "octo/pricing"] },
      changed[1] as WebhookInput,
    ];
    expect((await octo.webhooks.sync(reordered)).changed).toBe(false);
  });

  it("an order_update webhook created without capabilities gets octo/cart after the client's", async () => {
    const s = await supplier();
    const octo = client(s.url, { capabilities: ["octo/pricing"] });
    const created = await octo.webhooks.create({ event: "order_update", url: ORDERS });
    expect(created.capabilities).toEqual(["octo/cart", "octo/pricing"]);
    const booking = await octo.webhooks.create({ event: "booking_update", url: BOOKINGS });
    expect(booking.capabilities).toEqual(["octo/pricing"]);
  });

  it("refuses bad capabilities and active before sending anything", async () => {
    const s = await supplier();
    const octo = client(s.url);
    const bad = [
      { event: "order_update", url: ORDERS, capabilities: "octo/cart" },
      { event: "order_update", url: ORDERS, capabilities: ["octo/cart, octo/pricing"] },
      { event: "order_update", url: ORDERS, active: "yes" },
    ] as unknown as WebhookInput[];
    for (const input of bad) {
      await expect(octo.webhooks.create(input)).rejects.toThrow(
        /^\[@octo-webhooks\/client\] `(capabilities|active)`/,
      );
    }
    expect(s.requests).toEqual([]);
  });
});
