import { describe, expect, it } from "vitest";
import {
  createOctoWebhooks,
  type HandlerContext,
  type OctoNotification,
  OctoRequestError,
  type OctoWebhooksError,
} from "../src/index.ts";
import { capturingLogger, post } from "./helpers.ts";

const handle = (webhooks: ReturnType<typeof createOctoWebhooks>, body: unknown) =>
  webhooks.handle(post(body));

describe("notification bodies: recognised, normalised, onNotification", () => {
  const variants: Array<[string, unknown, OctoNotification]> = [
    [
      "booking uuid",
      { type: "BOOKING_UPDATE", data: { uuid: "b-1" } },
      { type: "BOOKING_UPDATE", data: { uuid: "b-1" } },
    ],
    [
      "bookingUuid",
      { type: "booking_update", data: { bookingUuid: "b-2" } },
      { type: "BOOKING_UPDATE", data: { uuid: "b-2" } },
    ],
    [
      "booking_uuid",
      { type: "Booking_Update", data: { booking_uuid: "b-3" } },
      { type: "BOOKING_UPDATE", data: { uuid: "b-3" } },
    ],
    [
      "bookingId",
      { type: "BOOKING_UPDATE", data: { bookingId: "b-4" } },
      { type: "BOOKING_UPDATE", data: { uuid: "b-4" } },
    ],
    [
      "availability camelCase",
      {
        type: "AVAILABILITY_UPDATE",
        data: { productId: "p", optionId: "o", localDateStart: "2026-01-01", localDateEnd: "2026-01-02" },
      },
      {
        type: "AVAILABILITY_UPDATE",
        data: { productId: "p", optionId: "o", localDateStart: "2026-01-01", localDateEnd: "2026-01-02" },
      },
    ],
    [
      "availability snake_case, unknown fields kept",
      {
        type: "availability_update",
        data: {
          product_id: "p",
          option_id: "o",
          local_date_start: "2026-01-01",
          local_date_end: "2026-01-03",
          units: 4,
        },
      },
      {
        type: "AVAILABILITY_UPDATE",
        data: {
          productId: "p",
          optionId: "o",
          localDateStart: "2026-01-01",
          localDateEnd: "2026-01-03",
          units: 4,
        },
      },
    ],
    [
      "availability of one localDate, no option",
      { type: "AVAILABILITY_UPDATE", data: { productId: "p", localDate: "2026-02-01" } },
      {
        type: "AVAILABILITY_UPDATE",
        data: { productId: "p", localDateStart: "2026-02-01", localDateEnd: "2026-02-01" },
      },
    ],
    [
      "product productId",
      { type: "PRODUCT_UPDATE", data: { productId: "p-1" } },
      { type: "PRODUCT_UPDATE", data: { productId: "p-1" } },
    ],
    [
      "product product_id",
      { type: "product_update", data: { product_id: "p-2" } },
      { type: "PRODUCT_UPDATE", data: { productId: "p-2" } },
    ],
    [
      "product id",
      { type: "PRODUCT_UPDATE", data: { id: "p-3", name: "Tour" } },
      { type: "PRODUCT_UPDATE", data: { productId: "p-3", name: "Tour" } },
    ],
  ];
  it.each(variants)(
    "%s reaches onNotification normalised, with 200 and no hydrate",
    async (_name, body, expected) => {
      const seen: Array<[OctoNotification, HandlerContext]> = [];
      const webhooks = createOctoWebhooks({ onNotification: (n, context) => void seen.push([n, context]) });
      const answer = await handle(webhooks, body);
      expect(answer.status).toBe(200);
      expect(seen).toHaveLength(1);
      expect(seen[0]?.[0]).toEqual(expected);
      expect(seen[0]?.[1].source).toBe("notification");
      expect(seen[0]?.[1].event).toBe("notification");
      expect(seen[0]?.[1].notification).toEqual(expected);
    },
  );

  const invalid: Array<[string, unknown, string]> = [
    ["no data", { type: "BOOKING_UPDATE" }, "data"],
    ["data not an object", { type: "BOOKING_UPDATE", data: "b-1" }, "data"],
    ["no booking uuid", { type: "BOOKING_UPDATE", data: { other: 1 } }, "data.uuid"],
    ["empty uuid", { type: "BOOKING_UPDATE", data: { uuid: "" } }, "data.uuid"],
    [
      "no product",
      { type: "AVAILABILITY_UPDATE", data: { localDateStart: "a", localDateEnd: "b" } },
      "data.productId",
    ],
    ["no dates", { type: "AVAILABILITY_UPDATE", data: { productId: "p" } }, "data.localDateStart"],
    [
      "no end date",
      { type: "AVAILABILITY_UPDATE", data: { productId: "p", localDateStart: "a" } },
      "data.localDateEnd",
    ],
    ["product id a number", { type: "PRODUCT_UPDATE", data: { productId: 7 } }, "data.productId"],
  ];
  it.each(invalid)("400 naming the field for %s", async (_name, body, path) => {
    const errors: OctoWebhooksError[] = [];
    const webhooks = createOctoWebhooks({
      onNotification: () => undefined,
      onError: (e) => void errors.push(e),
    });
    const answer = await handle(webhooks, body);
    expect(answer.status).toBe(400);
    const { error } = JSON.parse(answer.body) as {
      error: { message: string; issues: Array<{ path: string }> };
    };
    expect(error.message).toContain(`\`${path}\``);
    expect(error.issues[0]?.path).toBe(path);
    expect(errors[0]?.code).toBe("INVALID_BODY");
  });

  it("a webhook with a `type` field stays a webhook; another type is not a notification", async () => {
    const seen: string[] = [];
    const webhooks = createOctoWebhooks({
      onNotification: () => void seen.push("notification"),
      onBookingUpdate: () => void seen.push("booking_update"),
    });
    const webhook = {
      type: "BOOKING_UPDATE",
      webhook: { event: "booking_update" },
      booking: { uuid: "b", status: "CONFIRMED" },
    };
    expect((await handle(webhooks, webhook)).status).toBe(200);
    expect((await handle(webhooks, { type: "ORDER_UPDATE", data: { id: "o" } })).status).toBe(400);
    expect(seen).toEqual(["booking_update"]);
  });

  it("receive() takes a notification; on('notification') and onAny see it; a webhook named notification does not reach it", async () => {
    const seen: string[] = [];
    const webhooks = createOctoWebhooks({ onAny: (_p, c) => void seen.push(`any:${c.event}`) });
    webhooks.on("notification", (n) => void seen.push(`on:${n.type}`));
    const result = await webhooks.receive({ type: "PRODUCT_UPDATE", data: { productId: "p" } });
    expect(result).toEqual({ event: "notification", handlers: 2 });
    await webhooks.receive({ webhook: { event: "notification" }, thing: {} });
    expect(seen).toEqual(["on:PRODUCT_UPDATE", "any:notification", "any:notification"]);
  });

  it("without hydrate, a re-sent notification runs again under dedupe (thin bodies of two changes are identical)", async () => {
    let runs = 0;
    const webhooks = createOctoWebhooks({ dedupe: true, onNotification: () => void runs++ });
    const body = { type: "BOOKING_UPDATE", data: { uuid: "b-1" } };
    expect((await handle(webhooks, body)).body).toBe('{"ok":true}');
    expect((await handle(webhooks, body)).body).toBe('{"ok":true}');
    expect(runs).toBe(2);
  });

  it("a throwing onNotification answers 500 so that the supplier retries", async () => {
    const logger = capturingLogger();
    const webhooks = createOctoWebhooks({
      logger,
      onNotification: () => {
        throw new Error("db down");
      },
    });
    const answer = await handle(webhooks, { type: "BOOKING_UPDATE", data: { uuid: "b-1" } });
    expect(answer.status).toBe(500);
    await expect(webhooks.receive({ type: "BOOKING_UPDATE", data: {} })).rejects.toBeInstanceOf(
      OctoRequestError,
    );
  });
});
