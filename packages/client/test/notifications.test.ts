import { describe, expect, it } from "vitest";
import { hydrators, OctoApiError, OctoClientError } from "../src/index.ts";
import { API_KEY, client, rawServer, supplier } from "./helpers.ts";

const URL_A = "https://octo:hook-pass@shop.example/notifications/octo";
const URL_B = "https://shop.example/other";
const signal = () => new AbortController().signal;

describe("client.notifications against the mock supplier", () => {
  it("creates, lists, gets, updates and deletes subscriptions; types sent upper case", async () => {
    const s = await supplier();
    const octo = client(s.url);
    const created = await octo.notifications.create({
      url: URL_A,
      notificationTypes: ["booking_update", "Product_Update"],
      headers: { "x-api-key": "h1" },
    });
    expect(created).toMatchObject({
      url: URL_A,
      notificationTypes: ["BOOKING_UPDATE", "PRODUCT_UPDATE"],
      headers: { "x-api-key": "h1" },
      active: true,
      retryOnError: true,
    });
    expect(await octo.notifications.get(created.id)).toEqual(created);
    const updated = await octo.notifications.update(created.id, {
      notificationTypes: ["AVAILABILITY_UPDATE"],
      active: false,
    });
    expect(updated).toMatchObject({
      id: created.id,
      notificationTypes: ["AVAILABILITY_UPDATE"],
      active: false,
    });
    expect((await octo.notifications.list()).map((x) => x.id)).toEqual([created.id]);
    await octo.notifications.delete(created.id);
    expect(await octo.notifications.list()).toEqual([]);
    const gone = await octo.notifications.get(created.id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(OctoApiError);
    expect((gone as OctoApiError).status).toBe(404);
    expect(s.requests.map((r) => r.path)[0]).toBe("/octo/notifications/subscriptions");
    expect(JSON.stringify(s.requests)).not.toContain(API_KEY);
  });

  it("sends the notifications capability; the vendor spelling or both when asked", async () => {
    const s = await supplier();
    await client(s.url, { capabilities: ["octo/pricing"] }).notifications.list();
    await client(s.url, { notificationsCapability: "octo/notifications" }).notifications.list();
    await client(s.url, { notificationsCapability: "both" }).notifications.list();
    await client(s.url).webhooks.list();
    expect(s.requests.map((r) => r.capabilities)).toEqual([
      ["notifications", "octo/pricing"],
      ["octo/notifications"],
      ["notifications", "octo/notifications"],
      ["octo/webhooks"],
    ]);
    expect(() => client(s.url, { notificationsCapability: "notif" as "both" })).toThrow(
      /notificationsCapability/,
    );
  });

  it("reads notification_types and lower-case types from a supplier's answer, keeping unknown fields", async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify([
          { id: 7, url: URL_B, notification_types: ["booking_update"], vendorField: "x" },
          { id: "s2", url: null, notificationTypes: ["Availability_Update"], headers: { a: "b" } },
        ]),
      );
    });
    const list = await client(server.url).notifications.list();
    expect(list).toEqual([
      { id: "7", url: URL_B, notificationTypes: ["BOOKING_UPDATE"], headers: {}, vendorField: "x" },
      { id: "s2", url: null, notificationTypes: ["AVAILABILITY_UPDATE"], headers: { a: "b" } },
    ]);
  });

  it("refuses an answer that is not a subscription, and bad input before sending", async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "x", url: URL_B }));
    });
    const octo = client(server.url);
    await expect(octo.notifications.get("x")).rejects.toThrow(
      /not a notification subscription \(invalid at notificationTypes\)/,
    );
    await expect(octo.notifications.create({ url: URL_B, notificationTypes: [] })).rejects.toThrow(
      /^\[@octo-webhooks\/client\] `notificationTypes` must be a non-empty list/,
    );
    await expect(
      octo.notifications.create({ url: "ftp://x", notificationTypes: ["BOOKING_UPDATE"] }),
    ).rejects.toThrow(/`url`/);
    await expect(octo.notifications.delete("..")).rejects.toThrow(/must not be ".."/);
    expect(server.count).toBe(1);
  });

  it("the mock supplier takes the draft's path spelling and field name", async () => {
    const s = await supplier();
    const answer = await fetch(`${s.url}/notifications/subcriptions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${API_KEY}`,
        "octo-capabilities": "octo/notifications",
        "content-type": "application/json",
      },
      body: JSON.stringify({ url: URL_B, notification_types: ["booking_update"], retryOnError: false }),
    });
    expect(answer.status).toBe(200);
    expect(s.subscriptions).toEqual([
      expect.objectContaining({ notificationTypes: ["BOOKING_UPDATE"], retryOnError: false }),
    ]);
    const noCapability = await fetch(`${s.url}/notifications/subscriptions`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(noCapability.status).toBe(400);
    expect(await noCapability.json()).toMatchObject({
      error: "BAD_REQUEST",
      errorMessage: expect.stringMatching(/Octo-Capabilities/),
    });
  });
});

describe("client.notifications.sync", () => {
  it("creates what is missing, then changes nothing; matches by URL and types in any order and case", async () => {
    const s = await supplier();
    const octo = client(s.url);
    const desired = [
      { url: URL_A, notificationTypes: ["BOOKING_UPDATE", "product_update"], headers: { "x-key": "1" } },
      { url: URL_B, notificationTypes: ["AVAILABILITY_UPDATE"] },
    ];
    const first = await octo.notifications.sync(desired);
    expect(first.created.map((x) => x.url)).toEqual([URL_A, URL_B]);
    expect(first.changed).toBe(true);
    const again = await octo.notifications.sync([
      { ...desired[0], notificationTypes: ["PRODUCT_UPDATE", "booking_update"] } as (typeof desired)[0],
      desired[1] as (typeof desired)[1],
    ]);
    expect(again).toMatchObject({ created: [], updated: [], deleted: [], changed: false });
    expect(again.kept).toHaveLength(2);
    expect(s.subscriptions).toHaveLength(2);
  });

  it("updates changed types and headers with PATCH, deletes duplicates and what is not desired", async () => {
    const s = await supplier();
    const octo = client(s.url);
    const a = await octo.notifications.create({ url: URL_A, notificationTypes: ["BOOKING_UPDATE"] });
    await octo.notifications.create({ url: URL_A, notificationTypes: ["BOOKING_UPDATE"] });
    const other = await octo.notifications.create({
      url: "https://old.example/x",
      notificationTypes: ["PRODUCT_UPDATE"],
    });
    const result = await octo.notifications.sync([
      { url: URL_A, notificationTypes: ["BOOKING_UPDATE", "AVAILABILITY_UPDATE"], headers: { "x-key": "2" } },
    ]);
    expect(result.updated).toEqual([
      expect.objectContaining({
        via: "patch",
        changes: ["notificationTypes", "headers"],
        previous: expect.objectContaining({ id: a.id }),
      }),
    ]);
    expect(result.deleted.map((x) => x.id)).toContain(other.id);
    expect(s.subscriptions).toEqual([
      expect.objectContaining({
        id: a.id,
        notificationTypes: ["BOOKING_UPDATE", "AVAILABILITY_UPDATE"],
        headers: { "x-key": "2" },
      }),
    ]);
    const plan = await octo.notifications.plan([
      { url: URL_A, notificationTypes: ["BOOKING_UPDATE", "AVAILABILITY_UPDATE"], headers: { "x-key": "2" } },
    ]);
    expect(plan).toMatchObject({ create: [], update: [], delete: [] });
  });

  it("recreates when the supplier has no PATCH, and refuses a URL listed twice", async () => {
    const s = await supplier({ supportsPatch: false });
    const octo = client(s.url);
    const a = await octo.notifications.create({ url: URL_A, notificationTypes: ["BOOKING_UPDATE"] });
    const result = await octo.notifications.sync([{ url: URL_A, notificationTypes: ["PRODUCT_UPDATE"] }]);
    expect(result.updated).toEqual([expect.objectContaining({ via: "recreate" })]);
    expect(s.subscriptions.map((x) => [x.id === a.id, x.notificationTypes])).toEqual([
      [false, ["PRODUCT_UPDATE"]],
    ]);
    await expect(
      octo.notifications.sync([
        { url: URL_A, notificationTypes: ["BOOKING_UPDATE"] },
        { url: URL_A, notificationTypes: ["PRODUCT_UPDATE"] },
      ]),
    ).rejects.toThrow(
      /desired\[1\] repeats https:\/\/\*\*\*@shop\.example\/notifications\/octo; list every type of a URL in one entry/,
    );
  });
});

describe("read calls and the hydrator", () => {
  it("reads a booking in its current state, the availability list and the product", async () => {
    const s = await supplier();
    const octo = client(s.url);
    await s.simulate.bookingLifecycle();
    await s.simulate.availabilityChange({ vacancies: 0 });
    const [uuid, current] = [...s.bookings][0] as [string, { status: string; productId: string }];
    const booking = await octo.bookings.get(uuid);
    expect(booking).toMatchObject({ uuid, status: "CANCELLED" });
    expect(current.status).toBe("CANCELLED");
    const product = await octo.products.get(booking.productId as string);
    expect(product.id).toBe(booking.productId);
    expect(s.deliveries).toEqual([]); // no webhook, no subscription: nothing delivered
    expect(s.reads.stats().requests).toEqual({ bookings: 1, availability: 0, orders: 0, products: 1 });
  });

  it("the hydrator fetches each type, resolves null for an unknown resource, rejects a failing read", async () => {
    const s = await supplier();
    const octo = client(s.url, { retries: 0 });
    await s.simulate.bookingUpdate({ status: "CONFIRMED" });
    const [uuid, booking] = [...s.bookings][0] as [
      string,
      { productId: string; availability: { localDateTimeStart: string } | null },
    ];
    const day = "2026-12-05"; // the slot of the factories' default createdAt
    await s.simulate.availabilityChange({ vacancies: 3, productId: booking.productId });

    const hydrate = octo.hydrator();
    const ctx = { signal: signal() };
    expect(await hydrate({ type: "BOOKING_UPDATE", data: { uuid } }, ctx)).toMatchObject({
      uuid,
      status: "CONFIRMED",
    });
    const slots = (await hydrate(
      {
        type: "AVAILABILITY_UPDATE",
        data: { productId: booking.productId, optionId: "DEFAULT", localDateStart: day, localDateEnd: day },
      },
      ctx,
    )) as Array<{ status: string; vacancies: number }>;
    expect(slots).toEqual([expect.objectContaining({ status: "LIMITED", vacancies: 3 })]);
    expect(
      await hydrate({ type: "PRODUCT_UPDATE", data: { productId: booking.productId } }, ctx),
    ).toMatchObject({ id: booking.productId });
    expect(await hydrate({ type: "BOOKING_UPDATE", data: { uuid: "no-such-booking" } }, ctx)).toBeNull();
    expect(await hydrate({ type: "PRODUCT_UPDATE", data: { productId: "nope" } }, ctx)).toBeNull();
    expect(
      await hydrate(
        { type: "AVAILABILITY_UPDATE", data: { productId: "nope", localDateStart: day, localDateEnd: day } },
        ctx,
      ),
    ).toBeNull();
    s.reads.configure({ failureRate: 1 });
    const failed = await hydrate({ type: "BOOKING_UPDATE", data: { uuid } }, ctx).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(OctoApiError);
    expect((failed as OctoApiError).status).toBe(503);
    expect(s.reads.stats().failed).toBe(1);
  });

  it("the mock's availability, as a receiver would see its slot date", async () => {
    const s = await supplier();
    await s.simulate.availabilityChange({ vacancies: 3 });
    const answer = await fetch(`${s.url}/availability`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ productId: "x" }),
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({
      error: "BAD_REQUEST",
      errorMessage: expect.stringMatching(/localDateStart/),
    });
  });

  it("hydrators(clients) fetches from the client of the delivery's supplier", async () => {
    const [one, two] = [await supplier({ seed: "one" }), await supplier({ seed: "two" })];
    await one.simulate.bookingUpdate({ status: "ON_HOLD" });
    await two.simulate.bookingUpdate({ status: "CONFIRMED" });
    const uuidOne = [...one.bookings.keys()][0] as string;
    const uuidTwo = [...two.bookings.keys()][0] as string;
    const hydrate = hydrators({ one: client(one.url), two: client(two.url) });
    const ctx = (supplier?: string) => ({ signal: signal(), supplier });
    expect(await hydrate({ type: "BOOKING_UPDATE", data: { uuid: uuidOne } }, ctx("one"))).toMatchObject({
      status: "ON_HOLD",
    });
    expect(await hydrate({ type: "BOOKING_UPDATE", data: { uuid: uuidTwo } }, ctx("two"))).toMatchObject({
      status: "CONFIRMED",
    });
    expect(await hydrate({ type: "BOOKING_UPDATE", data: { uuid: uuidOne } }, ctx("two"))).toBeNull();
    await expect(hydrate({ type: "BOOKING_UPDATE", data: { uuid: uuidOne } }, ctx("three"))).rejects.toThrow(
      /^\[@octo-webhooks\/client\] no client for supplier "three" in hydrators\(\) \(it has one, two\); add one$/,
    );
    await expect(hydrate({ type: "BOOKING_UPDATE", data: { uuid: uuidOne } }, ctx())).rejects.toThrow(
      /give the receiver `suppliers`/,
    );
    expect(() => hydrators({})).toThrow(OctoClientError);
  });

  it("treats the specification's 400 INVALID_BOOKING_UUID as gone, and stops when core's signal aborts", async () => {
    let held = 0;
    const server = await rawServer((req, res) => {
      if (req.url?.includes("slow")) {
        held++;
        return; // never answers: only the signal ends the read
      }
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: "INVALID_BOOKING_UUID",
          errorMessage: "The uuid was already used, missing or invalid",
          uuid: "x",
        }),
      );
    });
    const hydrate = client(server.url).hydrator();
    expect(await hydrate({ type: "BOOKING_UPDATE", data: { uuid: "x" } }, { signal: signal() })).toBeNull();
    const controller = new AbortController();
    const pending = hydrate(
      { type: "BOOKING_UPDATE", data: { uuid: "slow" } },
      { signal: controller.signal },
    );
    // the request is at the server (and held there) before the signal aborts it
    while (held === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error("core's hydration timeout"));
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OctoClientError);
    expect((error as OctoClientError).code).toBe("ABORTED");
    expect(held).toBe(1);
    await expect(hydrate({ type: "ORDER_UPDATE" } as never, { signal: signal() })).rejects.toThrow(
      /no read call fetches notifications of type ORDER_UPDATE; handle it with onNotification/,
    );
  });
});
