import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { onCleanup } from "./helpers.ts";

/** A real receiver that checks Basic auth and answers 200, or 500 when told to fail. */
export interface FlakyReceiver {
  readonly url: string;
  /** Bodies received, in order (the failed ones too). */
  readonly received: Array<{ authorization: string | undefined; body: unknown; status: number }>;
  /** The next `count` deliveries are answered 500. */
  failNext(count: number): void;
  /** Answers 200 again from now on. */
  recover(): void;
}

export async function startFlakyReceiver(username: string, password: string): Promise<FlakyReceiver> {
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  const received: FlakyReceiver["received"] = [];
  let failures = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let status = 200;
      if (req.headers.authorization !== expected) status = 401;
      else if (failures > 0) {
        failures--;
        status = 500;
      }
      received.push({
        authorization: req.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
        status,
      });
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "database timeout");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/octo`,
    received,
    failNext(count) {
      failures += count;
    },
    recover() {
      failures = 0;
    },
  };
}

/** The server-sent events of `url`, read with fetch: every `delivery` event's data so far, and a wait. */
export function readStream(url: string) {
  const controller = new AbortController();
  const events: Array<Record<string, unknown>> = [];
  let raw = "";
  const waiters = new Set<() => void>();
  const done = (async () => {
    const response = await fetch(url, { signal: controller.signal });
    if (!response.ok || response.body === null) throw new Error(`stream answered ${response.status}`);
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      raw += decoder.decode(chunk, { stream: true });
      let end = raw.indexOf("\n\n");
      while (end !== -1) {
        const block = raw.slice(0, end);
        raw = raw.slice(end + 2);
        const lines = block.split("\n");
        if (lines.includes("event: delivery")) {
          const data = lines.find((line) => line.startsWith("data: "));
          if (data !== undefined) events.push(JSON.parse(data.slice(6)));
        }
        end = raw.indexOf("\n\n");
      }
      for (const waiter of waiters) waiter();
    }
  })().catch(() => {});
  onCleanup(async () => {
    controller.abort();
    await done;
  });
  return {
    events,
    /** Resolves with the first event (already received or to come) that `match` accepts. */
    waitFor(match: (event: Record<string, unknown>) => boolean, timeoutMs = 8000) {
      return new Promise<Record<string, unknown>>((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no such event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
