// A plain Node HTTP client for the cases `fetch` cannot express: a body that never ends, and a
// Content-Length that promises more than is sent. It reports what really reached the client.
import { request } from "node:http";

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Bytes of body the client had written when the answer arrived. */
  written: number;
  /** Resolves when the server closed the connection; rejects after `closeWithinMs`. */
  closed: Promise<void>;
}

export interface RawSend {
  headers: Record<string, string>;
  /** Give up (and fail) when no answer arrived within this time. */
  answerWithinMs?: number;
  closeWithinMs?: number;
}

/**
 * POSTs 16 KB chunks as fast as the server takes them, and never ends the body, until an answer
 * arrives. With `content-length` in `headers` the body is declared (and never completed); without it,
 * it is chunked. An error before the answer (ECONNRESET...) rejects: the answer did not reach the client.
 */
export function sendEndlessBody(origin: string, path: string, send: RawSend): Promise<RawAnswer> {
  const { answerWithinMs = 10_000, closeWithinMs = 5_000 } = send;
  return new Promise((resolve, reject) => {
    const url = new URL(path, origin);
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: "POST",
      agent: false,
      headers: send.headers,
    });
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    let written = 0;
    let answered = false;
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${answerWithinMs} ms after ${written} bytes were written`));
    }, answerWithinMs);
    const pump = () => {
      while (!answered && !req.destroyed) {
        written += chunk.byteLength;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
    };
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
      clearTimeout(timer);
      const socket = req.socket;
      const closed = new Promise<void>((resolveClosed, rejectClosed) => {
        if (socket === null || socket.destroyed) return resolveClosed();
        const wait = setTimeout(() => {
          req.destroy();
          rejectClosed(new Error(`the server kept the connection open ${closeWithinMs} ms after answering`));
        }, closeWithinMs);
        socket.once("close", () => {
          clearTimeout(wait);
          resolveClosed();
        });
      });
      closed.catch(() => {});
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (text: string) => {
        body += text;
      });
      const done = () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, written, closed });
      res.on("end", done);
      res.on("error", done);
    });
    req.flushHeaders();
    pump();
  });
}
