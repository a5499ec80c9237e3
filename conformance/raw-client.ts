// A plain Node HTTP client for the cases `fetch` cannot express: a body that never ends (fast or a few
// bytes at a time), and a Content-Length that promises more than is sent. It reports what really
// reached the client.
import { type ClientRequest, request } from "node:http";

/** What a client that got a reset in place of an answer is told (the message of the rejection). */
export const RESET = "EPIPE|ECONNRESET|socket hang up";

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Bytes of body the client had written when the answer arrived. */
  written: number;
  /** Milliseconds from the request's headers to the answer's. */
  elapsedMs: number;
  /** Resolves when the server closed the connection (its side of it); rejects after `closeWithinMs`. */
  closed: Promise<void>;
}

export interface RawSend {
  headers: Record<string, string>;
  /** The request method (default POST). */
  method?: string;
  /** Give up (and fail) when no answer arrived within this time. */
  answerWithinMs?: number;
  closeWithinMs?: number;
  /** Stops the client (it destroys its socket) without an answer: the promise then rejects. */
  signal?: AbortSignal;
}

export interface SlowSend extends RawSend {
  /** Bytes of body written every `tickMs` (0: nothing after the headers). */
  bytesPerTick: number;
  tickMs: number;
  /** Completes the (chunked) body after `afterMs` with `text`; without, it never ends. */
  end?: { afterMs: number; text: string };
}

/**
 * Opens a POST and lets `write` feed its body (never ending it) until an answer arrives. An error
 * before the answer (ECONNRESET...) rejects: the answer did not reach the client.
 */
function rawPost(
  origin: string,
  path: string,
  send: RawSend,
  write: (req: ClientRequest, count: (bytes: number) => void) => () => void,
): Promise<RawAnswer> {
  const { answerWithinMs = 10_000, closeWithinMs = 5_000 } = send;
  return new Promise((resolve, reject) => {
    const url = new URL(path, origin);
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: send.method ?? "POST",
      agent: false,
      headers: send.headers,
    });
    let written = 0;
    let answered = false;
    const started = performance.now();
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${answerWithinMs} ms after ${written} bytes were written`));
    }, answerWithinMs);
    const abort = () => {
      clearTimeout(timer);
      req.destroy();
      reject(new Error("stopped by the caller before an answer"));
    };
    send.signal?.addEventListener("abort", abort, { once: true });
    req.on("error", (error) => {
      if (answered) return; // the server closing a connection we are still writing to, once it answered
      clearTimeout(timer);
      reject(
        new Error(
          `the client got ${(error as NodeJS.ErrnoException).code ?? error.message} instead of an answer`,
        ),
      );
    });
    req.on("response", (res) => {
      answered = true;
      const elapsedMs = performance.now() - started;
      stop();
      clearTimeout(timer);
      send.signal?.removeEventListener("abort", abort);
      const socket = req.socket;
      const closed = new Promise<void>((resolveClosed, rejectClosed) => {
        if (socket === null || socket.destroyed) return resolveClosed();
        const wait = setTimeout(() => {
          req.destroy();
          rejectClosed(new Error(`the server kept the connection open ${closeWithinMs} ms after answering`));
        }, closeWithinMs);
        // the server's FIN (it closed its side, and may linger until this client closes its own), or
        // the whole connection; then this client closes too, as one told `connection: close` does
        const onClosed = () => {
          clearTimeout(wait);
          req.destroy();
          resolveClosed();
        };
        socket.once("end", onClosed);
        socket.once("close", onClosed);
      });
      closed.catch(() => {});
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (text: string) => {
        body += text;
      });
      const done = () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, written, elapsedMs, closed });
      res.on("end", done);
      res.on("error", done);
    });
    req.flushHeaders();
    const stop = write(req, (bytes) => {
      written += bytes;
    });
    req.on("close", stop);
  });
}

/**
 * POSTs 16 KB chunks as fast as the server takes them, and never ends the body, until an answer
 * arrives. With `content-length` in `headers` the body is declared (and never completed); without it,
 * it is chunked.
 */
export function sendEndlessBody(origin: string, path: string, send: RawSend): Promise<RawAnswer> {
  const chunk = Buffer.alloc(16 * 1024, 0x20);
  return rawPost(origin, path, send, (req, count) => {
    let stopped = false;
    const pump = () => {
      while (!stopped && !req.destroyed) {
        count(chunk.byteLength);
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
    };
    pump();
    return () => {
      stopped = true;
    };
  });
}

/**
 * POSTs a body of `bytes` spaces with its Content-Length, as fast as the server takes it: an honest
 * sender of a body over the limit.
 */
export function sendLargeBody(
  origin: string,
  path: string,
  send: RawSend & { bytes: number },
): Promise<RawAnswer> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const headers = { ...send.headers, "content-length": String(send.bytes) };
  return rawPost(origin, path, { ...send, headers }, (req, count) => {
    let left = send.bytes;
    let stopped = false;
    const pump = () => {
      while (!stopped && !req.destroyed && left > 0) {
        const part = left >= chunk.byteLength ? chunk : chunk.subarray(0, left);
        left -= part.byteLength;
        count(part.byteLength);
        if (left === 0) req.end(part);
        else if (!req.write(part)) {
          req.once("drain", pump);
          return;
        }
      }
    };
    pump();
    return () => {
      stopped = true;
    };
  });
}

/**
 * POSTs `bytesPerTick` bytes of a booking_update every `tickMs` (inside its `notes` after the first 36
 * bytes) and never ends it, until an answer arrives: the client of a slowloris attack, or a sender whose
 * upload stalled. With `end`, the body is completed (`"}}` makes it valid JSON) after `end.afterMs`.
 */
export function sendSlowBody(origin: string, path: string, send: SlowSend): Promise<RawAnswer> {
  const prefix = '{"booking":{"uuid":"slow","notes":"';
  return rawPost(origin, path, send, (req, count) => {
    let at = 0;
    const tick = setInterval(() => {
      if (req.destroyed || send.bytesPerTick === 0) return;
      const bytes = Buffer.from(
        Array.from({ length: send.bytesPerTick }, (_, i) => prefix[at + i] ?? " ").join(""),
      );
      at += bytes.byteLength;
      count(bytes.byteLength);
      req.write(bytes);
    }, send.tickMs);
    const end =
      send.end &&
      setTimeout(() => {
        clearInterval(tick);
        if (!req.destroyed) req.end(send.end?.text);
      }, send.end.afterMs);
    return () => {
      clearInterval(tick);
      clearTimeout(end);
    };
  });
}
