// Pages Router: POST /api/octo. Next's body parser is off, so core reads the body (with its limit)
// and handlers get the exact text.
import type { IncomingMessage, ServerResponse } from "node:http";
import { octo } from "../../lib/webhooks";

export const config = { api: { bodyParser: false } };

export default async function handler(req: IncomingMessage, res: ServerResponse) {
  const answer = await octo().handle(
    { method: req.method ?? "GET", headers: req.headers, body: req, remoteAddress: req.socket.remoteAddress },
    req,
  );
  res.writeHead(answer.status, answer.headers).end(answer.body);
}
