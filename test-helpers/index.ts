// The helpers the tests of every package share (test-only, never published). This entry imports no
// test runner, so that child-process servers and benchmarks can use it too; `./vitest` has the rest.
import { createServer as createHttpServer, type RequestListener } from "node:http";
import { type AddressInfo, createServer as createNetServer, type Server } from "node:net";

/** Listens on a free loopback port; resolves with the port once the server listens. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Closes `server` and ends its open (keep-alive) connections; resolves once it is closed. */
export function closeServer(server: Server & { closeAllConnections?: () => void }): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

/** A loopback port that was free a moment ago: opened, then closed. Nothing listens on it. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A port nothing listens on, for connection-refused cases (the same as {@link freePort}). */
export const closedPort: () => Promise<number> = freePort;

/** A real server on a free port. */
export interface Served {
  /** `http://127.0.0.1:port` */
  origin: string;
  port: number;
  /** `fetch()` of a path on this server. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Stops it, open connections included. */
  close(): Promise<void>;
}

/** Serves a Node request listener on a free loopback port; `close()` also ends open connections. */
export async function serve(listener: RequestListener): Promise<Served> {
  const server = createHttpServer(listener);
  const port = await listen(server);
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    fetch: (path, init) => fetch(new URL(path, origin), init),
    close: () => closeServer(server),
  };
}

/** The `Authorization` value of HTTP Basic auth (UTF-8, as the adapters decode it). */
export function basic(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/** The fields core passes with every log line (core's `OctoLogFields`; what was thrown is `error`). */
type LogFields = { error?: unknown } & Record<string, unknown>;
type LogMethod = (message: string, fields?: LogFields) => void;

/**
 * A logger (core's `Logger` shape) that keeps every line, `<level> <message>[ <error message> <stack>]`:
 * tests assert on them (and that secrets never reach them), and the test output stays quiet.
 */
export function capturingLogger(): {
  lines: string[];
  /** The fields of each line, in the order of `lines`. */
  fields: LogFields[];
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
} {
  const lines: string[] = [];
  const fields: LogFields[] = [];
  const keep =
    (level: string): LogMethod =>
    (message, given) => {
      fields.push(given ?? {});
      const error = given?.error;
      const detail =
        error instanceof Error
          ? ` ${error.message} ${error.stack}`
          : error === undefined
            ? ""
            : ` ${String(error)}`;
      lines.push(`${level} ${message}${detail}`);
    };
  return {
    lines,
    fields,
    debug: keep("debug"),
    info: keep("info"),
    warn: keep("warn"),
    error: keep("error"),
  };
}
