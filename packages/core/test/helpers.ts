export const json = (body: unknown) => JSON.stringify(body);

export const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
});

export { basic, capturingLogger } from "@octo-webhooks/test-helpers";

export const bookingBody = (booking: Record<string, unknown> = {}) => ({
  webhook: { id: "wh-1", event: "booking_update", url: "https://example.test/hook" },
  booking: { uuid: "b-1", status: "CONFIRMED", ...booking },
});

/** A stream that yields `chunk` forever and counts how much of it was pulled. */
export function endlessStream(chunk: Uint8Array) {
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      cancelled = true;
    },
  });
  return {
    stream,
    get pulled() {
      return pulled;
    },
    get cancelled() {
      return cancelled;
    },
  };
}
