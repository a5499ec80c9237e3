import { createServer, type Server } from "node:http";
import type { OctoWebhooks } from "@octo-webhooks/core";
import { matchesPath } from "@octo-webhooks/core/adapter";
import { listen, shutdown } from "./serve.ts";

/** Options of {@link startReceiver}. */
export interface ReceiverOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** The path deliveries are POSTed to (default `/webhooks/octo`); other paths get 404. */
  path?: string;
}

/** A running receiver, from {@link startReceiver}. */
export interface Receiver {
  /** Where to register the webhook: `http://127.0.0.1:<port><path>`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The `node:http` server. */
  readonly server: Server;
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
}

/**
 * Serves a core receiver (`createOctoWebhooks()`) on a plain `node:http` server: every request on `path`
 * goes to `webhooks.handle()`, whose answer is written back as is. For tests and the CLI; in an app, use
 * your framework's adapter (`@octo-webhooks/express`...).
 *
 * @example
 * ```ts
 * import { createOctoWebhooks } from "@octo-webhooks/core";
 * import { startReceiver } from "@octo-webhooks/testing";
 *
 * const receiver = await startReceiver(createOctoWebhooks({ onBookingUpdate: ({ booking }) => seen.push(booking) }));
 * await client.webhooks.create({ event: "booking_update", url: receiver.url });
 * ```
 */
export async function startReceiver(
  webhooks: Pick<OctoWebhooks<unknown>, "handle">,
  options: ReceiverOptions = {},
): Promise<Receiver> {
  const path = options.path ?? "/webhooks/octo";
  if (!path.startsWith("/")) throw new TypeError('[@octo-webhooks/testing] `path` must start with "/"');
  const server = createServer(async (req, res) => {
    if (!matchesPath(req.url ?? "/", path)) {
      res.writeHead(404, { "content-type": "application/json; charset=utf-8" });
      res.end(
        JSON.stringify({ ok: false, error: { code: "NOT_FOUND", message: `deliveries go to ${path}` } }),
      );
      return;
    }
    try {
      const answer = await webhooks.handle({ method: req.method ?? "", headers: req.headers, body: req });
      res.writeHead(answer.status, answer.headers).end(answer.body);
    } catch {
      // core answers every failure itself; this only guards a broken `handle` (never leave a request hanging)
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
      res.end('{"ok":false}');
    }
  });
  const { origin, port } = await listen(server, options.port, options.host);
  return {
    url: `${origin}${path}`,
    port,
    server,
    close: () => shutdown(server),
  };
}
