import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/** Whether `url` is an absolute `http:` or `https:` URL: where a webhook can be delivered. */
export function isHttpUrl(url: string | URL): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** An HTTP answer, read whole. */
export interface PostAnswer {
  /** The HTTP status. */
  status: number;
  /** The answer's headers, lower-cased. */
  headers: Record<string, string>;
  /** The answer's body as text (at most 64 KiB are kept). */
  body: string;
}

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

const MAX_ANSWER_BYTES = 64 * 1024;

/** Where a URL points, with the credentials taken out and decoded (`%40` -> `@`, UTF-8). */
export function splitCredentials(url: string | URL): {
  url: URL;
  credentials: { username: string; password: string } | undefined;
} {
  const target = new URL(url);
  if (!isHttpUrl(target)) {
    throw new TypeError(
      `[@octo-webhooks/testing] only http(s) URLs can receive webhooks, not ${target.protocol}`,
    );
  }
  let credentials: { username: string; password: string } | undefined;
  if (target.username !== "" || target.password !== "") {
    credentials = {
      username: decodeURIComponent(target.username),
      password: decodeURIComponent(target.password),
    };
    target.username = "";
    target.password = "";
  }
  return { url: target, credentials };
}

export function basicAuthorization(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, "utf8").toString("base64")}`;
}

/**
 * One POST with `node:http(s)`, on its own connection (nothing pooled stays open after a test). Rejects
 * on network errors and after `timeoutMs` without a complete answer.
 */
export function post(url: URL, payload: string | Uint8Array, options: PostOptions): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) return reject(new Error("aborted"));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(
      () => controller.abort(new Error(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    let settled = false;
    const done = () => {
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      done();
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      reject(reason instanceof Error ? reason : new Error(String(reason)));
    };
    const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(url, {
      method: "POST",
      agent: false,
      signal: controller.signal,
      headers: { ...options.headers, "content-length": String(body.byteLength) },
    });
    req.on("error", fail);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
        size += chunk.byteLength;
      });
      res.on("end", () => {
        if (settled) return;
        done();
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
        }
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers, body: text.slice(0, MAX_ANSWER_BYTES) });
      });
      res.on("error", fail);
      res.on("aborted", () => fail(new Error("the connection closed before the answer was complete")));
    });
    req.end(body);
  });
}

/** A short, secret-free description of a failed POST (`ECONNREFUSED`, `no answer within 5000 ms`). */
export function describeFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && code !== "ABORT_ERR") return code;
  return error instanceof Error ? error.message : String(error);
}
