import type { DeliveryTelemetry } from "../telemetry/telemetry.ts";
import type { Selection } from "./handler-registry.ts";

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  ((typeof value === "object" && value !== null) || typeof value === "function") &&
  typeof (value as { then?: unknown }).then === "function";

type Failures = Array<[number, unknown]>;
const inOrder = (failures: Failures | undefined): unknown[] | undefined =>
  failures === undefined ? undefined : failures.sort((a, b) => a[0] - b[0]).map(([, error]) => error);

/**
 * Starts every handler at once, in registration order, and settles when all have: with `undefined`
 * when all succeeded, else with what they threw, in registration order. Answers synchronously when
 * no handler returned a promise, which spares the common synchronous handler several microtasks
 * (`Promise.allSettled` was measurably slower; see docs/benchmarks.md). With `telemetry`, each handler
 * runs inside its `handler()` (a span per handler).
 */
export function runHandlers(
  handlers: Selection,
  payload: unknown,
  context: unknown,
  telemetry?: DeliveryTelemetry,
): unknown[] | undefined | Promise<unknown[] | undefined> {
  // both lists made only when needed: handlers that all return synchronously and succeed allocate neither
  let failures: Failures | undefined;
  const fail = (index: number, error: unknown) => {
    failures ??= [];
    failures.push([index, error]);
  };
  let pending: Array<Promise<unknown>> | undefined;
  for (let i = 0; i < handlers.length; i++) {
    try {
      const handler = handlers[i] as (payload: unknown, context: unknown) => unknown;
      const result = telemetry
        ? telemetry.handler(
            i,
            () => handler(payload, context),
            handlers.runsFor[i] ?? (context as { event?: string }).event,
          )
        : handler(payload, context);
      if (isThenable(result)) {
        const index = i;
        pending ??= [];
        pending.push(
          (result instanceof Promise ? result : Promise.resolve(result)).then(undefined, (error: unknown) =>
            fail(index, error),
          ),
        );
      }
    } catch (error) {
      fail(i, error);
    }
  }
  if (pending === undefined) return inOrder(failures);
  const settled = pending.length === 1 ? (pending[0] as Promise<unknown>) : Promise.all(pending);
  return settled.then(() => inOrder(failures));
}
