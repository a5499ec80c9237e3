// The helpers that need the test runner.
import { afterEach } from "vitest";

/**
 * Registers, in the calling test file, an `afterEach` that runs every `close` given to the returned
 * function since the last test, last first (the order of a real shutdown: what started last stops first).
 *
 * @example
 * ```ts
 * export const onCleanup = closeAfterEach();
 * const server = await serve(listener);
 * onCleanup(() => server.close());
 * ```
 */
export function closeAfterEach(): (close: () => Promise<unknown>) => void {
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  return (close) => void closers.push(close);
}
