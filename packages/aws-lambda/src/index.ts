/**
 * Receive OCTO webhooks on AWS Lambda: {@link octoWebhooksHandler} is one handler over
 * `@octo-webhooks/core` for API Gateway REST APIs (v1 proxy events), HTTP APIs (v2), Function URLs and
 * Application Load Balancers, told apart by the event; {@link octoScheduledHandler} runs a reconciler
 * on an EventBridge schedule. Everything `@octo-webhooks/core` exports is re-exported.
 *
 * @packageDocumentation
 */
import { STATUS_CODES } from "node:http";
import {
  OctoRequestError,
  type OctoResponse,
  type OctoWebhooks,
  OctoWebhooksError,
  type RequestBody,
} from "@octo-webhooks/core";
import {
  type AdapterOptions,
  adapterWebhooks,
  matchesPath,
  supplierInPath,
} from "@octo-webhooks/core/adapter";
import type {
  ALBEvent,
  ALBResult,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";

export * from "@octo-webhooks/core";
export {
  type OctoScheduledJob,
  type OctoScheduledOptions,
  octoScheduledHandler,
} from "./octo-scheduled-handler.ts";

const ADAPTER = "@octo-webhooks/aws-lambda";

/**
 * The events the handler takes: API Gateway REST API proxy events (payload 1.0, also what an HTTP API
 * sends with payload 1.0), HTTP API and Function URL events (payload 2.0), and ALB target events.
 *
 * @example
 * ```ts
 * import type { OctoLambdaEvent } from "@octo-webhooks/aws-lambda";
 * const isAlb = (event: OctoLambdaEvent) => "elb" in event.requestContext;
 * ```
 */
export type OctoLambdaEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2 | ALBEvent;

/**
 * What the handler resolves: the shape the event's source expects (v1: `statusCode`, `headers`,
 * `multiValueHeaders`, `body`; v2: `statusCode`, `headers`, `body`, `cookies`; ALB: `statusCode`,
 * `statusDescription` and `headers` or `multiValueHeaders`, as the target group sends them).
 *
 * @example
 * ```ts
 * import type { OctoLambdaResult } from "@octo-webhooks/aws-lambda";
 * const status = (result: OctoLambdaResult) => result.statusCode;
 * ```
 */
export type OctoLambdaResult = APIGatewayProxyResult | APIGatewayProxyStructuredResultV2 | ALBResult;

/**
 * What a per-request `auth` resolver (and `handle()`'s context) gets: the invocation's event and
 * Lambda context.
 *
 * @example
 * ```ts
 * import { octoWebhooksHandler, type OctoLambdaInvocation } from "@octo-webhooks/aws-lambda";
 * // one password per alias of the function (`...:function:octo-webhooks:live`)
 * export const handler = octoWebhooksHandler({
 *   auth: ({ context }: OctoLambdaInvocation) => ({
 *     basic: { username: "octo", password: process.env[`OCTO_HOOK_PASS_${context.invokedFunctionArn.split(":")[7]}`]! },
 *   }),
 * });
 * ```
 */
export interface OctoLambdaInvocation {
  /** The event, as Lambda passed it. */
  readonly event: OctoLambdaEvent;
  /** The Lambda context, as Lambda passed it. */
  readonly context: Context;
}

/**
 * Options of {@link octoWebhooksHandler}: core's options (but `ackFirst`, which Lambda cannot honour),
 * `path`, and optionally an existing receiver as `webhooks`.
 *
 * @example
 * ```ts
 * import type { OctoLambdaOptions } from "@octo-webhooks/aws-lambda";
 * const options: OctoLambdaOptions = { path: "/webhooks/octo", onBookingUpdate: ({ booking }) => save(booking) };
 * ```
 */
export type OctoLambdaOptions = AdapterOptions<OctoLambdaInvocation>;

/**
 * The Lambda handler, with the receiver it uses (`.webhooks`).
 *
 * @example
 * ```ts
 * import { octoWebhooksHandler, type OctoLambdaHandler } from "@octo-webhooks/aws-lambda";
 * export const handler: OctoLambdaHandler = octoWebhooksHandler({ onBookingUpdate });
 * ```
 */
export type OctoLambdaHandler = ((event: OctoLambdaEvent, context: Context) => Promise<OctoLambdaResult>) & {
  readonly webhooks: OctoWebhooks<OctoLambdaInvocation>;
};

type Kind = "v1" | "v2" | "alb";

function kindOf(event: OctoLambdaEvent): Kind {
  if (typeof event !== "object" || event === null || typeof event.requestContext !== "object") {
    throw new Error(
      `[${ADAPTER}] not an API Gateway, Function URL or ALB event: the function must be invoked by one of them`,
    );
  }
  if ("elb" in event.requestContext) return "alb";
  if ((event as APIGatewayProxyEventV2).version === "2.0") return "v2";
  if (typeof (event as APIGatewayProxyEvent).httpMethod === "string") return "v1";
  throw new Error(`[${ADAPTER}] an event of unknown shape (neither payload 1.0, 2.0 nor ALB)`);
}

/** The request's headers, names lower-cased, repeated headers comma-joined, v2's `cookies` as `cookie`. */
function headersOf(event: OctoLambdaEvent, kind: Kind): Record<string, string> {
  const headers: Record<string, string> = {};
  const multi = (event as { multiValueHeaders?: Record<string, string[] | undefined> | null })
    .multiValueHeaders;
  if (multi) {
    for (const [name, values] of Object.entries(multi)) {
      if (values === undefined || values.length === 0) continue;
      const key = name.toLowerCase();
      const separator = key === "cookie" ? "; " : ", ";
      const joined = values.join(separator);
      headers[key] = headers[key] === undefined ? joined : `${headers[key]}${separator}${joined}`;
    }
  }
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    const key = name.toLowerCase();
    // API Gateway v1 sends both maps: the single-value one holds the last value of a repeated header
    if (value !== undefined && headers[key] === undefined) headers[key] = value;
  }
  if (kind === "v2") {
    const cookies = (event as APIGatewayProxyEventV2).cookies;
    if (cookies && cookies.length > 0) headers.cookie = cookies.join("; ");
  }
  return headers;
}

/**
 * The address the request came from, as the event's source saw it: API Gateway v1's
 * `requestContext.identity.sourceIp`, v2's and a Function URL's `requestContext.http.sourceIp`; an ALB
 * gives none but appends the address it saw to `X-Forwarded-For`, so its last entry.
 */
function sourceIpOf(event: OctoLambdaEvent, kind: Kind, headers: Record<string, string>): string | undefined {
  if (kind === "v1") return (event as APIGatewayProxyEvent).requestContext.identity?.sourceIp ?? undefined;
  if (kind === "v2") return (event as APIGatewayProxyEventV2).requestContext.http?.sourceIp ?? undefined;
  const last = headers["x-forwarded-for"]?.split(",").pop()?.trim();
  return last === "" ? undefined : last;
}

/** The request path (without the query string); for v2, also the path without a named stage's prefix. */
function pathsOf(event: OctoLambdaEvent, kind: Kind): string[] {
  if (kind !== "v2") return [(event as APIGatewayProxyEvent | ALBEvent).path];
  const v2 = event as APIGatewayProxyEventV2;
  const stage = v2.requestContext.stage;
  const prefix = `/${stage}`;
  if (stage && stage !== "$default" && v2.rawPath.startsWith(`${prefix}/`)) {
    return [v2.rawPath, v2.rawPath.slice(prefix.length)];
  }
  return [v2.rawPath];
}

/** The supplier a path names: `path`'s `:supplier` segment, or the gateway's `{supplier}` parameter. */
function supplierOf(event: OctoLambdaEvent, kind: Kind, path: string | undefined): string | undefined {
  if (path !== undefined) {
    for (const candidate of pathsOf(event, kind)) {
      const supplier = supplierInPath(candidate, path);
      if (supplier !== undefined) return supplier;
    }
    return undefined;
  }
  const params = (event as { pathParameters?: Record<string, string | undefined> | null }).pathParameters;
  return params?.supplier;
}

/** What an event's body is: its text, or a base64 body that core decodes when it reads it. */
function bodyOf(event: OctoLambdaEvent): RequestBody {
  return event.isBase64Encoded ? base64Body(event) : event.body;
}

/**
 * A base64 body as a stream that decodes it when core reads it, once the credentials have passed (core
 * authenticates before reading), so that a refused request's body is never decoded. Only canonical
 * base64 is taken (the standard alphabet, its padding, unused bits zero: what AWS sends); anything else
 * is a 400 `INVALID_ENCODING` (Node's decoder would skip the junk and decode the rest).
 */
function base64Body(event: OctoLambdaEvent): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      const text = event.body;
      if (text === null || text === undefined || text === "") return;
      const bytes = Buffer.from(text, "base64");
      // decoding and encoding again gives back the text only when it was canonical base64
      if (bytes.toString("base64") !== text) {
        const message = "the body is not valid base64, as isBase64Encoded says it is";
        const error = new OctoRequestError("INVALID_ENCODING", message);
        error.message = `[${ADAPTER}] ${message}`;
        throw error;
      }
      yield bytes;
    },
  };
}

const NOT_FOUND: OctoResponse = {
  status: 404,
  headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  body: '{"ok":false,"error":{"code":"NOT_FOUND","message":"no OCTO webhook receiver at this path"}}',
};

/** Core's answer in the shape the event's source expects. */
function resultOf(answer: OctoResponse, event: OctoLambdaEvent, kind: Kind): OctoLambdaResult {
  const { status: statusCode, body } = answer;
  if (kind === "v2") {
    const { "set-cookie": setCookie, ...headers } = answer.headers;
    const result: APIGatewayProxyStructuredResultV2 = { statusCode, headers, body, isBase64Encoded: false };
    if (setCookie !== undefined) result.cookies = [setCookie];
    return result;
  }
  const multiValueHeaders = Object.fromEntries(
    Object.entries(answer.headers).map(([name, value]) => [name, [value]]),
  );
  if (kind === "v1") {
    return { statusCode, headers: answer.headers, multiValueHeaders, body, isBase64Encoded: false };
  }
  // an ALB target group sends and takes either single- or multi-value headers, not both
  const statusDescription = `${statusCode} ${STATUS_CODES[statusCode] ?? "Unknown"}`;
  return (event as ALBEvent).multiValueHeaders
    ? { statusCode, statusDescription, multiValueHeaders, body, isBase64Encoded: false }
    : { statusCode, statusDescription, headers: answer.headers, body, isBase64Encoded: false };
}

/**
 * A Lambda handler that receives OCTO webhooks from API Gateway (REST API v1 proxy events, HTTP API
 * v2), a Function URL or an ALB, told apart by the event; the answer has the shape that source expects.
 * Base64 bodies are decoded once the credentials have passed, and refused (400 `INVALID_ENCODING`) when
 * not valid base64. With `path`, another path gets a 404 (there is no `next()` on Lambda).
 * `ackFirst` is refused: Lambda freezes the function once the answer is returned, so handlers must run
 * before it. A per-request `auth` resolver gets `{ event, context }`. `allowFrom` and `verify`'s
 * `remoteAddress` see the address the source saw: API Gateway's and a Function URL's `sourceIp`; on an
 * ALB, the last `X-Forwarded-For` entry (the one the ALB appended).
 *
 * @example
 * ```ts
 * import { octoWebhooksHandler } from "@octo-webhooks/aws-lambda";
 *
 * export const handler = octoWebhooksHandler({
 *   path: "/webhooks/octo",
 *   auth: { basic: { username: "octo", password: process.env.OCTO_HOOK_PASS! } },
 *   onBookingUpdate: async ({ booking }) => console.log(booking.uuid, booking.status),
 * });
 * ```
 */
export function octoWebhooksHandler(options?: OctoLambdaOptions): OctoLambdaHandler {
  if (typeof options === "object" && options !== null && options.ackFirst) {
    const message =
      "`ackFirst` cannot work on AWS Lambda: the function is frozen once the answer is returned, and Lambda has no waitUntil to run handlers after it; leave it out (handlers then run before the answer), or have your handler put the delivery on a queue (SQS) and return";
    const error = new OctoWebhooksError("CONFIG_INVALID", message);
    error.message = `[${ADAPTER}] ${message}`;
    throw error;
  }
  const { webhooks, path } = adapterWebhooks(options, ADAPTER);
  const handler = async (event: OctoLambdaEvent, context: Context): Promise<OctoLambdaResult> => {
    const kind = kindOf(event);
    if (path !== undefined && !pathsOf(event, kind).some((candidate) => matchesPath(candidate, path))) {
      return resultOf(NOT_FOUND, event, kind);
    }
    const method =
      kind === "v2"
        ? (event as APIGatewayProxyEventV2).requestContext.http.method
        : (event as APIGatewayProxyEvent | ALBEvent).httpMethod;
    const headers = headersOf(event, kind);
    const answer = await webhooks.handle(
      {
        method,
        headers,
        body: bodyOf(event),
        supplier: supplierOf(event, kind, path),
        remoteAddress: sourceIpOf(event, kind, headers),
      },
      { event, context },
    );
    return resultOf(answer, event, kind);
  };
  return Object.assign(handler, { webhooks });
}
