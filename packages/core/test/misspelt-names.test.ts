// Misspelt names are refused with the name meant: event names given to on(), and options, in core's
// name or in the adapter's.
import { describe, expect, it } from "vitest";
import { adapterWebhooks } from "../src/adapter.ts";
import { createOctoWebhooks, OctoWebhooksError } from "../src/index.ts";
import { editDistance, nearest } from "../src/receiver/nearest.ts";
import { bookingBody, post } from "./helpers.ts";

const silent = { auth: "none", logger: {} } as const;

describe("event names given to on()", () => {
  it.each([
    ["booking.cancelld", "booking.cancelled"],
    ["booking_updated", "booking_update"],
    ["Booking_Update", "booking_update"],
    ["availabilty_update", "availability_update"],
    ["booking.confirm", "booking.confirmed"],
  ])("refuses %s with a did-you-mean of %s", (typo, meant) => {
    const webhooks = createOctoWebhooks(silent);
    let caught: unknown;
    try {
      webhooks.on(typo, () => undefined);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OctoWebhooksError);
    expect((caught as OctoWebhooksError).code).toBe("CONFIG_INVALID");
    expect((caught as Error).message).toContain(`did you mean "${meant}"?`);
    expect((caught as Error).message).toMatch(/^\[@octo-webhooks\/core\] on\(/);
  });

  it("refuses a booking.* name that is no lifecycle event, listing them", () => {
    const webhooks = createOctoWebhooks(silent);
    expect(() => webhooks.on("booking.whatever_happened", () => undefined)).toThrow(
      /no such event; lifecycle events are booking\.on_hold, booking\.confirmed/,
    );
  });

  it("refuses a typo inside a list, registering none of the list", async () => {
    const seen: string[] = [];
    const webhooks = createOctoWebhooks(silent);
    expect(() => webhooks.on(["booking.confirmed", "booking.cancelld"], () => void seen.push("x"))).toThrow(
      /booking\.cancelled/,
    );
    await webhooks.handle(post(bookingBody()));
    expect(seen).toEqual([]);
  });

  it("registers known events, newer OCTO events, names far from any, and custom: names as given", async () => {
    const seen: string[] = [];
    const webhooks = createOctoWebhooks(silent);
    webhooks.on("booking.confirmed", () => void seen.push("lifecycle"));
    webhooks.on("order_update", () => void seen.push("order"));
    webhooks.on("gift_card_issued", () => void seen.push("gift"));
    webhooks.on("custom:booking_updated", () => void seen.push("custom"));
    await webhooks.handle(post(bookingBody()));
    await webhooks.handle(post({ webhook: { event: "order_update" }, order: { id: "o-1", bookings: [] } }));
    await webhooks.handle(post({ webhook: { event: "gift_card_issued" } }));
    await webhooks.handle(post({ webhook: { event: "booking_updated" } }));
    expect(seen).toEqual(["lifecycle", "order", "gift", "custom"]);
  });
});

describe("option names", () => {
  it.each([
    [{ onBookingUpdat: () => undefined }, "`onBookingUpdat`; did you mean `onBookingUpdate`?"],
    [{ onBookingCanceled: () => undefined }, "did you mean `onBookingCancelled`?"],
    [{ maxBodyByte: 10 }, "did you mean `maxBodyBytes`?"],
    [{ ackfirst: true }, "did you mean `ackFirst`?"],
  ])("createOctoWebhooks refuses %o", (options, message) => {
    expect(() => createOctoWebhooks({ ...silent, ...(options as object) })).toThrow(message);
  });

  it("refuses an on* option that is no handler, listing the handler options", () => {
    expect(() => createOctoWebhooks({ ...silent, onSomethingElse: () => undefined } as object)).toThrow(
      /unknown option `onSomethingElse`; the handler options are onBookingUpdate, onAvailabilityUpdate, onOrderUpdate, onProductUpdate, /,
    );
  });

  it("every adapter refuses a misspelt option in its own name, with or without an existing receiver", () => {
    const typo = { path: "/hooks", onBookingUpdat: () => undefined } as object;
    expect(() => adapterWebhooks(typo, "@octo-webhooks/express")).toThrow(
      /^\[@octo-webhooks\/express\] unknown option `onBookingUpdat`; did you mean `onBookingUpdate`\?$/,
    );
    const existing = createOctoWebhooks(silent);
    expect(() => adapterWebhooks({ ...typo, webhooks: existing }, "@octo-webhooks/koa")).toThrow(
      /^\[@octo-webhooks\/koa\] unknown option `onBookingUpdat`; did you mean `onBookingUpdate`\?$/,
    );
    expect(() => adapterWebhooks({ webhook: existing } as object, "@octo-webhooks/hono")).toThrow(
      "did you mean `webhooks`?",
    );
  });

  it("a handler given beside an existing receiver still registers on it", async () => {
    const seen: string[] = [];
    const existing = createOctoWebhooks(silent);
    adapterWebhooks({ webhooks: existing, onBookingConfirmed: () => void seen.push("c") }, "x");
    expect((await existing.handle(post(bookingBody()))).status).toBe(200);
    expect(seen).toEqual(["c"]);
  });

  it("refuses an auth string other than none", () => {
    expect(() => createOctoWebhooks({ auth: "open" as "none" })).toThrow(/`auth` must be an object/);
  });
});

describe("the edit distance", () => {
  it("counts insertions, deletions and substitutions, and stops past its bound", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("abc", "abc")).toBe(0);
    expect(editDistance("a", "abcdefgh", 2)).toBe(3);
    expect(nearest("zzz", ["booking_update"])).toBeUndefined();
  });
});

describe("misspelt settings that used to leave the endpoint open or unreachable", () => {
  it.each(["supliers", "supplier", "Suppliers"])(
    "`%s` is refused with a did you mean `suppliers`",
    (name) => {
      expect(() =>
        createOctoWebhooks({ [name]: { peek: { auth: { basic: { username: "u", password: "p" } } } } }),
      ).toThrow(/did you mean `suppliers`\?/);
    },
  );

  it("a path parameter other than :supplier is refused at start, by core and by an adapter", () => {
    expect(() => createOctoWebhooks({ path: "/webhooks/octo/:suplier" })).toThrow(
      /`path` has the parameter `:suplier`; the only one is `:supplier`: did you mean `:supplier`\?/,
    );
    expect(() => adapterWebhooks({ path: "/webhooks/:tenant/octo" }, "@octo-webhooks/express")).toThrow(
      /^\[@octo-webhooks\/express\] `path` has the parameter `:tenant`; the only one is `:supplier`/,
    );
    expect(createOctoWebhooks({ path: "/webhooks/octo/:supplier" })).toBeDefined();
  });
});
