import type { DeliveryLog } from "@octo-webhooks/core";
import type { ReplayTarget } from "../log/replay-over-http.ts";
import { errorAnswer } from "./api.ts";
import { sendJson } from "./http.ts";
import { answerLogApi } from "./log-api.ts";
import { closePage, listenPage, pageServer } from "./page-server.ts";

// `octo-webhooks inspect`: the inspector's page over a delivery log (Redis, Postgres) instead of mock
// suppliers: the list with its filters, one delivery's request, answer, handlers, attempts and changes.
// Read-only unless `replay` is given. The same server as `dev`'s: loopback by default, every request's
// Host (and Origin for changes) checked before anything else.

/** Options of {@link startLogInspector}. */
export interface LogInspectorOptions {
  log: Pick<DeliveryLog, "list" | "get">;
  /** The store's URL, credentials masked (shown on the page). */
  where: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default `127.0.0.1` (loopback). */
  host?: string;
  /** Where the page's Replay sends a delivery; without it the page is read-only. */
  replay?: ReplayTarget | undefined;
}

/** A running log inspector. */
export interface LogInspector {
  /** The page: `http://127.0.0.1:<port>/`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the inspector's page over `log`. */
export async function startLogInspector(options: LogInspectorOptions): Promise<LogInspector> {
  const host = options.host ?? "127.0.0.1";
  const context = { log: options.log, where: options.where, replay: options.replay };
  const server = pageServer(host, "log", (req, res, url) => {
    answerLogApi(context, req, url).then(
      (value) => {
        if (value === undefined) sendJson(res, 404, { error: `no route ${req.method} ${url.pathname}` });
        else sendJson(res, 200, value);
      },
      (error: unknown) => {
        const { status, message } = errorAnswer(error);
        req.resume();
        sendJson(res, status, { error: message });
      },
    );
  });
  const origin = await listenPage(server, options.port ?? 0, host);
  return { url: `${origin}/`, close: () => closePage(server) };
}
