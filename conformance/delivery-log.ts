// The delivery log on every adapter: each request the suite sends appears once per attempt, with the
// status the adapter answered and the outcome that made it, and no credential anywhere in the log.
import { type AdapterOptions, createMemoryLog, type DeliveryLogEntry } from "@octo-webhooks/core";
import { basic } from "@octo-webhooks/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FrameworkUnderTest, PATH, type Target } from "./app.ts";

const USER = "octo";
const PASSWORD = "log-pass-5e2a91";
const HEADER_SECRET = "hdr-secret-77c0";
const body = (uuid: string) =>
  JSON.stringify({
    webhook: { event: "booking_update" },
    booking: { uuid, status: "CONFIRMED", notes: `note of ${uuid}` },
  });

/**
 * The delivery log cases of one adapter: a receiver with `log: createMemoryLog()` answers a delivery, a
 * wrong password, a malformed body, a handler failure and its retry; the log has one entry for each,
 * in order, with its status, outcome and attempt, and none of the credentials.
 *
 * @example
 * ```ts
 * testDeliveryLog(expressFrameworks[0]);
 * ```
 */
export function testDeliveryLog(framework: FrameworkUnderTest): void {
  describe(`${framework.name}: the delivery log`, () => {
    if (framework.noTelemetry !== undefined) {
      // the log, like telemetry, is an object in this process: a receiver served apart writes its own
      it(`is checked in process only (${framework.noTelemetry})`, () => {
        expect(framework.noTelemetry).toBeTruthy();
      });
      return;
    }
    const log = createMemoryLog();
    let failNext = false;
    const options: AdapterOptions<unknown> = {
      logger: {},
      auth: {
        basic: { username: USER, password: PASSWORD },
        header: { name: "x-octo-secret", value: HEADER_SECRET },
      },
      log,
      onBookingUpdate: () => {
        if (failNext) {
          failNext = false;
          throw new Error(`database down (${PASSWORD})`);
        }
      },
      path: PATH,
    };
    let target: Target | undefined;
    beforeAll(async () => {
      target = await framework.start({ options, parser: "none", mount: "app" });
    });
    afterAll(() => target?.close());

    const send = async (text: string, password = PASSWORD) => {
      const response = await (target as Target).fetch(PATH, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: basic(USER, password),
          "x-octo-secret": HEADER_SECRET,
        },
        body: text,
        signal: AbortSignal.timeout(10_000),
      });
      await response.text();
      return response.status;
    };

    it("one entry per attempt, with the adapter's status, the outcome, the attempt, and no credential", async () => {
      const statuses = [
        await send(body("b-1")),
        await send(body("b-2"), "wrong-password"),
        await send("{ not json"),
      ];
      failNext = true;
      statuses.push(await send(body("b-3")), await send(body("b-3")));
      expect(statuses).toEqual([200, 401, 400, 500, 200]);
      // ack-first and slow stores aside, an entry is written when the answer is given
      let entries: DeliveryLogEntry[] = [];
      for (let i = 0; i < 50 && entries.length < 5; i++) {
        entries = (await log.list(undefined, { limit: 100 })).entries.reverse();
        if (entries.length < 5) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(entries.map((e) => [e.status, e.outcome, e.attempt])).toEqual([
        [200, "handled", 1],
        [401, "refused", 1],
        [400, "refused", 1],
        [500, "failed", 1],
        [200, "handled", 2],
      ]);
      expect(entries[0]).toMatchObject({ event: "booking_update", resourceId: "b-1", source: "webhook" });
      expect(entries[0]?.body).toBe(body("b-1"));
      expect(entries[2]?.body).toBe("{ not json");
      expect(entries[3]?.deliveryKey).toBe(entries[4]?.deliveryKey);
      const everything = JSON.stringify(entries);
      for (const secret of [PASSWORD, HEADER_SECRET, basic(USER, PASSWORD).slice(6), "wrong-password"]) {
        expect(everything).not.toContain(secret);
      }
    });
  });
}
