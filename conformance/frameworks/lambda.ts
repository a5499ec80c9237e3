// AWS Lambda as the suite and the fuzz tests start it: a node:http server in front of the handler plays
// the part of each event source (API Gateway REST API, HTTP API, Function URL, ALB in both header
// modes). It reads the whole request, as AWS does before invoking a function, builds the event in that
// source's documented format, invokes the handler with a Lambda context and writes its result back.
//
// Routing is the gateway's, as users configure it: `mount: "app"` sends every path to the function
// (`ANY /{proxy+}`, `$default`, a catch-all listener rule) but OTHER_PATH, which goes to another
// integration of the app's own; `mount: "route"` sends only `POST PATH` to the function.
// `transport` is "app.request": the raw-client cases test how a server treats a connection (a chunked
// body that never ends, a trickle of bytes), which on Lambda is AWS's front door, not the handler.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";
import { type OctoLambdaEvent, type OctoLambdaResult, octoWebhooksHandler } from "@octo-webhooks/aws-lambda";
import { lingerBeforeClose } from "@octo-webhooks/core/adapter";
import type { ALBEvent, APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from "aws-lambda";
import { type FrameworkUnderTest, OTHER_PATH, PATH, type Setup, type Target } from "../app.ts";

/** What a source's front door hands over of a request, before it becomes an event. */
export interface GatewayRequest {
  method: string;
  /** The path and query string, as the client sent them. */
  url: string;
  /** Node's `rawHeaders`: names in the client's case, repeated headers repeated. */
  rawHeaders: string[];
  body: Uint8Array;
  /** The address the front door saw the request come from (its socket's peer). */
  sourceIp: string;
}

/** The event sources, each with how it builds an event and reads a result. */
export type Source = "api-gateway-v1" | "http-api-v2" | "function-url" | "alb" | "alb-multi-value";

/** Lambda's synchronous invocation payload limit: a larger request never reaches the function. */
const PAYLOAD_LIMIT = 6 * 1024 * 1024;
const HTTP_API_STAGE = "live";

/** Whether a content type is sent to the function as text (else base64), as HTTP APIs, Function URLs and ALBs decide. */
const isText = (contentType: string | undefined) =>
  contentType !== undefined &&
  /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded)\b|[^;]*\+(json|xml)\b)/i.test(
    contentType,
  );

function split(request: GatewayRequest) {
  const pairs: [string, string][] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2)
    pairs.push([request.rawHeaders[i] as string, request.rawHeaders[i + 1] as string]);
  const question = request.url.indexOf("?");
  const path = question >= 0 ? request.url.slice(0, question) : request.url;
  const query = question >= 0 ? request.url.slice(question + 1) : "";
  const params = [...new URLSearchParams(query)];
  const contentType = pairs.find(([name]) => name.toLowerCase() === "content-type")?.[1];
  return { pairs, path, query, params, contentType };
}

/** The headers with `address` appended to X-Forwarded-For, as a proxy does. */
function forwardedFor(pairs: [string, string][], address: string): [string, string][] {
  const isIt = ([name]: [string, string]) => name.toLowerCase() === "x-forwarded-for";
  const given = pairs.filter(isIt).map(([, value]) => value);
  return [...pairs.filter((pair) => !isIt(pair)), ["X-Forwarded-For", [...given, address].join(", ")]];
}

const single = (pairs: [string, string][], lower = false) => {
  const out: Record<string, string> = {};
  for (const [name, value] of pairs) out[lower ? name.toLowerCase() : name] = value;
  return out;
};
const multi = (pairs: [string, string][], lower = false) => {
  const out: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    const key = lower ? name.toLowerCase() : name;
    out[key] = [...(out[key] ?? []), value];
  }
  return out;
};
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/**
 * The event `source` sends for `request`, in its documented format: API Gateway REST API (every body
 * base64, as with `binaryMediaTypes: ["*\/*"]`, the usual setting for webhooks), HTTP API payload 2.0 on
 * a named stage (repeated headers comma-joined, `cookies`), Function URL, ALB single- or multi-value.
 */
export function eventOf(source: Source, request: GatewayRequest): OctoLambdaEvent {
  const { path, query, params, contentType, ...parts } = split(request);
  // an ALB gives no source address: it appends the one it saw to X-Forwarded-For
  const pairs = source.startsWith("alb") ? forwardedFor(parts.pairs, request.sourceIp) : parts.pairs;
  const now = new Date();
  const empty = request.body.byteLength === 0;
  const asText = isText(contentType);
  if (source === "api-gateway-v1") {
    const event: APIGatewayProxyEvent = {
      resource: "/{proxy+}",
      path,
      httpMethod: request.method,
      headers: single(pairs),
      multiValueHeaders: multi(pairs),
      queryStringParameters: params.length > 0 ? Object.fromEntries(params) : null,
      multiValueQueryStringParameters: params.length > 0 ? multi(params) : null,
      pathParameters: { proxy: path.slice(1) },
      stageVariables: null,
      requestContext: {
        accountId: "123456789012",
        apiId: "a1b2c3d4e5",
        authorizer: null,
        domainName: "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
        domainPrefix: "a1b2c3d4e5",
        extendedRequestId: randomUUID(),
        httpMethod: request.method,
        identity: {
          accessKey: null,
          accountId: null,
          apiKey: null,
          apiKeyId: null,
          caller: null,
          clientCert: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp: request.sourceIp,
          user: null,
          userAgent: null,
          userArn: null,
        },
        path: `/prod${path}`,
        protocol: "HTTP/1.1",
        requestId: randomUUID(),
        requestTime: now.toUTCString(),
        requestTimeEpoch: now.getTime(),
        resourceId: "2gxmpl",
        resourcePath: "/{proxy+}",
        stage: "prod",
      },
      body: empty ? null : base64(request.body),
      isBase64Encoded: !empty,
    };
    return event;
  }
  if (source === "http-api-v2" || source === "function-url") {
    const url = source === "function-url";
    const cookies = pairs
      .filter(([name]) => name.toLowerCase() === "cookie")
      .flatMap(([, value]) => value.split(/;\s*/));
    const headers: Record<string, string> = {};
    for (const [name, value] of pairs) {
      const key = name.toLowerCase();
      if (key === "cookie") continue;
      headers[key] = headers[key] === undefined ? value : `${headers[key]},${value}`;
    }
    const id = url ? "abcdefg1234567890" : "r3pmxmplak";
    const domainName = url
      ? `${id}.lambda-url.eu-west-1.on.aws`
      : `${id}.execute-api.eu-west-1.amazonaws.com`;
    const rawPath = url ? path : `/${HTTP_API_STAGE}${path}`;
    const event: APIGatewayProxyEventV2 = {
      version: "2.0",
      routeKey: url ? "$default" : "ANY /{proxy+}",
      rawPath,
      rawQueryString: query,
      ...(cookies.length > 0 ? { cookies } : {}),
      headers,
      ...(params.length > 0
        ? {
            queryStringParameters: Object.fromEntries(
              Object.entries(multi(params)).map(([name, values]) => [name, values.join(",")]),
            ),
          }
        : {}),
      requestContext: {
        accountId: url ? "anonymous" : "123456789012",
        apiId: id,
        domainName,
        domainPrefix: id,
        http: {
          method: request.method,
          path: rawPath,
          protocol: "HTTP/1.1",
          sourceIp: request.sourceIp,
          userAgent: headers["user-agent"] ?? "",
        },
        requestId: randomUUID(),
        routeKey: url ? "$default" : "ANY /{proxy+}",
        stage: url ? "$default" : HTTP_API_STAGE,
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
      },
      ...(empty ? {} : { body: asText ? text(request.body) : base64(request.body) }),
      isBase64Encoded: !empty && !asText,
    };
    return event;
  }
  const multiValue = source === "alb-multi-value";
  const event: ALBEvent = {
    requestContext: {
      elb: {
        targetGroupArn:
          "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/lambda-octo/49e9d65c45c6791a",
      },
    },
    httpMethod: request.method,
    path,
    ...(multiValue
      ? { multiValueQueryStringParameters: multi(params), multiValueHeaders: multi(pairs, true) }
      : { queryStringParameters: single(params), headers: single(pairs, true) }),
    body: empty ? "" : asText ? text(request.body) : base64(request.body),
    isBase64Encoded: !empty && !asText,
  };
  return event;
}

/** A Lambda context as the Node runtime passes it. */
export function lambdaContext(): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "octo-webhooks",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:octo-webhooks",
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: "/aws/lambda/octo-webhooks",
    logStreamName: "2026/03/10/[$LATEST]0123456789abcdef",
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** Writes a function's result back as `source` does (v1/v2 `cookies` and `multiValueHeaders` included). */
export function writeResult(source: Source, result: OctoLambdaResult, res: ServerResponse): void {
  const headers: [string, string][] = [];
  for (const [name, value] of Object.entries(result.headers ?? {})) headers.push([name, String(value)]);
  const multiValue = (result as { multiValueHeaders?: Record<string, unknown[]> }).multiValueHeaders ?? {};
  for (const [name, values] of Object.entries(multiValue)) {
    // a name in both maps: API Gateway keeps the multi-value one
    for (let i = headers.length - 1; i >= 0; i--)
      if (headers[i]?.[0].toLowerCase() === name.toLowerCase()) headers.splice(i, 1);
    for (const value of values) headers.push([name, String(value)]);
  }
  for (const cookie of (result as { cookies?: string[] }).cookies ?? []) headers.push(["set-cookie", cookie]);
  // v2 results may leave the status out (200); an ALB takes its reason phrase from statusDescription
  const status = result.statusCode ?? 200;
  let reason = STATUS_CODES[status];
  if (source.startsWith("alb")) {
    const description = (result as { statusDescription?: string }).statusDescription;
    if (!description?.startsWith(`${status} `)) throw new Error(`an ALB target answered "${description}"`);
    reason = description.slice(`${status} `.length);
  }
  const body = result.body ?? "";
  const bytes = result.isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
  res.writeHead(status, reason, headers.flat());
  res.end(bytes);
}

/**
 * Reads a request's whole body, as the front door does; `undefined` past Lambda's payload limit (then
 * the rest is left unread). Rejects when the client goes away first.
 */
function readWhole(req: IncomingMessage): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= PAYLOAD_LIMIT) return void chunks.push(chunk);
      req.off("data", onData);
      req.pause();
      resolve(undefined);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
    req.once("close", () => reject(new Error("the client went away before its body ended")));
  });
}

/** A node:http server that invokes `handler` with `source`'s events for the paths the gateway routes to it. */
export async function serveLambda(
  source: Source,
  handler: (event: OctoLambdaEvent, context: Context) => Promise<OctoLambdaResult>,
  routes: (method: string, path: string) => "function" | "other" | "none" = () => "function",
): Promise<Target> {
  const server = createServer(async (req, res) => {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const path = url.split("?")[0] as string;
    const route = routes(method, path);
    // what the source reports as the request's address: the client it saw, here this socket's peer
    const sourceIp = req.socket.remoteAddress as string;
    // a client that goes away before its body ended never reaches the function
    const body = await readWhole(req).catch(() => null);
    if (body === null) return;
    if (body === undefined) {
      // the front door's own answer; it stops reading and closes
      const headers = { "content-type": "application/json", connection: "close" };
      lingerBeforeClose(req, { headers });
      res.writeHead(413, headers);
      res.end('{"message":"Request Entity Too Large"}');
      return;
    }
    if (route === "none") {
      res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not Found"}');
      return;
    }
    if (route === "other") {
      res.end(method === "GET" ? "other" : `other:${text(body)}`);
      return;
    }
    try {
      const result = await handler(
        eventOf(source, { method, url, rawHeaders: req.rawHeaders, body, sourceIp }),
        lambdaContext(),
      );
      writeResult(source, result, res);
    } catch (error) {
      // what API Gateway answers when the function throws
      res.writeHead(502, { "content-type": "application/json" }).end('{"message":"Internal server error"}');
      console.error(error);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    fetch: (path, init) => fetch(new URL(path, origin), init),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function lambdaFramework(name: string, source: Source): FrameworkUnderTest {
  return {
    name,
    transport: "app.request",
    // the front door reads the whole body before the function runs: a body that stops arriving never
    // reaches the handler (bodyTimeoutMs has nothing to time), a larger one than Lambda takes gets 413
    parsers: { none: { keepsRawBody: true, readsBodyFirst: true } },
    mounts: ["app", "route"],
    isContext: (value) =>
      typeof value === "object" &&
      value !== null &&
      "event" in value &&
      "context" in value &&
      typeof (value as { context: Context }).context.getRemainingTimeInMillis === "function",
    ackFirst: false,
    mountPrefix:
      "a gateway invokes the function with the path of its API route (a stage taken off): the function has no mount of its own",
    packageName: "@octo-webhooks/aws-lambda",
    start: async ({ options, mount }: Setup) => {
      const handler = octoWebhooksHandler(options);
      const target = await serveLambda(source, handler, (method, path) => {
        if (path === OTHER_PATH) return "other";
        if (mount === "app") return "function";
        return method === "POST" && path === PATH ? "function" : "none";
      });
      // nothing runs after a Lambda's answer (ackFirst is refused), so there is nothing to drain
      return { ...target, drain: async () => {} };
    },
  };
}

/** The Lambda handler behind each event source: REST API (v1), HTTP API (v2), Function URL, ALB (both header modes). */
export const lambdaFrameworks: FrameworkUnderTest[] = [
  lambdaFramework("lambda (API Gateway REST API, v1)", "api-gateway-v1"),
  lambdaFramework("lambda (HTTP API, v2)", "http-api-v2"),
  lambdaFramework("lambda (Function URL)", "function-url"),
  lambdaFramework("lambda (ALB)", "alb"),
  lambdaFramework("lambda (ALB, multi-value headers)", "alb-multi-value"),
];
