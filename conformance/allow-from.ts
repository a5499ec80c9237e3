// `allowFrom` on every adapter: the address core checks is the one the adapter passes (`remoteAddress`:
// the socket's peer, on Lambda the event's source address). A receiver allowing only loopback answers the
// suite's own requests; one allowing only a documentation range refuses them with 403 before `verify` or
// any handler runs. Where the platform gives no address (`noPeerAddress`), every request is refused, and
// `trustProxy` with X-Forwarded-For is the way to name the client.
import type { AdapterOptions, AuthRequest, OctoWebhooksError } from "@octo-webhooks/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FrameworkUnderTest, PATH, type Target } from "./app.ts";

const LOOPBACK = ["127.0.0.1", "::1"];
const ELSEWHERE = "203.0.113.0/24";
const body = JSON.stringify({
  webhook: { event: "booking_update" },
  booking: { uuid: "b-1", status: "CONFIRMED" },
});

/** Options whose `verify` (which accepts) and handler record what reached them. */
function recorder(extra: AdapterOptions<unknown>) {
  const verified: Array<string | undefined> = [];
  const handled: string[] = [];
  const errors: OctoWebhooksError[] = [];
  const options: AdapterOptions<unknown> = {
    logger: {},
    auth: {
      verify: (request: AuthRequest) => {
        verified.push(request.remoteAddress);
        return true;
      },
    },
    onBookingUpdate: ({ booking }) => void handled.push(booking.uuid),
    onError: (error) => void errors.push(error),
    ...extra,
    path: PATH,
  };
  const reset = () => {
    verified.length = 0;
    handled.length = 0;
    errors.length = 0;
  };
  return { options, verified, handled, errors, reset };
}

/**
 * The `allowFrom` cases of one adapter: over its real socket (or the event's source address), or, where
 * it has no peer address, the refusal and `trustProxy`.
 *
 * @example
 * ```ts
 * testAllowFrom(expressFrameworks[0]);
 * ```
 */
export function testAllowFrom(framework: FrameworkUnderTest): void {
  describe(`${framework.name}: allowFrom`, () => {
    const receivers = {
      loopback: recorder({ allowFrom: LOOPBACK }),
      elsewhere: recorder({ allowFrom: ELSEWHERE }),
      proxied: recorder({ allowFrom: LOOPBACK, trustProxy: 1 }),
    };
    const used: (keyof typeof receivers)[] =
      framework.noPeerAddress === undefined ? ["loopback", "elsewhere"] : ["loopback", "proxied"];
    const targets: Partial<Record<keyof typeof receivers, Target>> = {};
    beforeAll(async () => {
      for (const name of used) {
        targets[name] = await framework.start({
          options: receivers[name].options,
          parser: "none",
          mount: "app",
        });
      }
    });
    afterAll(async () => {
      for (const target of Object.values(targets)) await target?.close();
    });
    const send = async (name: keyof typeof receivers, headers: Record<string, string> = {}) => {
      receivers[name].reset();
      const response = await (targets[name] as Target).fetch(PATH, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      const { verified, handled, errors } = receivers[name];
      return { status: response.status, text, verified: [...verified], handled: [...handled], errors };
    };
    const expectRefused = (answer: Awaited<ReturnType<typeof send>>, message: RegExp) => {
      expect(answer.status, answer.text).toBe(403);
      const error = JSON.parse(answer.text).error as { code: string; message: string };
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toMatch(message);
      expect(answer.errors.map((e) => e.code)).toEqual(["FORBIDDEN"]);
      // refused before its credentials were read, so verify never ran, nor any handler
      expect([answer.verified, answer.handled]).toEqual([[], []]);
    };

    if (framework.noPeerAddress === undefined) {
      it("a receiver allowing only loopback answers 200; verify sees the peer's address", async () => {
        const answer = await send("loopback");
        expect(answer.status, answer.text).toBe(200);
        expect(answer.verified).toEqual(["127.0.0.1"]);
        expect(answer.handled).toEqual(["b-1"]);
      });

      it(`one allowing only ${ELSEWHERE} answers 403 FORBIDDEN; neither verify nor a handler runs`, async () => {
        expectRefused(await send("elsewhere"), /127\.0\.0\.1 is not an address deliveries may come from/);
      });

      it("an X-Forwarded-For naming an allowed address changes nothing without trustProxy", async () => {
        expectRefused(
          await send("elsewhere", { "x-forwarded-for": "203.0.113.9" }),
          /127\.0\.0\.1 is not an address/,
        );
      });
    } else {
      it(`every request is refused, 403, its address unknown (${framework.noPeerAddress})`, async () => {
        expectRefused(await send("loopback"), /address this request came from is unknown/);
      });

      it("with trustProxy, the client X-Forwarded-For names is checked", async () => {
        const allowed = await send("proxied", { "x-forwarded-for": "127.0.0.1" });
        expect(allowed.status, allowed.text).toBe(200);
        expect([allowed.verified, allowed.handled]).toEqual([["127.0.0.1"], ["b-1"]]);
        expectRefused(
          await send("proxied", { "x-forwarded-for": "198.51.100.7" }),
          /198\.51\.100\.7 is not an address/,
        );
      });
    }
  });
}
