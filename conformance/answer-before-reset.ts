// Regression (found by the fuzz tests' slow-body clients): Node closes a connection as soon as an
// answer with `connection: close` is written, even when the client is still sending; the kernel then
// resets the connection, and the reset can destroy the 413 before the client reads it (half the time
// for an honest 10 MB body). Needs the server in a process of its own (`serveApart`): on one event loop,
// the client cannot write while the server closes. A target without a socket has no connection to
// reset; what holds there instead: every body past the limit gets our 413, several at a time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FrameworkUnderTest, PATH, type ServedApart, type Started } from "./app.ts";
import { type RawAnswer, RESET, sendEndlessBody, sendLargeBody } from "./raw-client.ts";

/** Runs the oversized-body case against `framework`: over sockets when it serves some, else what holds without. */
export function testAnswerBeforeReset(framework: FrameworkUnderTest): void {
  if (framework.transport === "http") {
    const { serveApart } = framework;
    if (serveApart === undefined) return;
    const resets = framework.resetsUnreadBody !== undefined;
    const title = resets
      ? "gets its 413 or a reset (resetsUnreadBody), never another answer"
      : "reads its 413, not a reset";
    describe(`${framework.name}: a client still sending past maxBodyBytes ${title}`, () => {
      let server: ServedApart | undefined;
      beforeAll(async () => {
        server = await serveApart();
      }, 30_000);
      afterAll(() => server?.close());

      it("10 MB bodies with their Content-Length and endless chunked bodies, four clients at a time", async () => {
        const origin = (server as ServedApart).origin;
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
        if (resets)
          for (const outcome of outcomes.keys()) expect(outcome).toMatch(new RegExp(`^413$|${RESET}`));
        else expect(Object.fromEntries(outcomes)).toEqual({ 413: 64 });
      });
    });
    return;
  }

  // behind a front door that reads the whole body first (Lambda), a body that never ends, or one past
  // the front door's own limit, never reaches the adapter: the front door answers it
  const frontDoor = framework.parsers.none.readsBodyFirst === true;
  describe(`${framework.name}: bodies past maxBodyBytes get our 413 (no socket here)`, () => {
    let handled = 0;
    let target: Started | undefined;
    beforeAll(async () => {
      target = await framework.start({
        options: { path: PATH, auth: "none", logger: {}, onAny: () => void handled++ },
        parser: "none",
        mount: "app",
      });
    });
    afterAll(() => target?.close());

    it(`3 MB bodies${frontDoor ? ", read whole by the front door," : " and bodies that never end,"} four at a time`, async () => {
      handled = 0;
      const chunk = new Uint8Array(16 * 1024).fill(0x20);
      const bodies: Array<() => RequestInit["body"]> = [() => new Uint8Array(3 * 1024 * 1024).fill(0x20)];
      if (!frontDoor)
        bodies.push(() => {
          let pulled = 0;
          return new ReadableStream<Uint8Array>({
            pull(controller) {
              pulled += chunk.byteLength;
              controller.enqueue(chunk);
              // bounded, so that a reader that never stops fails the case instead of hanging
              if (pulled > 64 * 1024 * 1024) controller.close();
            },
          });
        });
      const outcomes = new Map<string, number>();
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let i = 0; i < 2; i++)
            for (const body of bodies) {
              const response = await (target as Started).fetch(PATH, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: body(),
                duplex: "half",
              } as RequestInit);
              const answer = (await response.json()) as { error?: { code?: string } };
              const outcome = `${response.status} ${answer.error?.code}`;
              outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
            }
        }),
      );
      expect(Object.fromEntries(outcomes)).toEqual({ "413 PAYLOAD_TOO_LARGE": 8 * bodies.length });
      expect(handled).toBe(0);
    });
  });
}
