// A refusal given before the body was read (405, 415; 401 takes the same path) to a client still
// sending, the regression "refusals keep reading" of issue 24: without an explicit `connection: close`
// and a lingering close, the connection was either kept reading the rest of the body or closed at once,
// and the reset of a client still sending could destroy the answer before the client read it. Over a
// socket the server runs in a process of its own (`serveApart`): on one event loop that race cannot
// happen. A target without a socket has nothing to close; what holds there instead: a Web target answers
// without reading a body that never ends, and behind a front door that reads the whole body first
// (Lambda) no client is still sending when the function refuses, and its answer reaches the client whole.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FrameworkUnderTest, PATH, type ServedApart, type Started } from "./app.ts";
import { type RawAnswer, RESET, sendEndlessBody, sendLargeBody } from "./raw-client.ts";

const REFUSALS = [
  {
    status: 405,
    code: "METHOD_NOT_ALLOWED",
    method: "PUT",
    headers: { "content-type": "application/json" },
  },
  {
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    method: "POST",
    headers: { "content-type": "text/plain" },
  },
] as const;

/** What a client got: the status and `connection` header of its answer, or why it got none. */
async function outcomeOf(sending: Promise<RawAnswer>): Promise<string> {
  try {
    const answer = await sending;
    await answer.closed;
    return `${answer.status} ${answer.headers.connection}`;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Runs the refusal cases against `framework`: over sockets when it serves some, else what holds without. */
export function testRefusalsClose(framework: FrameworkUnderTest): void {
  if (framework.transport === "http") {
    const { serveApart } = framework;
    if (serveApart === undefined) return;
    describe(`${framework.name}: refusals keep reading`, () => {
      let server: ServedApart | undefined;
      beforeAll(async () => {
        server = await serveApart();
      }, 30_000);
      afterAll(() => server?.close());

      const resets = framework.resetsUnreadBody !== undefined;
      for (const { status, method, headers } of REFUSALS)
        it(`a ${status} to clients still sending ${resets ? "reaches them or resets them (resetsUnreadBody), never another answer" : "reaches them (no reset), with connection: close, and the connection is closed"}`, async () => {
          const origin = (server as ServedApart).origin;
          const outcomes = new Map<string, number>();
          const count = async (sending: Promise<RawAnswer>) => {
            const outcome = await outcomeOf(sending);
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
          if (resets)
            for (const outcome of outcomes.keys())
              expect(outcome).toMatch(new RegExp(`^${status} |${RESET}`));
          else expect(Object.fromEntries(outcomes)).toEqual({ [`${status} close`]: 32 });
        });
    });
    return;
  }

  describe(`${framework.name}: refusals keep reading (no socket here)`, () => {
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

    if (framework.parsers.none.readsBodyFirst === true)
      for (const { status, code, method, headers } of REFUSALS)
        it(`a ${status} reaches the client whole: the front door read all of the body (4 MB) before the function refused it`, async () => {
          handled = 0;
          const body = new Uint8Array(4 * 1024 * 1024).fill(0x20);
          const response = await (target as Started).fetch(PATH, { method, headers, body });
          expect(response.status).toBe(status);
          expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
          expect(handled).toBe(0);
        });
    else
      for (const { status, code, method, headers } of REFUSALS)
        it(`a ${status} to a body that never ends is given without reading it`, async () => {
          handled = 0;
          let pulled = 0;
          const chunk = new Uint8Array(16 * 1024).fill(0x20);
          const endless = new ReadableStream<Uint8Array>({
            pull(controller) {
              pulled += chunk.byteLength;
              controller.enqueue(chunk);
              // bounded, so that a reader that never stops fails the case instead of hanging
              if (pulled > 64 * 1024 * 1024) controller.close();
            },
          });
          const response = await (target as Started).fetch(PATH, {
            method,
            headers,
            body: endless,
            duplex: "half",
          } as RequestInit);
          expect(response.status).toBe(status);
          expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
          expect(pulled).toBeLessThan(1024 * 1024);
          expect(handled).toBe(0);
        });
  });
}
