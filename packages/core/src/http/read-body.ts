import { OctoRequestError } from "../errors/errors.ts";

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

/**
 * A body read: its text (and the bytes it was decoded from, when it arrived as bytes), or the value a
 * body parser made of it.
 */
export type ReadBody =
  | { text: string; bytes?: Uint8Array; parsed?: never }
  | { parsed: unknown; text?: never; bytes?: never };

const tooLarge = (limit: number) =>
  new OctoRequestError(
    "PAYLOAD_TOO_LARGE",
    `the body is larger than ${limit} bytes; raise \`maxBodyBytes\` if your supplier sends larger payloads`,
  );

const notUtf8 = () => new OctoRequestError("INVALID_ENCODING", "the body is not valid UTF-8");

// one decoder for every body: a call without `stream` starts afresh (constructing one per body parsed its
// label each time)
const utf8 = new TextDecoder("utf-8", { fatal: true });

function decode(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
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

/**
 * The bytes of a body as they arrive, in one buffer that doubles as needed (never past `limit`), so a
 * body costs O(its size) however it is cut: a 1 MB body in 1-byte chunks kept as a million Buffers cost
 * ~200 MB of heap. A body in one chunk is kept as it came, without a copy.
 */
class BodyBytes {
  /** The first chunk as it came, until a second one arrives. */
  #first: Uint8Array | undefined;
  /** Our own copy, from the second chunk on. */
  #buffer: Uint8Array | undefined;
  #length = 0;
  constructor(private readonly limit: number) {}
  /** Adds a chunk; `false` (and nothing kept) once the body would pass the limit. */
  push(chunk: Uint8Array | string): boolean {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    const length = this.#length + bytes.byteLength;
    if (length > this.limit) return false;
    if (this.#buffer === undefined && this.#first === undefined) {
      this.#first = bytes;
    } else {
      if (this.#buffer === undefined || length > this.#buffer.byteLength) {
        const size = Math.min(this.limit, Math.max(length, 2 * (this.#buffer?.byteLength ?? length), 4096));
        const grown = new Uint8Array(size);
        grown.set(
          this.#buffer === undefined ? (this.#first as Uint8Array) : this.#buffer.subarray(0, this.#length),
        );
        this.#buffer = grown;
        this.#first = undefined;
      }
      this.#buffer.set(bytes, this.#length);
    }
    this.#length = length;
    return true;
  }
  /** The bytes so far (a view, not a copy). */
  bytes(): Uint8Array {
    if (this.#buffer !== undefined) return this.#buffer.subarray(0, this.#length);
    return this.#first ?? new Uint8Array(0);
  }
  /** The text and the bytes so far; throws `INVALID_ENCODING` when they are not UTF-8. */
  read(): ReadBody {
    const bytes = this.bytes();
    return { text: decode(bytes), bytes };
  }
}

/** What core uses of a Node `Readable` (an `IncomingMessage`), duck-typed: core imports nothing from Node. */
interface NodeReadable {
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  readableEnded?: boolean;
  /** An `IncomingMessage`'s: its whole body has arrived. */
  complete?: unknown;
  readableDidRead?: unknown;
  readableFlowing?: unknown;
  readableLength?: unknown;
  read?: () => Uint8Array | string | null;
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
 * Whether `body` is a Node request whose body has not all arrived and that nobody read: refusing it
 * without closing the connection makes Node read (and discard) the rest, however large, until its
 * request timeout.
 */
export function isUnfinishedNodeRequest(body: RequestBody): boolean {
  if (typeof body !== "object" || body === null || !isNodeReadable(body)) return false;
  return !body.readableEnded && body.complete === false;
}

/**
 * Reads a Node stream with `data`/`end` listeners: faster than its async iterator for the one-chunk
 * bodies webhooks are (docs/benchmarks.md). Over the limit it stops listening and pauses the stream without
 * destroying it (destroying a request destroys its socket, and the 413 still has to be written).
 */
function readNodeStream(stream: NodeReadable, limit: number, timeoutMs: number): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const bytes = new BodyBytes(limit);
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
      if (!bytes.push(chunk)) fail(tooLarge(limit));
    };
    const onEnd = () => {
      stop();
      try {
        resolve(bytes.read());
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

function isAsyncIterable(value: object): value is AsyncIterable<Uint8Array | string> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function";
}

/**
 * One timer for the whole body (not one per chunk): `race(read)` fails with 408 once `timeoutMs` has
 * passed since the reading began, after calling `onTimeout` (which cancels a Web stream). Only the
 * pending read is ever attached to the timer: a `Promise.race` with one shared promise would keep a
 * reaction per chunk alive until the end (~450 bytes per chunk: 235 MB for 512 KB in 1-byte chunks).
 */
function bodyDeadline(timeoutMs: number, onTimeout: () => void) {
  if (!Number.isFinite(timeoutMs)) return { race: <T>(read: Promise<T>) => read, clear: () => {} };
  let expired: Error | undefined;
  let rejectPending: ((error: Error) => void) | undefined;
  const timer = setTimeout(() => {
    expired = new OctoRequestError("BODY_TIMEOUT", "the body did not arrive in time");
    rejectPending?.(expired);
    onTimeout();
  }, timeoutMs);
  const race = <T>(read: Promise<T>): Promise<T> => {
    if (expired !== undefined) return Promise.reject(expired);
    return new Promise<T>((resolve, reject) => {
      rejectPending = reject;
      read.then(resolve, reject);
    });
  };
  return { race, clear: () => clearTimeout(timer) };
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
    return { text: decode(bytes), bytes };
  }
  if (typeof body !== "object") return { parsed: body };
  return isNodeReadable(body) ? readArrivedNodeRequest(body, limit) : undefined;
}

/**
 * A Node request whose body has all arrived (`complete`) and that nobody has read yet: taken at once
 * with `read()` (all that is buffered), without listeners, a promise or a timer. `undefined` for any
 * other stream. Node 20 emits `request` and runs its microtasks before it parses a body that came in
 * the same packet, so this is the case only once something before the read waited for a macrotask
 * (an async `auth` resolver, a supplier lookup, a middleware).
 */
function readArrivedNodeRequest(request: NodeReadable, limit: number): ReadBody | undefined {
  if (
    request.complete !== true ||
    request.readableDidRead !== false ||
    request.readableFlowing === true ||
    typeof request.readableLength !== "number" ||
    typeof request.read !== "function"
  )
    return undefined;
  if (request.readableLength > limit) throw tooLarge(limit);
  // all that is buffered, in one chunk (a string or bytes, which readBodyNow limits and decodes)
  return readBodyNow(request.read() ?? "", limit);
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

  const bytes = new BodyBytes(limit);
  const append = (chunk: Uint8Array | string): boolean => bytes.push(chunk);
  const finish = (): ReadBody => bytes.read();

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

/** Whether a request's body was already read by something in front (a body parser): not a stream. */
export function isPreRead(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  if (typeof body !== "object") return true;
  return !(Symbol.asyncIterator in body) && typeof (body as { getReader?: unknown }).getReader !== "function";
}
