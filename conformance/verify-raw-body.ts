// A signed delivery on every adapter: `verify` checks an HMAC-SHA256 of the body's bytes as they were sent
// (`await request.rawBody()`), for each body parser and mount the framework has. Where the raw body reaches
// core (the parser kept it, or nothing read it), a signed delivery runs its handlers and a tampered one gets
// 401; behind a parser that left only a parsed value, `verify` cannot see the bytes, and the delivery gets
// the documented 500 AUTH_MISCONFIGURED, logged with what to do.
import type { AdapterOptions, AuthRequest, OctoWebhooksError } from "@octo-webhooks/core";
import { capturingLogger } from "@octo-webhooks/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FrameworkUnderTest, PATH, type Target } from "./app.ts";

const SECRET = "conformance-hmac-key-2b7e91";
const encoder = new TextEncoder();
const keyFor = (usage: "sign" | "verify") =>
  crypto.subtle.importKey("raw", encoder.encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, [usage]);

/** The hex HMAC-SHA256 of `text`'s UTF-8 bytes, as a supplier that signs its deliveries sends it. */
async function sign(text: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await keyFor("sign"), encoder.encode(text)));
  return [...mac].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The receiver's check: the signature header against the raw bytes, in constant time (WebCrypto). */
async function hmacVerify(request: AuthRequest): Promise<boolean> {
  const given = request.headers.get("x-signature") ?? "";
  const signature = Uint8Array.from(given.match(/../g) ?? [], (hex) => Number.parseInt(hex, 16));
  const body = new Uint8Array(await request.rawBody());
  return crypto.subtle.verify("HMAC", await keyFor("verify"), signature, body);
}

// bytes a JSON parser would not give back: spacing, key order kept, non-ASCII text
const SIGNED = `{ "webhook": {"event": "booking_update"},  "booking": {"status": "CONFIRMED", "uuid": "b-signed", "notes": "Zürich, 3 € tip"} }`;
const TAMPERED = SIGNED.replace("b-signed", "b-forged");

/**
 * The signed-delivery cases of one adapter, on every mount and body parser it declares.
 *
 * @example
 * ```ts
 * testVerifyRawBody(expressFrameworks[0]);
 * ```
 */
export function testVerifyRawBody(framework: FrameworkUnderTest): void {
  for (const mount of framework.mounts) {
    for (const [parser, traits] of Object.entries(framework.parsers)) {
      const where = `${parser} before the adapter, mounted ${mount === "app" ? "app-wide" : "on the route"}`;
      describe(`${framework.name}: an HMAC over the raw body, checked by verify (${where})`, () => {
        const handled: Array<{ uuid: string; rawBody: string | undefined }> = [];
        const errors: OctoWebhooksError[] = [];
        const logger = capturingLogger();
        const options: AdapterOptions<unknown> = {
          logger,
          auth: { verify: hmacVerify },
          onBookingUpdate: ({ booking }, context) =>
            void handled.push({ uuid: booking.uuid, rawBody: context.rawBody }),
          onError: (error) => void errors.push(error),
        };
        let target: Target | undefined;
        beforeAll(async () => {
          target = await framework.start({
            options: mount === "app" ? { ...options, path: PATH } : options,
            parser,
            mount,
          });
        });
        afterAll(async () => {
          await target?.close();
        });
        const send = async (text: string, signature: string) => {
          handled.length = 0;
          errors.length = 0;
          logger.lines.length = 0;
          const response = await (target as Target).fetch(PATH, {
            method: "POST",
            headers: { "content-type": "application/json", "x-signature": signature },
            body: text,
            signal: AbortSignal.timeout(10_000),
          });
          return { status: response.status, text: await response.text() };
        };

        if (traits.keepsRawBody) {
          it("a signed delivery is verified over its exact bytes: 200, the handler runs with that text", async () => {
            const answer = await send(SIGNED, await sign(SIGNED));
            expect(answer.status, answer.text).toBe(200);
            expect(handled).toEqual([{ uuid: "b-signed", rawBody: SIGNED }]);
          });

          it("a tampered body under the same signature gets 401; no handler runs", async () => {
            const answer = await send(TAMPERED, await sign(SIGNED));
            expect(answer.status).toBe(401);
            expect(JSON.parse(answer.text).error.code).toBe("UNAUTHORIZED");
            expect(handled).toEqual([]);
          });
        } else {
          it("the parser kept no raw bytes: 500 AUTH_MISCONFIGURED, logged saying to mount before it; no handler runs", async () => {
            const answer = await send(SIGNED, await sign(SIGNED));
            expect(answer.status).toBe(500);
            expect(JSON.parse(answer.text).error.code).toBe("AUTH_MISCONFIGURED");
            expect(errors.map((error) => error.code)).toEqual(["AUTH_MISCONFIGURED"]);
            expect(logger.lines.join("\n")).toMatch(/`verify` threw[\s\S]*mount the receiver before/);
            expect(handled).toEqual([]);
          });
        }
      });
    }
  }
}
