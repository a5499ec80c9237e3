// Regression of the outside audit (issue 24), "refusals keep reading": a refusal given before the body
// was read (405, 415; 401 is the same path) to a client still sending. Without an explicit
// `connection: close` and a lingering close, the connection was either kept reading the rest of the
// body or closed at once, and the reset of a client still sending could destroy the answer before the
// client read it. The server runs in a process of its own: on one event loop that race cannot happen.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATH } from "./app.ts";
import { forkServer, type ServerProcess } from "./fork-server.ts";
import { type RawAnswer, sendEndlessBody, sendLargeBody } from "./raw-client.ts";

const REFUSALS = [
  { status: 405, method: "PUT", headers: { "content-type": "application/json" } },
  { status: 415, method: "POST", headers: { "content-type": "text/plain" } },
] as const;

/** Runs the regression against the app of `framework` (a `FrameworkUnderTest` name), in its own process. */
export function testRefusalsClose(framework: string): void {
  describe(`${framework}: refusals keep reading`, () => {
    let server: ServerProcess | undefined;
    beforeAll(async () => {
      server = await forkServer(framework);
    }, 30_000);
    afterAll(() => server?.stop());

    for (const { status, method, headers } of REFUSALS) {
      it(`a ${status} to clients still sending reaches them (no reset), with connection: close, and the connection is closed`, async () => {
        const origin = (server as ServerProcess).origin;
        const outcomes = new Map<string, number>();
        const count = async (sending: Promise<RawAnswer>) => {
          let outcome: string;
          try {
            const answer = await sending;
            await answer.closed;
            outcome = `${answer.status} ${answer.headers.connection}`;
          } catch (error) {
            outcome = (error as Error).message;
          }
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        };
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            for (let i = 0; i < 4; i++) {
              await count(sendLargeBody(origin, PATH, { method, headers, bytes: 10 * 1024 * 1024 }));
              await count(sendEndlessBody(origin, PATH, { method, headers }));
            }
          }),
        );
        expect(Object.fromEntries(outcomes)).toEqual({ [`${status} close`]: 32 });
      });
    }
  });
}
