// What a body can make telemetry do: an event name from the body is a sender's string of any size, and
// it reaches error messages, span names and metric labels. Recorded by OpenTelemetry's own SDK.
import { recordTelemetry } from "@octo-webhooks/test-helpers/otel";
import { beforeEach, describe, expect, it } from "vitest";
import { createOctoWebhooks } from "../src/index.ts";
import { openTelemetry } from "../src/otel.ts";
import { scrub } from "../src/telemetry/otel-attributes.ts";

const otel = recordTelemetry();
beforeEach(() => otel.reset());

/**
 * An unmodelled event of about `size` characters, whose handler throws an error naming it: a credential
 * word, then a long run of spaces that no credential follows (what made the scrub's regex quadratic).
 */
const hostile = (size: number, mark = "x") => ({
  webhook: { event: `${mark} basic${" ".repeat(size)},` },
  transfer: { id: "t-1" },
});

function receiver() {
  const webhooks = createOctoWebhooks({ logger: {}, auth: "none", telemetry: openTelemetry() });
  webhooks.onAny((_payload, context) => {
    throw new Error(`cannot handle ${context.event}`);
  });
  return webhooks;
}

const seriesOf = async (name: string) =>
  new Set((await otel.points(name)).map(([attributes]) => String(attributes["octo.event"])));

describe("telemetry and event names from the body", () => {
  it("a 1 MB event name with a throwing handler is recorded in linear time (the scrub cuts before its regex)", async () => {
    const webhooks = receiver();
    const started = performance.now();
    await expect(webhooks.receive(hostile(1024 * 1024))).rejects.toMatchObject({ code: "HANDLER_FAILED" });
    // a 40 KB name took 6.3 s before (quadratic); a bound far above the linear cost, for a loaded machine
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("an unmodelled event is one metric series (`_OTHER`), whatever the names senders invent", async () => {
    const webhooks = receiver();
    for (let i = 0; i < 20; i++) {
      await webhooks.receive(hostile(10_000, `e${i}-`)).catch(() => undefined);
    }
    await webhooks.receive({ booking: { uuid: "b-1", status: "CONFIRMED" } }).catch(() => undefined);
    expect(await seriesOf("octo.webhook.deliveries")).toEqual(new Set(["_OTHER", "booking_update"]));
    expect(await seriesOf("octo.webhook.handler.duration")).toEqual(new Set(["_OTHER", "booking_update"]));
  });

  it("span names and string attributes are cut to 100 characters", async () => {
    const webhooks = receiver();
    await webhooks.receive(hostile(10_000)).catch(() => undefined);
    const spans = otel.spans();
    expect(spans.length).toBeGreaterThan(1);
    for (const span of spans) {
      expect(span.name.length).toBeLessThanOrEqual("octo.handler ".length + 100);
      for (const value of Object.values(span.attributes)) {
        if (typeof value === "string") expect(value.length).toBeLessThanOrEqual(100);
      }
      for (const event of span.events) {
        const message = event.attributes?.["exception.message"];
        if (typeof message === "string") expect(message.length).toBeLessThanOrEqual(1003);
      }
    }
  });

  it("the handler error's message names the event cut short", async () => {
    const webhooks = receiver();
    const error = await webhooks.receive(hostile(10_000)).catch((e: unknown) => e as Error);
    expect((error as Error).message.length).toBeLessThan(1400);
  });
});

describe("scrub()", () => {
  it("is linear on a long run of spaces after a credential word, and keeps what is shown scrubbed", () => {
    const text = `Basic${" ".repeat(200_000)},`;
    const started = performance.now();
    const safe = scrub(text, []);
    expect(performance.now() - started).toBeLessThan(500);
    expect(safe.length).toBeLessThanOrEqual(1003);
  });

  it("still finds a secret that starts before the cut and ends after it", () => {
    const secret = "s3cret-value-that-is-long-enough";
    const text = `${"x".repeat(990)}${secret}${"y".repeat(5000)}`;
    expect(scrub(text, [secret])).not.toContain(secret.slice(0, 10));
  });

  it("scrubs `token=value` and `Bearer value` shapes", () => {
    expect(scrub("failed with token=abc123 and Bearer xyz", [])).toBe(
      "failed with token=[REDACTED] and Bearer [REDACTED]",
    );
  });
});
