// The function, run locally behind what a Function URL does: each HTTP request becomes a payload 2.0
// event (body base64 unless text, repeated headers comma-joined, cookies apart), and the result is
// written back. OCTO_HOOK_USER=octo OCTO_HOOK_PASS=s3cret pnpm start (PORT, default 3000)
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { handler } from "./handler.ts";

const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const [rawPath = "/", rawQueryString = ""] = (req.url ?? "/").split("?");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name !== "cookie" && value !== undefined)
      headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const text = /^(text\/|application\/([\w.-]+\+)?json)/i.test(headers["content-type"] ?? "");
  const now = new Date();
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    ...(req.headers.cookie ? { cookies: req.headers.cookie.split(/;\s*/) } : {}),
    headers,
    requestContext: {
      accountId: "anonymous",
      apiId: "local",
      domainName: headers.host ?? "localhost",
      domainPrefix: "local",
      http: {
        method: req.method ?? "GET",
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: req.socket.remoteAddress ?? "",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.byteLength > 0 ? { body: body.toString(text ? "utf8" : "base64") } : {}),
    isBase64Encoded: body.byteLength > 0 && !text,
  };
  const context = { awsRequestId: event.requestContext.requestId } as Context;
  const result = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
  res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  res.end(result.body);
});

server.listen(Number(process.env.PORT ?? 3000), () => {
  console.info(`listening on http://localhost:${(server.address() as AddressInfo).port}/webhooks/octo`);
});
