// What a notification's body can make a receiver do: identifiers of any size, a date range of any
// length, a resource that fans out into thousands of slots, keys that are not plain fields.
import { describe, expect, it } from "vitest";
import { createOctoWebhooks, type OctoHydrator, type OctoWebhooksError } from "../src/index.ts";
import { post } from "./helpers.ts";

const availabilityNote = (data: Record<string, unknown>) => ({
  type: "AVAILABILITY_UPDATE",
  data: { productId: "p-1", localDateStart: "2026-04-01", localDateEnd: "2026-04-01", ...data },
});

async function refusal(body: unknown, options: { hydrate?: OctoHydrator } = {}) {
  const errors: OctoWebhooksError[] = [];
  let hydrations = 0;
  const webhooks = createOctoWebhooks({
    logger: {},
    auth: "none",
    onNotification: () => undefined,
    onError: (error) => void errors.push(error),
    ...(options.hydrate
      ? {
          hydrate: (notification, context) => {
            hydrations++;
            return (options.hydrate as OctoHydrator)(notification, context);
          },
        }
      : {}),
  });
  const answer = await webhooks.handle(post(body));
  return {
    answer,
    body: JSON.parse(answer.body) as { error?: { code: string; message: string } },
    errors,
    hydrations,
  };
}

describe("notifications: identifiers and ranges are bounded before anything reads them", () => {
  it("a 512 KB productId is refused with 400 naming the limit, and never reaches the hydrator", async () => {
    const { answer, body, hydrations } = await refusal(
      { type: "PRODUCT_UPDATE", data: { productId: "p".repeat(512 * 1024) } },
      { hydrate: async () => ({ id: "p" }) },
    );
    expect(answer.status).toBe(400);
    expect(body.error?.message).toContain("data.productId");
    expect(body.error?.message).toContain("longer than 256 characters");
    expect(answer.body.length).toBeLessThan(1000);
    expect(hydrations).toBe(0);
  });

  it("a booking uuid of 256 characters is accepted (the limit is inclusive)", async () => {
    const { answer } = await refusal({ type: "BOOKING_UPDATE", data: { uuid: "b".repeat(256) } });
    expect(answer.status).toBe(200);
  });

  it.each([
    ["0001-01-01", "9999-12-31", "spans more than 366 days"],
    ["2026-01-01", "2027-01-02", "spans more than 366 days"],
    ["2026-04-02", "2026-04-01", "before its"],
    ["soon", "2026-04-01", "not a date"],
    ["2026-04-01", "later", "not a date"],
  ])("an AVAILABILITY_UPDATE from %s to %s is refused with 400 (%s)", async (start, end, why) => {
    const { answer, body, hydrations } = await refusal(
      availabilityNote({ localDateStart: start, localDateEnd: end }),
      { hydrate: async () => [] },
    );
    expect(answer.status).toBe(400);
    expect(body.error?.message).toContain(why);
    expect(hydrations).toBe(0);
  });

  it("a year of availability (366 days, both ends included) is accepted", async () => {
    const { answer } = await refusal(
      availabilityNote({ localDateStart: "2028-01-01", localDateEnd: "2028-12-31" }),
    );
    expect(answer.status).toBe(200);
  });

  it("a resource of more than 5,000 slots is refused with 422 RESOURCE_TOO_LARGE naming the cap; no handler runs", async () => {
    let handled = 0;
    const errors: OctoWebhooksError[] = [];
    const webhooks = createOctoWebhooks({
      logger: {},
      auth: "none",
      hydrate: async () =>
        Array.from({ length: 20_000 }, (_, i) => ({ id: `slot-${i}`, status: "AVAILABLE" })),
      onAvailabilityUpdate: () => void handled++,
      onError: (error) => void errors.push(error),
    });
    const answer = await webhooks.handle(post(availabilityNote({})));
    expect(answer.status).toBe(422);
    const { error } = JSON.parse(answer.body) as { error: { code: string; message: string } };
    expect(error.code).toBe("RESOURCE_TOO_LARGE");
    expect(error.message).toContain("at most 5000");
    expect(handled).toBe(0);
    expect(errors.map((e) => e.code)).toEqual(["RESOURCE_TOO_LARGE"]);
  });

  it("5,000 slots are dispatched", async () => {
    let handled = 0;
    const webhooks = createOctoWebhooks({
      logger: {},
      hydrate: async () => Array.from({ length: 5000 }, (_, i) => ({ id: `slot-${i}`, status: "AVAILABLE" })),
      onAvailabilityUpdate: () => void handled++,
    });
    await webhooks.receive(availabilityNote({}));
    expect(handled).toBe(5000);
  });

  it("a `__proto__` key in data is an own field of the object handlers get, never its prototype", async () => {
    const seen: Array<Record<string, unknown>> = [];
    const webhooks = createOctoWebhooks({
      logger: {},
      onNotification: (notification) => void seen.push(notification.data as Record<string, unknown>),
    });
    await webhooks.receive(
      '{"type":"BOOKING_UPDATE","data":{"uuid":"b-1","__proto__":{"polluted":true,"status":"FAKE"}}}',
    );
    const [data] = seen;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect((data as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.hasOwn(data as object, "__proto__")).toBe(true);
    expect(data?.uuid).toBe("b-1");
  });
});
