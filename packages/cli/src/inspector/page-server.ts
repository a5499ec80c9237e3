import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { findAssetsDir, PAGE_POLICY, type PageMode, pageHtml, readAsset } from "./assets.ts";
import { allowed, sendJson } from "./http.ts";

// The HTTP server both inspectors (`dev`'s mock suppliers, `inspect`'s delivery log) run on: every
// request, whatever its route, is first checked for a loopback Host (and the page's Origin when it
// changes something), so that a page whose DNS name was rebound to 127.0.0.1 gets a 403 and nothing
// else; then the page and its assets; then the inspector's own routes.

/** The routes past the page and its assets: `url` is the request's, parsed. */
export type Routes = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

/** A server for `host` that checks every request first, serves the page in `mode`, then `routes`. */
export function pageServer(host: string, mode: PageMode, routes: Routes): Server {
  const assets = findAssetsDir();
  return createServer((req, res) => {
    // first, for every route: a rebound DNS name or another site's page gets this and nothing else
    if (!allowed(req, host)) {
      req.resume();
      return sendJson(res, 403, { error: "refused: not from the inspector's page" });
    }
    const url = new URL(req.url ?? "/", "http://inspector");
    const path = url.pathname;
    if (req.method === "GET" && path === "/") {
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": PAGE_POLICY,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cache-control": "no-store",
      });
      return void res.end(pageHtml(assets !== undefined, mode));
    }
    if (req.method === "GET" && path.startsWith("/assets/")) {
      const asset = readAsset(assets, path.slice("/assets/".length));
      if (asset === undefined) return sendJson(res, 404, { error: "no such asset" });
      res.writeHead(200, { "content-type": asset.type, "x-content-type-options": "nosniff" });
      return void res.end(asset.data);
    }
    routes(req, res, url);
  });
}

/** Starts `server` on `port` and `host`; resolves with the origin to print (`http://127.0.0.1:4010`). */
export async function listenPage(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : address.address;
  return `http://${address.family === "IPv6" && shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${address.port}`;
}

/** Stops `server`, its open connections (event streams) too. */
export function closePage(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
