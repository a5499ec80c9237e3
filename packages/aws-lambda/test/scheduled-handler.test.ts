// The EventBridge schedule helper: a job (the client's reconciler, or anything with run()) run to its end
// before the handler returns, its result the invocation's, its signal aborted before the function's timeout.
import { readFileSync } from "node:fs";
import { lambdaContext } from "@octo-webhooks/conformance/frameworks/lambda";
import type { Context, ScheduledEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createOctoWebhooks, octoScheduledHandler } from "../src/index.ts";

const scheduled = (): ScheduledEvent =>
  JSON.parse(readFileSync(new URL("events/eventbridge-scheduled.json", import.meta.url), "utf8"));

/** A context whose function times out in `ms`. */
const timingOut = (ms: number): Context => {
  const deadline = Date.now() + ms;
  return { ...lambdaContext(), getRemainingTimeInMillis: () => deadline - Date.now() };
};

describe("octoScheduledHandler", () => {
  it("runs the job made of the scheduled event, through a receiver, and resolves with what run() resolved", async () => {
    const seen: string[] = [];
    const receiver = createOctoWebhooks({
      logger: {},
      staleGuard: true,
      onBookingCancelled: ({ booking }, { source }) => void seen.push(`cancelled ${booking.uuid} ${source}`),
    });
    const made: Array<[string, string]> = [];
    const handler = octoScheduledHandler((event, context) => {
      made.push([event["detail-type"], context.functionName]);
      return {
        // what a reconciler does with each resource it reads back
        async run({ signal } = {}) {
          const booking = { uuid: "b-1", status: "CANCELLED", utcUpdatedAt: "2026-03-10T11:00:00Z" };
          const result = await receiver.receive({ booking }, { source: "reconciliation" });
          return { changed: result.skipped === undefined ? 1 : 0, aborted: signal?.aborted };
        },
      };
    });
    expect(await handler(scheduled(), lambdaContext())).toEqual({ changed: 1, aborted: false });
    expect(await handler(scheduled(), lambdaContext())).toEqual({ changed: 0, aborted: false });
    expect(made).toEqual([
      ["Scheduled Event", "octo-webhooks"],
      ["Scheduled Event", "octo-webhooks"],
    ]);
    expect(seen).toEqual(["cancelled b-1 reconciliation"]);
  });

  it("aborts the job's signal stopBeforeTimeoutMs before the function times out; the job ends with a result", async () => {
    const started = Date.now();
    const handler = octoScheduledHandler(
      () => ({
        run: ({ signal } = {}) =>
          new Promise<{ complete: boolean; after: number }>((resolve) =>
            signal?.addEventListener("abort", () =>
              resolve({ complete: false, after: Date.now() - started }),
            ),
          ),
      }),
      { stopBeforeTimeoutMs: 300 },
    );
    const result = await handler(scheduled(), timingOut(500));
    expect(result.complete).toBe(false);
    expect(result.after).toBeGreaterThanOrEqual(150);
    expect(result.after).toBeLessThan(450);
  });

  it("a job that rejects fails the invocation; what is not a job is refused", async () => {
    const failing = octoScheduledHandler(() => ({ run: () => Promise.reject(new Error("supplier down")) }));
    await expect(failing(scheduled(), lambdaContext())).rejects.toThrow("supplier down");
    const empty = octoScheduledHandler(() => ({}) as never);
    await expect(empty(scheduled(), lambdaContext())).rejects.toThrow(/returned no job with run\(\)/);
    expect(() => octoScheduledHandler("reconciler" as never)).toThrow(/takes a function/);
    expect(() => octoScheduledHandler(() => ({ run: async () => 1 }), { stopBeforeTimeoutMs: -1 })).toThrow(
      /stopBeforeTimeoutMs/,
    );
  });
});
