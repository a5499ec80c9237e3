// Regression (found by the fuzz tests' slow-body clients): Node closes a connection as soon as an
// answer with `connection: close` is written, even when the client is still sending; the kernel then
// resets the connection, and the reset can destroy the 413 before the client reads it (half the time
// for an honest 10 MB body). Needs the server in a process of its own: on one event loop, the client
// cannot write while the server closes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATH } from "./app.ts";
import { forkServer, type ServerProcess } from "./fork-server.ts";
import { type RawAnswer, sendEndlessBody, sendLargeBody } from "./raw-client.ts";

/** Runs the regression against the app of `framework` (a `FrameworkUnderTest` name), in its own process. */
export function testAnswerBeforeReset(framework: string): void {
  describe(`${framework}: a client still sending past maxBodyBytes reads its 413, not a reset`, () => {
    let server: ServerProcess | undefined;
    beforeAll(async () => {
      server = await forkServer(framework);
    }, 30_000);
    afterAll(() => server?.stop());

    it("10 MB bodies with their Content-Length and endless chunked bodies, four clients at a time", async () => {
      const origin = (server as ServerProcess).origin;
      const headers = { "content-type": "application/json" };
      const outcomes = new Map<string, number>();
      const count = (answer: Promise<RawAnswer>) =>
        answer.then(
          (a) => String(a.status),
          (error: Error) => error.message,
        );
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let i = 0; i < 8; i++) {
            for (const outcome of [
              await count(sendLargeBody(origin, PATH, { headers, bytes: 10 * 1024 * 1024 })),
              await count(sendEndlessBody(origin, PATH, { headers })),
            ])
              outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          }
        }),
      );
      expect(Object.fromEntries(outcomes)).toEqual({ 413: 64 });
    });
  });
}
