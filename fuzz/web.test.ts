// The Web entry (`fetch`) under fuzzing: every request gets a documented status, nothing leaks, and a
// valid delivery still gets 200 afterwards.
import { createOctoWebhooks } from "@octo-webhooks/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seedFixtures } from "../fixtures/index.ts";
import { DOCUMENTED_STATUSES, fuzzRequest, pollutedBody } from "./arbitraries.ts";
import { FUZZ_RUNS, FUZZ_SEED, PASS, USER, VALID_AUTHORIZATION } from "./settings.ts";

describe("fuzzing the Web entry", () => {
  it(`answers ${FUZZ_RUNS} generated requests with documented statuses and keeps serving`, async () => {
    const lines: string[] = [];
    const keep = (message: string, error?: unknown) => lines.push(`${message} ${String(error ?? "")}`);
    let handled = 0;
    const webhooks = createOctoWebhooks({
      auth: { basic: { username: USER, password: PASS } },
      logger: { debug: keep, info: keep, warn: keep, error: keep },
      onAny: () => {
        handled++;
      },
    });
    await fc.assert(
      fc.asyncProperty(fuzzRequest(VALID_AUTHORIZATION), async (request) => {
        const response = await webhooks.fetch(
          new Request("https://receiver.test/webhooks/octo", {
            method: request.method,
            headers: request.headers,
            body: request.method === "GET" ? null : request.body,
          }),
        );
        const text = await response.text();
        expect(DOCUMENTED_STATUSES.has(response.status), `${response.status} ${text}`).toBe(true);
        expect(text).not.toContain(PASS);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
    expect(handled).toBeGreaterThan(0);
    const seed = seedFixtures()[0]!;
    const after = await webhooks.fetch(
      new Request("https://receiver.test/webhooks/octo", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: VALID_AUTHORIZATION },
        body: JSON.stringify(seed.body),
      }),
    );
    expect(after.status).toBe(200);
    expect(lines.join("\n")).not.toContain(PASS);
    expect(lines.join("\n")).not.toContain(VALID_AUTHORIZATION.slice(6));
  });

  it("prototype pollution: __proto__/constructor/prototype keys at any depth change nothing", async () => {
    const received: unknown[] = [];
    const webhooks = createOctoWebhooks({ onAny: (payload) => void received.push(payload) });
    await fc.assert(
      fc.asyncProperty(pollutedBody, async (text) => {
        const response = await webhooks.handle({ method: "POST", headers: {}, body: text });
        expect([200, 400]).toContain(response.status);
        const probe = {} as Record<string, unknown>;
        expect(probe.polluted).toBeUndefined();
        expect(probe.isAdmin).toBeUndefined();
        expect(Object.prototype).not.toHaveProperty("polluted");
      }),
      { numRuns: Math.min(FUZZ_RUNS, 2000), seed: FUZZ_SEED },
    );
    expect(received.length).toBeGreaterThan(0);
    for (const payload of received) {
      // what handlers receive are plain objects whose prototype was not replaced by a sent `__proto__`
      expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
      for (const value of Object.values(payload as object)) {
        if (value && typeof value === "object" && !Array.isArray(value)) {
          expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
        }
      }
    }
  });
});
