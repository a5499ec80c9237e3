import { createServer, type IncomingHttpHeaders } from "node:http";
import { closeServer, listen } from "@octo-webhooks/test-helpers";

export { closedPort } from "@octo-webhooks/test-helpers";

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A bare HTTP server that records every request and answers with the next status of `statuses`
 * (the last one repeats), to see exactly what a sender sent.
 */
export async function recordingServer(statuses: number[] = [200]) {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const status = statuses[Math.min(requests.length - 1, statuses.length - 1)] ?? 200;
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ status }));
    });
  });
  const port = await listen(server);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => closeServer(server),
  };
}
