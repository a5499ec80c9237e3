import { OctoRequestError } from "./errors.ts";

/**
 * A request body as a platform has it: text, bytes, a Web stream, an async iterable of chunks
 * (a Node `IncomingMessage`), or a value a body parser already produced.
 */
export type RequestBody =
  | string
  | Uint8Array
  | ArrayBuffer
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>
  | Record<string, unknown>
  | unknown[]
  | null
  | undefined;

export type ReadBody = { text: string; parsed?: never } | { parsed: unknown; text?: never };

const tooLarge = (limit: number) =>
  new OctoRequestError(
    "PAYLOAD_TOO_LARGE",
    `the body is larger than ${limit} bytes; raise \`maxBodyBytes\` if your supplier sends larger payloads`,
  );

const notUtf8 = () => new OctoRequestError("INVALID_ENCODING", "the body is not valid UTF-8");

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw notUtf8();
  }
}

function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x800) bytes += c >= 0xd800 && c <= 0xdbff ? 1 : 2;
    else if (c >= 0x80) bytes += 1;
  }
  return bytes;
}

const encoder = new TextEncoder();

/** What core uses of a Node `Readable` (an `IncomingMessage`), duck-typed: core imports nothing from Node. */
interface NodeReadable {
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  readableEnded?: boolean;
}

function isNodeReadable(value: object): value is NodeReadable {
  const stream = value as Partial<NodeReadable>;
  return (
    typeof stream.on === "function" &&
    typeof stream.removeListener === "function" &&
    typeof stream.pause === "function" &&
    typeof stream.readableEnded === "boolean"
  );
}

/**
 * Reads a Node stream with `data`/`end` listeners: faster than its async iterator for the one-chunk
 * bodies webhooks are (docs/benchmarks.md). Over the limit it stops listening and pauses the stream without
 * destroying it (destroying a request destroys its socket, and the 413 still has to be written).
 */
function readNodeStream(stream: NodeReadable, limit: number, timeoutMs: number): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let received = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = () => {
      clearTimeout(timer);
      stream.removeListener("data", onData);
      stream.removeListener("end", onEnd);
      stream.removeListener("error", onError);
      stream.removeListener("close", onClose);
    };
    const fail = (error: Error) => {
      stop();
      stream.pause();
      reject(error);
    };
    const onData = (chunk: Uint8Array | string) => {
      const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
      received += bytes.byteLength;
      if (received > limit) return fail(tooLarge(limit));
      chunks.push(bytes);
    };
    const onEnd = () => {
      stop();
      try {
        resolve({ text: decode(chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, received)) });
      } catch (error) {
        reject(error);
      }
    };
    const onError = () => fail(new OctoRequestError("INVALID_BODY", "the body could not be read"));
    const onClose = () =>
      fail(new OctoRequestError("INVALID_BODY", "the connection closed before the body ended"));
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
    stream.on("close", onClose);
    if (Number.isFinite(timeoutMs)) {
      timer = setTimeout(
        () => fail(new OctoRequestError("BODY_TIMEOUT", "the body did not arrive in time")),
        timeoutMs,
      );
    }
  });
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function isAsyncIterable(value: object): value is AsyncIterable<Uint8Array | string> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function";
}

/**
 * One timer for the whole body (not one per chunk): `race(read)` fails with 408 once `timeoutMs` has
 * passed since the reading began, after calling `onTimeout` (which cancels a Web stream).
 */
function bodyDeadline(timeoutMs: number, onTimeout: () => void) {
  if (!Number.isFinite(timeoutMs)) return { race: <T>(read: Promise<T>) => read, clear: () => {} };
  let expire: (error: Error) => void = () => {};
  const expired = new Promise<never>((_, reject) => {
    expire = reject;
  });
  expired.catch(() => {}); // handled by whichever read races it; none may be pending when it fires
  const timer = setTimeout(() => {
    expire(new OctoRequestError("BODY_TIMEOUT", "the body did not arrive in time"));
    onTimeout();
  }, timeoutMs);
  return { race: <T>(read: Promise<T>) => Promise.race([read, expired]), clear: () => clearTimeout(timer) };
}

/**
 * What `readBody` answers for a body that is already all there (text, bytes, nothing, a primitive),
 * without a promise; `undefined` for a body that must be read or inspected further.
 */
export function readBodyNow(body: RequestBody, limit: number): ReadBody | undefined {
  if (body === undefined || body === null) return { text: "" };
  if (typeof body === "string") {
    if (body.length > limit || (body.length * 3 > limit && utf8Length(body) > limit)) throw tooLarge(limit);
    return { text: body };
  }
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
    const bytes = body instanceof Uint8Array ? body : new Uint8Array(body);
    if (bytes.byteLength > limit) throw tooLarge(limit);
    return { text: decode(bytes) };
  }
  if (typeof body !== "object") return { parsed: body };
  return undefined;
}

/**
 * Reads a body into text, refusing it with 413 as soon as more than `limit` bytes arrived (the rest is
 * never read) and with 408 when it is not complete within `timeoutMs`. A Node request is read with
 * listeners and paused over the limit, never destroyed (its socket carries the 413; see
 * `readNodeStream`). Any other async iterable is left unfinished rather than closed, as its owner may
 * still need what it wraps.
 */
export async function readBody(body: RequestBody, limit: number, timeoutMs = Infinity): Promise<ReadBody> {
  const now = readBodyNow(body, limit);
  if (now !== undefined) return now;

  const decoder = new TextDecoder("utf-8", { fatal: true });
  let received = 0;
  let text = "";
  const append = (chunk: Uint8Array | string): boolean => {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    received += bytes.byteLength;
    if (received > limit) return false;
    try {
      text += decoder.decode(bytes, { stream: true });
    } catch {
      throw notUtf8();
    }
    return true;
  };
  const finish = (): ReadBody => {
    try {
      return { text: text + decoder.decode() };
    } catch {
      throw notUtf8();
    }
  };

  if (typeof (body as ReadableStream).getReader === "function") {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    const cancel = () => void reader.cancel().catch(() => {});
    const deadline = bodyDeadline(timeoutMs, cancel);
    try {
      for (;;) {
        const { done, value } = await deadline.race(reader.read());
        if (done) return finish();
        if (!append(value)) {
          cancel();
          throw tooLarge(limit);
        }
      }
    } finally {
      deadline.clear();
    }
  }
  if (isNodeReadable(body as object))
    return readNodeStream(body as unknown as NodeReadable, limit, timeoutMs);
  if (isAsyncIterable(body as object)) {
    const iterator = (body as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
    const deadline = bodyDeadline(timeoutMs, () => {});
    try {
      for (;;) {
        const { done, value } = await deadline.race(iterator.next());
        if (done) return finish();
        if (!append(value)) throw tooLarge(limit);
      }
    } finally {
      deadline.clear();
    }
  }
  return { parsed: body };
}
